"""The Anki note type studyvpc exports: its fields, card templates and style, and a question's
field values.

Why it is built this way:

- **One Anki note per question, one card per note.** Anki's own note types cannot ask a
  multiple-choice question with an explanation per option; this one carries every part as a
  field of its own (the stem, each option, whether it is right, why, the explanation, the
  references, the source note's title and key point), so learners can search, edit and restyle
  them in Anki, and a later export updates the same fields.
- **Right and wrong in words and symbols**, never by colour alone: each option's mark field
  holds ``✔ correct`` or ``✘ not correct``; an empty why shows the app's own sentence for it
  (`studyvpc.content.model.NO_WHY`), so the field itself stays what the note says.
- **Stable ids.** The note type's id, each deck's id and each note's GUID derive from names and
  question ids (`stable_id`, ``genanki.guid_for``), so importing a new export over an old one
  updates the notes in place instead of adding copies.
- Field values are HTML made by `studyvpc.interop.html_text`: content is escaped, never markup.
"""

from __future__ import annotations

import hashlib

from studyvpc.content.model import NO_WHY, Note, Question
from studyvpc.interop.html_text import markdown_html, plain_html, references_html

LETTERS = "ABCDEF"
"""Options the note type has fields for (AWS exams ask at most six)."""
MARK_CORRECT = "✔ correct"
MARK_WRONG = "✘ not correct"
MODEL_NAME = "studyvpc multiple choice"

OPTION_FIELDS = tuple(name for letter in LETTERS
                      for name in (letter, f"{letter} Mark", f"{letter} Why"))
FIELDS = ("Question ID", "Stem", "Choose", *OPTION_FIELDS, "Correct", "Explanation",
          "References", "Note", "Key point")
SORT_FIELD = FIELDS.index("Stem")
"""Anki's browser lists notes by the stem; the first field (the id) keeps every note unique."""


def stable_id(name: str) -> int:
    """An id in [2**30, 2**31) derived from ``name`` (the range genanki recommends)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


MODEL_ID = stable_id(MODEL_NAME)


def _option_rows(back: bool) -> str:
    rows = []
    for letter in LETTERS:
        if back:
            body = (f'<div class="svpc-option-head"><span class="svpc-mark">{{{{{letter} Mark}}}}'
                    f'</span> <b class="svpc-letter">{letter}</b> {{{{{letter}}}}}</div>'
                    f'<div class="svpc-why">{{{{#{letter} Why}}}}{{{{{letter} Why}}}}'
                    f'{{{{/{letter} Why}}}}{{{{^{letter} Why}}}}<i>{NO_WHY}</i>'
                    f'{{{{/{letter} Why}}}}</div>')
        else:
            body = f'<b class="svpc-letter">{letter}</b> {{{{{letter}}}}}'
        rows.append(f'{{{{#{letter}}}}}<li class="svpc-option">{body}</li>{{{{/{letter}}}}}')
    return "\n".join(rows)


_STEM = ('<div class="svpc-stem">{{Stem}}</div>\n'
         '{{#Choose}}<p class="svpc-choose">(Choose {{Choose}}.)</p>{{/Choose}}\n')

FRONT = f'{_STEM}<ul class="svpc-options">\n{_option_rows(back=False)}\n</ul>'
BACK = (f'{_STEM}<hr id="answer">\n'
        '<p class="svpc-correct">Correct: <b>{{Correct}}</b></p>\n'
        f'<ul class="svpc-options svpc-reviewed">\n{_option_rows(back=True)}\n</ul>\n'
        '{{#Explanation}}<div class="svpc-explanation">{{Explanation}}</div>{{/Explanation}}\n'
        '{{#References}}<div class="svpc-references"><b>References</b>{{References}}</div>'
        '{{/References}}\n'
        '<div class="svpc-source">From the note <b>{{Note}}</b>'
        '{{#Key point}}<div class="svpc-key-point">{{Key point}}</div>{{/Key point}}</div>')

CSS = """\
.card { font-family: -apple-system, "Segoe UI", "Noto Sans KR", "Apple SD Gothic Neo",
        "Malgun Gothic", sans-serif; font-size: 18px; line-height: 1.5; text-align: left;
        max-width: 48em; margin: 0 auto; word-break: keep-all; overflow-wrap: anywhere; }
.svpc-options { list-style: none; padding-left: 0; }
.svpc-option { margin: 0.4em 0; }
.svpc-letter { display: inline-block; min-width: 1.4em; }
.svpc-mark { font-weight: bold; white-space: nowrap; }
.svpc-why { margin: 0.2em 0 0.6em 1.8em; }
.svpc-explanation, .svpc-references, .svpc-source { margin-top: 1em; }
.svpc-source { font-size: 0.9em; }
code { font-size: 0.9em; }
pre { white-space: pre-wrap; }
"""


def note_fields(question: Question, note: Note | None) -> list[str]:
    """The question's values for `FIELDS`, in order (HTML; empty for a missing option)."""
    options = {o.key: o for o in question.options}
    values = [plain_html(question.id), markdown_html(question.stem),
              str(question.choose) if question.is_multi else ""]
    for letter in LETTERS:
        opt = options.get(letter)
        if opt is None:
            values += ["", "", ""]
        else:
            values += [plain_html(opt.text), MARK_CORRECT if opt.correct else MARK_WRONG,
                       markdown_html(opt.why)]
    values += [", ".join(sorted(question.correct_keys)), markdown_html(question.explanation),
               references_html(question.references),
               plain_html(note.title) if note else "", markdown_html(note.key_point) if note else ""]
    return values


def too_many_options(question: Question) -> bool:
    """A question with options beyond F: the note type has no field for them."""
    return any(o.key not in LETTERS for o in question.options)


def anki_tag(tag: str) -> str:
    """``service/s3`` as Anki's hierarchical tag ``service::s3`` (spaces, which content tags
    never have, would split a tag in Anki: they become ``_``)."""
    return "::".join(part for part in tag.split("/") if part).replace(" ", "_")


def model():
    """The genanki note type."""
    import genanki

    return genanki.Model(
        MODEL_ID, MODEL_NAME, fields=[{"name": f} for f in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}], css=CSS,
        sort_field_index=SORT_FIELD)
