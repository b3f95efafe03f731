"""Plain mode: a practice session line by line on text streams (no TUI).

For screen readers, scripts and dumb terminals. It drives the same
`studyvpc.study.quiz.PracticeSession` as the TUI; this module only reads and prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from studyvpc.content.library import Library
from studyvpc.content.model import NO_WHY
from studyvpc.study.quiz import (
    AnswerError, AnswerResult, PracticeSession, Scope, ShownQuestion, format_duration,
    no_questions, parse_choice, select_questions,
)
from studyvpc.content.textutil import one_line, visible
from studyvpc.ui.cli.plain_markdown import to_plain


RATING_REPLIES = {"1": "hard", "h": "hard", "hard": "hard", "2": "good", "g": "good",
                  "good": "good", "3": "easy", "e": "easy", "easy": "easy"}
"""What may be typed at the "next" prompt to rate a right answer."""


def _indent(text: str, prefix: str) -> str:
    """Markdown ``text`` as plain text (`to_plain`), each line after ``prefix``."""
    return "\n".join(prefix + line if line.strip() else line
                     for line in visible(to_plain(text)).strip().splitlines())


def _inline(text: str) -> str:
    """Markdown ``text`` as one line of plain text (an option, a missed question)."""
    return one_line(to_plain(text))


def _write(stream: TextIO, text: str) -> None:
    """Write ``text`` with control characters made visible (plain mode writes no escape
    sequences of its own, so none from content reach the terminal); a terminal whose
    encoding lacks ✔, ✘ or Hangul gets '?', not a crash."""
    text = visible(text)
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "replace").decode(encoding))


def render_question(shown: ShownQuestion) -> str:
    q = shown.question
    lines = [f"Question {shown.number}/{shown.total}  [{q.id}]"]
    lines.append(_indent(q.stem, ""))
    if shown.kind.toggles:
        lines.append(f"({shown.kind.prompt(q)})")
    for opt in shown.options:
        lines.append(f"  {opt.letter}) {_inline(opt.option.text)}")
    return "\n".join(lines)


def render_result(result: AnswerResult) -> str:
    shown = result.shown
    right = shown.kind.spell(shown.correct_letters)
    lines = ["✔ Correct." if result.correct else f"✘ Wrong. The answer is {right}."]
    for fb in result.feedback:
        tags = []
        if fb.chosen:
            tags.append("your answer")
        if fb.correct:
            tags.append("correct")
        suffix = f"  ({', '.join(tags)})" if tags else ""
        lines.append(f"  {fb.mark} {fb.letter}) {_inline(fb.option.text)}{suffix}")
        lines.append(_indent(fb.why or f"({NO_WHY})", "      "))
    if result.explanation.strip():
        lines += ["Explanation:", _indent(result.explanation, "  ")]
    if result.references:
        lines.append("References:")
        lines += [f"  - {visible(r.title)} <{visible(r.url)}>" for r in result.references]
    return "\n".join(lines)


def run_plain_quiz(library: Library, scope: Scope, *, seed: int | None, limit: int | None,
                   stdin: TextIO, stdout: TextIO,
                   on_answer: Callable[[AnswerResult], str | None] | None = None,
                   session: PracticeSession | None = None,
                   on_rate: Callable[[AnswerResult, str], str | None] | None = None,
                   title: str = "Practice") -> int:
    """Ask the session's questions on ``stdin``/``stdout``.

    ``on_answer`` is called with each answer *before* its feedback is printed (to record it);
    a line it returns is printed after the feedback. ``on_rate``, if given, lets the learner
    rate a right answer at the "next" prompt (1/h hard, 2/g good, 3/e easy); it gets the result
    and the rating name and may return a line to print.
    """
    def say(text: str = "") -> None:
        _write(stdout, text + "\n")
        stdout.flush()

    def ask(prompt: str) -> str | None:
        _write(stdout, prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:
            say()
            return None
        return line.strip()

    if session is None:
        questions = select_questions(library, scope)
        if not questions:
            say(no_questions(library, scope))
            return 1
        session = PracticeSession(questions, seed=seed, limit=limit)
    say(f"{title}: {session.total} question{'s' * (session.total != 1)} from {scope.describe()}"
        + (f", seed {seed}" if seed is not None else "") + ". Type q to stop.")
    while not session.finished:
        shown = session.current
        say()
        say(render_question(shown))
        while True:
            n = shown.kind.need(shown.question)
            raw = ask(f"Answer ({'/'.join(shown.letters)}{', pick ' + str(n) if n > 1 else ''}): ")
            if raw is None or raw.lower() in ("q", "quit"):
                session.stop()
                break
            if not raw:
                continue
            try:
                result = session.answer(parse_choice(raw, shown))
            except AnswerError as exc:
                say(f"  {exc}")
                continue
            note = on_answer(result) if on_answer is not None else None
            say(render_result(result))
            if note:
                say(note)
            rate = on_rate if result.correct else None
            nxt = ask("Enter for the next question"
                      + (" (or rate it: 1 hard, 2 good, 3 easy)" if rate else "")
                      + ", q to stop: ")
            if nxt is None or nxt.lower() in ("q", "quit"):
                session.stop()
            else:
                rating = RATING_REPLIES.get(nxt.lower())
                if rate is not None and rating is not None:
                    line = rate(result, rating)
                    if line:
                        say(line)
                session.next()
            break
    s = session.summary()
    say()
    if not s.answered:
        say("Nothing was answered, so there is no score.")
        return 0
    say(f"Score: {s.right}/{s.answered} ({s.percent:.0f}%) of {s.total} in {format_duration(s.elapsed_s)}")
    for tag, ts in s.by_tag.items():
        say(f"  {tag}: {ts.right}/{ts.total}")
    if s.missed:
        say("Missed:")
        for q in s.missed:
            say(f"  - {q.id}: {_inline(q.stem)[:100]}")
    return 0

