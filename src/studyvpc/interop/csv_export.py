"""``studyvpc export csv``: one row per question, for spreadsheets and other tools.

Why it is built this way:

- **RFC 4180 through Python's csv module**: comma-separated, fields quoted when they hold a
  comma, quote or line break, CRLF between records, UTF-8, a header row first.
- **Text as written in the notes.** Cells hold the content's own text (Markdown and
  ``[[links]]`` included), not the HTML an Anki card shows: another tool can render it as it
  likes, and reading the file back gives every field exactly (the tests read it back with
  ``csv.reader`` and compare each cell with the source).
- **The same fields as the Anki note**: id, source note, stem, how many to choose, the
  correct letters (``A, C``), then per option its text, whether it is correct (``yes``/``no``)
  and why, then the explanation, the references (one per line, ``title <url>``), the note's
  key point and the tags (space-separated, as written). Option columns go A to F, further
  when a question of the export has more options.
- Written to a terminal (``-`` on a terminal), control characters in cells are shown as
  symbols, as everywhere in the app; to a file or a pipe, cells are exact.
- Spreadsheets may read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula; the
  cells are left as written (changing them would change the data), so open exports of notes
  you did not write with care (README says so).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO

from studyvpc.content.library import Library
from studyvpc.content.model import Question, Reference
from studyvpc.content.textutil import visible

MIN_LETTERS = "ABCDEF"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEAD = ("id", "note", "note_title", "stem", "choose", "correct")
TAIL = ("explanation", "references", "key_point", "tags")


def letters_for(questions: Sequence[Question]) -> str:
    """Option letters that get columns: A-F, and up to the furthest key any question uses."""
    furthest = max((_ALPHABET.index(o.key) for q in questions for o in q.options
                    if o.key in _ALPHABET), default=0)
    return _ALPHABET[: max(len(MIN_LETTERS), furthest + 1)]


def header(letters: str) -> list[str]:
    return [*HEAD, *(c for k in letters for c in (k, f"{k}_correct", f"{k}_why")), *TAIL]


def format_references(references: Sequence[Reference]) -> str:
    return "\n".join(f"{r.title} <{r.url}>" if r.title else f"<{r.url}>" for r in references)


def row(question: Question, library: Library, letters: str) -> list[str]:
    note = library.note_of(question)
    options = {o.key: o for o in question.options}
    cells = [question.id, question.note_id, note.title if note else "", question.stem,
             str(question.choose), ", ".join(sorted(question.correct_keys))]
    for key in letters:
        opt = options.get(key)
        cells += ([opt.text, "yes" if opt.correct else "no", opt.why] if opt else ["", "", ""])
    cells += [question.explanation, format_references(question.references),
              note.key_point if note else "", " ".join(question.tags)]
    return cells


def write_csv(questions: Sequence[Question], library: Library, out: IO[str], *,
              for_terminal: bool = False) -> int:
    """Write the header and one row per question to ``out`` (opened with ``newline=""``).

    ``for_terminal``: the rows are for eyes on a terminal, not for a file or a program, so
    control characters in the cells are shown as symbols (`visible`) and cannot drive it.
    """
    letters = letters_for(questions)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(letters))
    for q in questions:
        cells = row(q, library, letters)
        writer.writerow([visible(c) for c in cells] if for_terminal else cells)
    return len(questions)
