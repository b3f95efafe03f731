"""An unanswered mock-exam question is stored as skipped: 0 in its exam's score, but not an
answer in the statistics, no recall for the scheduler, not "missed" for the drills (issue 13,
item 5a); databases and exports from before are read the same way."""

from __future__ import annotations

import json
import sqlite3

import pytest
from support.progress import FIXTURES, NOW, utc_local_time  # noqa: F401  (autouse)

from studyvpc.content.loader import load_library
from studyvpc.interop.progress_json import export_dict, import_dict
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.service import Progress
from studyvpc.progress.store import DB_NAME, ProgressStore
from studyvpc.progress.store import schema
from studyvpc.study.exam import ExamSettings, MockExam


@pytest.fixture
def progress(tmp_path):
    library = load_library([FIXTURES]).library
    p = Progress.open(library, tmp_path / "data", clock=lambda: NOW)
    yield p
    p.close()


def take_exam(progress: Progress, answered: int, right: int) -> MockExam:
    """A 5-question exam: the first ``answered`` answered (``right`` of them right), the rest
    left unanswered; submitted and recorded."""
    exam = MockExam.start(list(progress.library.questions),
                          ExamSettings(count=5, time_limit_s=600, seed=4), clock=lambda: 0.0,
                          scope="all questions")
    for i in range(answered):
        shown = exam.items[i].shown
        letters = sorted(shown.correct_letters) if i < right else [
            next(x for x in shown.letters if x not in shown.correct_letters)]
        for letter in letters:
            exam.select(letter, i)
    assert progress.record_exam(exam, exam.submit()) is not None
    return exam


def test_unanswered_exam_questions_are_skipped_not_wrong(progress):
    take_exam(progress, answered=3, right=2)
    stats = progress.stats()
    assert (stats.total_attempts, stats.correct_attempts, stats.skipped) == (3, 2, 2)
    assert sum(stats.answers_per_day.values()) == 3
    assert stats.questions_answered == 3
    # The schedule: only the three answered questions have cards (none moved for a skip).
    assert len(progress.store.cards()) == 3 and len(progress.store.review_logs()) == 3
    # The drills: only the one answered wrong is missed.
    assert len(progress.missed_ids()) == 1
    # The exam keeps its score: 2 right of 5 questions.
    [exam] = progress.finished_exams()
    assert (exam.right, exam.answered, exam.skipped) == (2, 5, 2)
    assert exam.accuracy == pytest.approx(0.4)
    assert progress.store.attempt_count() == 3


def test_export_and_import_carry_skipped(progress, tmp_path):
    take_exam(progress, answered=1, right=1)
    data = export_dict(progress.store)
    assert [a["skipped"] for a in data["attempts"]].count(True) == 4
    with ProgressStore.open(tmp_path / "other") as other:
        import_dict(ReviewScheduler(other), json.loads(json.dumps(data)))
        assert other.attempt_count() == 1
        assert sum(a.skipped for a in other.attempts()) == 4


def test_an_export_from_before_reads_empty_exam_answers_as_skipped(progress, tmp_path):
    take_exam(progress, answered=1, right=0)
    data = export_dict(progress.store)
    for a in data["attempts"]:
        del a["skipped"]
    with ProgressStore.open(tmp_path / "other") as other:
        import_dict(ReviewScheduler(other), data)
        assert [a.skipped for a in other.attempts()].count(True) == 4


def test_a_skipped_question_that_is_correct_is_refused(progress, tmp_path):
    take_exam(progress, answered=1, right=1)
    data = export_dict(progress.store)
    data["attempts"][0]["skipped"] = True
    data["attempts"][0]["correct"] = True
    from studyvpc.progress.store import ImportFormatError

    with ProgressStore.open(tmp_path / "other") as other, pytest.raises(ImportFormatError,
                                                                       match="skipped"):
        import_dict(ReviewScheduler(other), data)


def v2_database(folder) -> None:
    """A database as version 2 wrote it: an exam of 3 questions, 1 right, 1 wrong, 1 left
    unanswered (stored then as a wrong answer with nothing chosen)."""
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    for migration in schema.MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO sessions VALUES ('e1', 'exam', 'all', "
                 "'2025-01-02T10:00:00.000000+00:00', '2025-01-02T10:10:00.000000+00:00')")
    for uuid, qid, chosen, correct in (("a1", "q1", '["A"]', 1), ("a2", "q2", '["B"]', 0),
                                       ("a3", "q3", "[]", 0)):
        conn.execute("INSERT INTO attempts VALUES (?, ?, 'h', ?, ?, 1000, 'exam', 'e1',"
                     " '2025-01-02T10:10:00.000000+00:00', '2025-01-02')",
                     (uuid, qid, chosen, correct))
    conn.execute("INSERT INTO exams VALUES ('e1', 0.7, 600, 600, 0)")
    conn.close()


def test_migration_marks_earlier_unanswered_exam_questions_skipped(tmp_path):
    from studyvpc.progress.store.history import session_results
    from studyvpc.progress.store.stats import compute_stats

    v2_database(tmp_path / "data")
    with ProgressStore.open(tmp_path / "data") as store:
        assert store.schema_version == schema.current_version()
        assert [a.skipped for a in store.attempts()] == [False, False, True]
        [exam] = session_results(store, modes=("exam",))
        assert (exam.right, exam.answered, exam.skipped) == (1, 3, 1)  # its score stays 1/3
        stats = compute_stats(store)
        assert (stats.total_attempts, stats.skipped) == (2, 1)
        assert store.integrity_check() == "ok"


def test_restore_of_an_older_backup_migrates_a_copy(tmp_path):
    """`progress restore` of a backup made before version 3: restored and migrated, while the
    backup file itself stays as it was."""
    v2_database(tmp_path / "old")
    backup = tmp_path / "old" / DB_NAME
    before = backup.read_bytes()
    with ProgressStore.open(tmp_path / "data") as store:
        store.restore(backup)
        assert [a.skipped for a in store.attempts()] == [False, False, True]
        assert store.attempt_count() == 2
    assert backup.read_bytes() == before
