"""Plain mode records progress: ``studyvpc quiz --plain`` and ``studyvpc review --plain``.

Options are shuffled, so the tests build the same `PracticeSession` the command builds (same
questions, same seed) to know which letter is right, then type answers on a fake stdin.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from support.content import write_deck
from support.progress import db_rows as rows

from studyvpc.ui.cli.main import main
from studyvpc.content.loader import load_library
from studyvpc.study.quiz import PracticeSession, Scope, select_questions
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.progress.store.schema import utc_now


@pytest.fixture
def content(tmp_path):
    folder = write_deck(tmp_path / "content", third_option=True)
    assert load_library([folder]).ok
    return folder


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def twin(content, seed: int, scope: Scope = Scope(), limit: int | None = None,
         ids: list[str] | None = None) -> PracticeSession:
    """The session the command will build, to read the shuffled letters from."""
    library = load_library([content]).library
    if ids is not None:
        scope = Scope("ids", ids=tuple(ids))
    return PracticeSession(select_questions(library, scope), seed=seed, limit=limit)


def replies(session: PracticeSession, plan: list[tuple[bool, str]]) -> str:
    """For each question: answer right or wrong, then type ``after`` at the "next" prompt."""
    lines = []
    for right, after in plan:
        shown = session.current
        right_letter = next(iter(shown.correct_letters))
        wrong_letter = next(letter for letter in shown.letters if letter != right_letter)
        lines.append(right_letter if right else wrong_letter)
        lines.append(after)
        session.answer({lines[-2]})
        session.next()
    return "\n".join(lines) + "\n"


def run(monkeypatch, capsys, stdin: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_quiz_records_every_answer_with_its_session(content, data, monkeypatch, capsys):
    session = twin(content, seed=5)
    stdin = replies(session, [(True, ""), (False, ""), (True, "")])
    code, out, err = run(monkeypatch, capsys, stdin, "quiz", "--plain", "--seed", "5",
                         "--content", str(content), "--data-dir", str(data))
    assert code == 0, err
    assert "Score: 2/3" in out
    attempts = rows(data, "SELECT question_id, correct, mode, session_id FROM attempts"
                          " ORDER BY answered_at, rowid")
    assert [(q, c, m) for q, c, m, _ in attempts] == [
        (r.question.id, int(r.correct), "practice") for r in session.results]
    sessions = rows(data, "SELECT id, mode, scope, finished FROM sessions")
    assert len(sessions) == 1
    sid, mode, scope, finished = sessions[0]
    assert (mode, scope) == ("practice", "all questions") and finished is not None
    assert {a[3] for a in attempts} == {sid}
    # Every answer moved its card: right ones rated Good (3) by default, wrong ones Again (1).
    ratings = rows(data, "SELECT question_id, rating FROM review_logs ORDER BY reviewed_at, rowid")
    assert ratings == [(r.question.id, 3 if r.correct else 1) for r in session.results]


def test_answers_are_kept_when_the_learner_stops_early(content, data, monkeypatch, capsys):
    session = twin(content, seed=2)
    stdin = replies(session, [(True, "q")])
    code, out, _ = run(monkeypatch, capsys, stdin, "quiz", "--plain", "--seed", "2",
                       "--content", str(content), "--data-dir", str(data))
    assert code == 0
    assert "Score: 1/1" in out
    assert rows(data, "SELECT COUNT(*) FROM attempts") == [(1,)]


def test_a_right_answer_can_be_rated_at_the_next_prompt(content, data, monkeypatch, capsys):
    session = twin(content, seed=7)
    stdin = replies(session, [(True, "3"), (True, "h"), (False, "3")])
    code, out, _ = run(monkeypatch, capsys, stdin, "quiz", "--plain", "--seed", "7",
                       "--content", str(content), "--data-dir", str(data))
    assert code == 0
    assert "(or rate it: 1 hard, 2 good, 3 easy)" in out
    assert "Rated Easy: next review in" in out and "Rated Hard: next review in" in out
    ratings = rows(data, "SELECT question_id, rating FROM review_logs ORDER BY reviewed_at, rowid")
    # Easy (4), Hard (2); the wrong answer stays Again (1) whatever is typed after it.
    assert [r for _, r in ratings] == [4, 2, 1]
    prompts = [line for line in out.splitlines() if "Enter for the next question" in line]
    assert "rate it" not in prompts[2]


def test_unusable_data_dir_says_progress_is_not_saved_and_still_runs(content, tmp_path,
                                                                     monkeypatch, capsys):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be", encoding="utf-8")
    session = twin(content, seed=1)
    stdin = replies(session, [(True, ""), (True, ""), (True, "")])
    code, out, err = run(monkeypatch, capsys, stdin, "quiz", "--plain", "--seed", "1",
                         "--content", str(content), "--data-dir", str(blocker))
    assert code == 0
    assert "Progress will not be saved" in err
    assert "Score: 3/3" in out


def seed_history(data, *, days_ago: int, answers: list[tuple[str, bool]]) -> None:
    """Answers given ``days_ago`` days ago, so their cards are due again by now."""
    at = utc_now() - timedelta(days=days_ago)
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        for i, (qid, right) in enumerate(answers):
            sched.answer(qid, "h", ["A"] if right else ["B"], right, time_ms=1000,
                         mode="practice", now=at + timedelta(seconds=i))


def test_review_plain_asks_only_the_due_questions(content, data, monkeypatch, capsys):
    # vpc-q1 was answered wrong long ago (due), s3-q1 right a minute ago (not due),
    # vpc-q2 never answered (no card: not due).
    seed_history(data, days_ago=60, answers=[("vpc-q1", False)])
    seed_history(data, days_ago=0, answers=[("s3-q1", True)])
    session = twin(content, seed=4, ids=["vpc-q1"])
    stdin = replies(session, [(True, "")])
    code, out, err = run(monkeypatch, capsys, stdin, "review", "--plain", "--seed", "4",
                         "--content", str(content), "--data-dir", str(data))
    assert code == 0, err
    assert "Review: 1 question from your due reviews" in out
    assert "[vpc-q1]" in out and "[s3-q1]" not in out and "[vpc-q2]" not in out
    assert rows(data, "SELECT question_id, correct, mode FROM attempts WHERE mode = 'review'") == [
        ("vpc-q1", 1, "review")]
    assert rows(data, "SELECT mode, scope FROM sessions") == [("review", "your due reviews")]
    # Reviewed right: no longer due.
    code, out, _ = run(monkeypatch, capsys, "", "review", "--plain",
                       "--content", str(content), "--data-dir", str(data))
    assert code == 0
    assert "Nothing is due for review now. The next review is" in out


def test_review_plain_with_nothing_recorded_says_how_to_start(content, data, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "", "review", "--plain",
                       "--content", str(content), "--data-dir", str(data))
    assert code == 0
    assert "Nothing is due for review now." in out and "studyvpc quiz" in out
    assert rows(data, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_review_limit_takes_the_most_overdue(content, data, monkeypatch, capsys):
    seed_history(data, days_ago=90, answers=[("s3-q1", False)])
    seed_history(data, days_ago=30, answers=[("vpc-q1", False), ("vpc-q2", False)])
    session = twin(content, seed=9, ids=["s3-q1"])
    stdin = replies(session, [(False, "")])
    code, out, _ = run(monkeypatch, capsys, stdin, "review", "--plain", "--limit", "1",
                       "--seed", "9", "--content", str(content), "--data-dir", str(data))
    assert code == 0
    assert "[s3-q1]" in out and "[vpc-q1]" not in out


def test_review_plain_with_a_damaged_database_does_not_claim_there_is_no_schedule(
        content, data, monkeypatch, capsys):
    data.mkdir()
    damaged = data / "progress.sqlite3"
    damaged.write_bytes(b"not a database at all " * 300)
    before = damaged.read_bytes()
    code, out, err = run(monkeypatch, capsys, "", "review", "--plain",
                         "--content", str(content), "--data-dir", str(data))
    assert code == 1
    assert "is damaged" in err and "review schedule cannot be read" in err
    assert "studyvpc quiz" not in out, "no advice to build a schedule the learner already has"
    assert damaged.read_bytes() == before
