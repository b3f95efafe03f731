"""CSV export: RFC 4180 through the csv module, read back with every field as in the source."""

from __future__ import annotations

import csv
import io

from studyvpc.content.library import Library
from studyvpc.content.model import Note, Option, Question, Reference
from studyvpc.interop.csv_export import header, letters_for, write_csv

from .export_support import HANGUL, bundled_library, hostile_library


def written(library: Library, questions=None) -> str:
    out = io.StringIO(newline="")
    n = write_csv(library.questions if questions is None else questions, library, out)
    assert n == len(library.questions if questions is None else questions)
    return out.getvalue()


def read_back(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def expected_row(q: Question, library: Library) -> dict[str, str]:
    """Each cell, derived from the source here (not by the exporter's own code)."""
    note = library.note_of(q)
    cells = {"id": q.id, "note": q.note_id, "note_title": note.title, "stem": q.stem,
             "choose": str(q.choose), "correct": ", ".join(o.key for o in q.options if o.correct),
             "explanation": q.explanation, "key_point": note.key_point, "tags": " ".join(q.tags),
             # one reference a line, as README documents: "title <url>", "<url>" without a title
             "references": "\n".join(f"{r.title} <{r.url}>" if r.title else f"<{r.url}>"
                                     for r in q.references)}
    for letter in "ABCDEF":
        cells.update({letter: "", f"{letter}_correct": "", f"{letter}_why": ""})
    for o in q.options:
        cells.update({o.key: o.text, f"{o.key}_correct": "yes" if o.correct else "no",
                      f"{o.key}_why": o.why})
    return cells


def test_bundled_deck_round_trips_with_every_field_intact():
    library = bundled_library()
    text = written(library)
    rows = read_back(text)
    assert len(rows) == 61 and sum(r["choose"] != "1" for r in rows) == 12
    assert [r["id"] for r in rows] == [q.id for q in library.questions]
    for row, q in zip(rows, library.questions):
        assert row == expected_row(q, library), q.id
    assert any(HANGUL.search(r["note_title"]) for r in rows)
    assert "\r\n" in text and text.startswith("id,note,note_title,stem,")  # RFC 4180: CRLF


def test_hostile_text_round_trips_exactly():
    library = hostile_library()
    rows = read_back(written(library))
    for row, q in zip(rows, library.questions, strict=True):
        assert row == expected_row(q, library), q.id


def test_commas_quotes_and_line_breaks_are_quoted():
    q = Question(id="q", stem='He said "no", then\nleft', note_id="n",
                 options=(Option("A", "a, b", True, ""), Option("B", "b", False, "")),
                 references=(Reference("T", "https://e.invalid/a,b"),))
    library = Library((Note(id="n", title="N", questions=(q,)),))
    text = written(library)
    assert '"He said ""no"", then\nleft"' in text and '"a, b"' in text
    assert read_back(text)[0]["stem"] == q.stem


def test_columns_grow_past_f_only_when_a_question_needs_them():
    six = Question(id="six", stem="s", note_id="n",
                   options=tuple(Option(k, k, k == "A", "") for k in "ABCDEF"))
    eight = Question(id="eight", stem="s", note_id="n",
                     options=tuple(Option(k, k, k == "A", "") for k in "ABCDEFGH"))
    assert letters_for([six]) == letters_for([]) == "ABCDEF"
    assert letters_for([six, eight]) == "ABCDEFGH"
    library = Library((Note(id="n", title="N", questions=(six, eight)),))
    rows = read_back(written(library))
    assert rows[1]["H"] == "H" and rows[0]["H"] == "" and "H_why" in header("ABCDEFGH")


def test_rows_for_a_terminal_show_control_characters_as_symbols():
    library = hostile_library()
    out = io.StringIO(newline="")
    write_csv(library.questions, library, out, for_terminal=True)
    text = out.getvalue().replace("\r\n", "")
    assert not [c for c in text if (ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F]
    assert "␛[31mred␛[0m" in text
    assert "\x1b" in written(library)  # a file or a pipe gets the text exactly
