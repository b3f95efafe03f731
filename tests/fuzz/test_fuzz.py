"""Fuzzing what studyvpc reads from outside: content files, progress exports, saved exams.

Bounded so the suite stays fast (``FUZZ_EXAMPLES`` examples per target, 50 by default); set
STUDYVPC_FUZZ_EXAMPLES=5000 for a long run. Every target must: raise no exception but its own
documented refusal, locate every problem inside the file, print no C0/C1 control byte other
than newline, and leave what the learner has unchanged.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.shared import HOSTILE_STRINGS

import pytest

pytestmark = pytest.mark.slow  # a few seconds per target

FUZZ_EXAMPLES = int(os.environ.get("STUDYVPC_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=not os.environ.get(
    "STUDYVPC_FUZZ_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = [e["text"] for e in json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8"))]

NOTE_KEYS = ["id", "title", "aliases", "tags", "key_point", "sections", "flow", "layers",
             "tradeoffs", "concepts", "scenarios", "caveats", "see_also", "questions",
             "options", "key", "text", "correct", "why", "stem", "choose", "created"]
FRAGMENTS = st.one_of(
    st.sampled_from([f"{k}: " for k in NOTE_KEYS] + ["\n", "  ", "- ", ": ", "[[", "]]", "|",
                     ">", "&a", "*a", "!!python/object:os.system", "---", "...", "{", "}",
                     "[", "]", "'", '"', "#", "\t", "\r\n", "\ufeff", "id: x\ntitle: T\n"]),
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
)
CONTENT_TEXT = st.lists(FRAGMENTS, max_size=40).map("".join)


def check_errors(errors, files: dict[str, str]) -> None:
    for e in errors:
        shown = str(e)
        assert not RAW_CONTROL.search(shown), shown
        assert "\n" not in shown, shown
        assert e.location.line >= 1 and e.location.column >= 1, shown
        text = files.get(e.location.path)
        if text is not None:
            assert e.location.line <= text.count("\n") + 1, (shown, len(text))


@FUZZ
@given(texts=st.lists(CONTENT_TEXT, min_size=1, max_size=3))
def test_the_loader_never_raises_and_locates_every_problem(texts):
    from studyvpc.content.loader import load_library

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for i, text in enumerate(texts):
            path = Path(tmp) / f"n{i}.yaml"
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            files[str(path)] = text
        result = load_library([tmp])
        check_errors(result.errors, files)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8)
    | st.sampled_from(HOSTILE),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["uuid", "question_id", "chosen", "correct", "time_ms", "mode",
                         "answered_at", "id", "started", "card", "due", "rating",
                         "reviewed_at", "card_after", "session_id", "pass_mark",
                         "time_limit_s", "time_used_s", "reviews", "day"]) | st.text(max_size=5),
        inner, max_size=6),
    max_leaves=30)
EXPORTS = st.fixed_dictionaries(
    {"format": st.just("studyvpc-progress"), "version": st.sampled_from([1, 1, 1, 2, 0, "1"])},
    optional={k: st.lists(JSON_VALUES, max_size=4) | JSON_VALUES
              for k in ("sessions", "attempts", "cards", "review_logs", "exams")})


@FUZZ
@given(data=EXPORTS | JSON_VALUES, raw=st.booleans())
def test_progress_import_refuses_or_merges_and_never_raises_anything_else(data, raw):
    from studyvpc.interop.progress_json import import_json
    from studyvpc.progress.scheduler import ReviewScheduler
    from studyvpc.progress.store import ImportFormatError, ProgressStore

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        text = json.dumps(data, allow_nan=True)
        path.write_text(text[: len(text) // 2] if raw else text, encoding="utf-8")
        with ProgressStore.open(Path(tmp) / "data") as store:
            store.record_attempt("q0", "h", ["A"], True, time_ms=1, mode="practice")
            try:
                import_json(ReviewScheduler(store), path)
            except ImportFormatError as exc:
                assert not RAW_CONTROL.search(str(exc)), str(exc)
                assert store.attempt_count() == 1, "a refused import changes nothing"


def _valid_exam_state():
    from studyvpc.content.library import Library
    from studyvpc.content.model import Note, Option, Question
    from studyvpc.study.exam import ExamSettings, MockExam

    questions = tuple(Question(f"n-q{i}", f"Q{i}?", (Option("A", "a", True, "w"),
                                                      Option("B", "b", False, "w"),
                                                      Option("C", "c", True, "w")),
                               choose=1 + i % 2, note_id="n") for i in range(3))
    library = Library((Note("n", "N", questions=questions),))
    state = MockExam.start(library.questions, ExamSettings(3, 600, seed=1),
                           clock=lambda: 0.0).to_state()
    return library, state


@FUZZ
@given(path=st.lists(st.sampled_from(["items", 0, 1, "order", "answer", "flagged", "question",
                                      "time_limit_s", "time_used_s", "index", "pass_mark",
                                      "exam_id", "format", "version", "submitted"]),
                     min_size=1, max_size=3),
       value=JSON_VALUES, truncate=st.booleans())
def test_a_saved_exam_of_any_shape_never_breaks_a_start(path, value, truncate):
    from studyvpc.progress.exam_file import FILENAME
    from studyvpc.progress.exams import ExamKeeper
    from studyvpc.progress.service import Progress

    library, state = _valid_exam_state()
    target = state
    for step in path[:-1]:  # walk as far as the shape allows, then overwrite one value
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            break
    try:
        target[path[-1]] = value
    except (IndexError, TypeError):
        state["items"] = value
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        text = json.dumps(state, allow_nan=True)
        (data / FILENAME).write_text(text[: len(text) // 3] if truncate else text,
                                     encoding="utf-8")
        progress = Progress.open(library, data)
        try:
            keeper = ExamKeeper(progress, library, data)
            offer = keeper.offer()
            for notice in offer.notices:
                assert not RAW_CONTROL.search(notice.text), notice.text
            if offer.preview is None and not offer.elsewhere:
                assert not (data / FILENAME).exists() or not offer.notices
            assert keeper.offer().notices == [], "reported once"
        finally:
            progress.close()
