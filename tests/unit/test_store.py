"""The SQLite progress store: recording, migrations, refusing bad files, import/export, reset."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from studyvpc.progress.store import (
    CorruptDatabase,
    ImportFormatError,
    NewerSchemaVersion,
    ProgressStore,
    StoreUnavailable,
    open_or_memory,
)
from studyvpc.progress.store import schema
from studyvpc.progress.store.records import CardUpdate, ExamOutcome, PendingAnswer
from studyvpc.progress.store.schema import local_day
from studyvpc.interop.progress_json import export_json, import_json
from studyvpc.progress.scheduler import ReviewScheduler

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)

# Frozen copy of the first release's schema (migration 1). Never edit: databases in the wild
# were created by exactly this SQL, and the store must keep opening them.
V1_FROZEN = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, mode TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '',
    started TEXT NOT NULL, finished TEXT);
CREATE TABLE attempts (
    uuid TEXT PRIMARY KEY, question_id TEXT NOT NULL, content_hash TEXT NOT NULL,
    chosen TEXT NOT NULL, correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    time_ms INTEGER NOT NULL CHECK (time_ms >= 0), mode TEXT NOT NULL, session_id TEXT,
    answered_at TEXT NOT NULL, day TEXT NOT NULL);
CREATE INDEX attempts_question ON attempts (question_id, correct, time_ms);
CREATE INDEX attempts_day ON attempts (day);
CREATE INDEX attempts_session ON attempts (session_id, answered_at);
CREATE TABLE cards (
    question_id TEXT PRIMARY KEY, card TEXT NOT NULL, due TEXT NOT NULL, last_review TEXT,
    reviews INTEGER NOT NULL DEFAULT 0);
CREATE INDEX cards_due ON cards (due);
CREATE TABLE review_logs (
    uuid TEXT PRIMARY KEY, question_id TEXT NOT NULL, attempt_uuid TEXT,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), reviewed_at TEXT NOT NULL,
    duration_ms INTEGER, card_before TEXT, card_after TEXT NOT NULL);
CREATE INDEX review_logs_question ON review_logs (question_id, reviewed_at);
INSERT INTO sessions VALUES ('s1', 'practice', 'all questions', '2025-01-02T10:00:00.000000+00:00', NULL);
INSERT INTO attempts VALUES ('a1', 'q1', 'hash1', '["A"]', 1, 4000, 'practice', 's1',
    '2025-01-02T10:00:05.000000+00:00', '2025-01-02');
INSERT INTO attempts VALUES ('a2', 'gone', 'hash2', '["B","C"]', 0, 9000, 'practice', 's1',
    '2025-01-02T10:01:05.000000+00:00', '2025-01-02');
PRAGMA user_version = 1;
"""


def make_v1(path):
    conn = sqlite3.connect(path)
    conn.executescript(V1_FROZEN)
    conn.commit()
    conn.close()


@pytest.fixture
def store(tmp_path):
    s = ProgressStore.open(tmp_path / "data")
    yield s
    s.close()


def answer(store, qid="q1", correct=True, *, at=T0, mode="practice", session_id=None, ms=1500):
    return store.record_attempt(qid, "h-" + qid, ["A"] if correct else ["B"], correct,
                                time_ms=ms, mode=mode, session_id=session_id, at=at)


# --------------------------------------------------------------------------- basics


def test_creates_database_in_data_dir_with_wal_and_full_sync(tmp_path):
    data = tmp_path / "not" / "yet" / "there"
    with ProgressStore.open(data) as s:
        assert s.path == data / "progress.sqlite3"
        assert s.path.is_file()
        assert s.schema_version == schema.current_version()
        assert s.fetchall("PRAGMA journal_mode")[0][0] == "wal"
        assert s.fetchall("PRAGMA synchronous")[0][0] == 2  # FULL
        assert s.fetchall("PRAGMA busy_timeout")[0][0] >= 5000


def test_record_attempt_is_committed_and_visible_to_another_connection(store):
    sid = store.start_session("practice", "tag service/s3", at=T0)
    rec = store.record_attempt("q1", "abc", ["C", "A"], True, time_ms=2345, mode="practice",
                               session_id=sid, at=T0 + timedelta(seconds=5))
    assert rec.chosen == ("C", "A"), "kept in the order given"
    other = sqlite3.connect(store.path)  # a separate connection sees it: it is committed
    row = other.execute("SELECT question_id, content_hash, chosen, correct, time_ms, mode,"
                        " session_id, answered_at, day FROM attempts WHERE uuid = ?",
                        (rec.uuid,)).fetchone()
    other.close()
    assert row == ("q1", "abc", '["C", "A"]', 1, 2345, "practice", sid,
                   "2025-03-10T09:00:05.000000+00:00", local_day(rec.answered_at).isoformat())
    store.finish_session(sid, at=T0 + timedelta(minutes=3))
    [session] = store.sessions()
    assert (session.mode, session.scope, session.finished) == (
        "practice", "tag service/s3", T0 + timedelta(minutes=3))
    assert store.attempts("q1") == [rec]


def test_rejects_unknown_mode_and_naive_time(store):
    with pytest.raises(ValueError, match="mode"):
        store.record_attempt("q1", "h", ["A"], True, time_ms=1, mode="cram")
    with pytest.raises(ValueError, match="timezone"):
        store.record_attempt("q1", "h", ["A"], True, time_ms=1, mode="practice",
                             at=datetime(2025, 1, 1))
    assert store.attempt_count() == 0


def test_failed_review_rolls_back_the_whole_answer(store):
    def broken(card):
        raise RuntimeError("scheduler blew up")

    with pytest.raises(RuntimeError):
        store.record_attempt("q1", "h", ["A"], True, time_ms=1, mode="practice", review=broken)
    assert store.attempt_count() == 0
    assert store.cards() == []


def test_review_callback_writes_card_and_log_in_the_same_transaction(store):
    seen = []

    def review(card):
        seen.append(card)
        return CardUpdate(card='{"due": "x"}', due=T0 + timedelta(days=2), last_review=T0,
                          rating=3, card_before=None)

    rec = store.record_attempt("q1", "h", ["A"], True, time_ms=10, mode="practice", at=T0,
                               review=review)
    store.record_attempt("q1", "h", ["A"], True, time_ms=10, mode="practice", at=T0, review=review)
    assert seen[0] is None and seen[1].reviews == 1
    card = store.card("q1")
    assert card.reviews == 2 and card.due == T0 + timedelta(days=2)
    logs = store.review_logs("q1")
    assert [log.attempt_uuid for log in logs][0] == rec.uuid
    assert store.due_count(T0 + timedelta(days=2)) == 1
    assert store.due_count(T0 + timedelta(days=1)) == 0
    assert store.next_due(T0) == T0 + timedelta(days=2)


def test_in_memory_store_works_but_is_not_persistent():
    s = ProgressStore.in_memory()
    answer(s)
    assert s.attempt_count() == 1
    assert not s.persistent
    with pytest.raises(StoreUnavailable, match="will not be saved"):
        s.reset()


# --------------------------------------------------------------------------- migrations


def test_opens_and_keeps_a_v1_database_created_by_raw_sql(tmp_path):
    make_v1(tmp_path / "progress.sqlite3")
    with ProgressStore.open(tmp_path) as s:
        assert s.schema_version == schema.current_version()
        attempts = s.attempts()
        assert [(a.uuid, a.question_id, a.chosen, a.correct) for a in attempts] == [
            ("a1", "q1", ("A",), True), ("a2", "gone", ("B", "C"), False)]
        # still writable with the current code
        answer(s, "q1", at=T0)
        assert s.attempt_count() == 3


def test_v1_database_gains_the_exams_table_in_migration_2(tmp_path):
    make_v1(tmp_path / "progress.sqlite3")
    with ProgressStore.open(tmp_path) as s:
        assert s.schema_version >= 2
        assert s.fetchall("SELECT COUNT(*) FROM exams") == [(0,)]
        assert [a.uuid for a in s.attempts()] == ["a1", "a2"], "the history is kept"
        stored = s.record_session("exam", "all questions", [
            PendingAnswer("q1", "h", ("A",), True, 1000)], session_id="x1",
            started=T0, finished=T0 + timedelta(minutes=2),
            exam=ExamOutcome(0.72, 600, 120.0, False))
        assert stored is not None and s.exam("x1") == ExamOutcome(0.72, 600, 120.0, False)
        assert s.exam("s1") is None, "a practice session has no exam outcome"


def test_forward_migration_runs_once_from_v1(tmp_path, monkeypatch):
    make_v1(tmp_path / "progress.sqlite3")
    calls = []
    nxt = schema.current_version() + 1

    def v_next(conn):
        calls.append(1)
        conn.execute("ALTER TABLE attempts ADD COLUMN confidence INTEGER")
        conn.execute("UPDATE attempts SET confidence = 5")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, v_next])
    with ProgressStore.open(tmp_path) as s:
        assert s.schema_version == nxt
        assert s.fetchall("SELECT uuid, confidence FROM attempts ORDER BY uuid") == [
            ("a1", 5), ("a2", 5)]
    with ProgressStore.open(tmp_path) as s:  # already there: nothing runs again
        assert s.schema_version == nxt
    assert calls == [1]


def test_failed_migration_leaves_previous_version(tmp_path, monkeypatch):
    make_v1(tmp_path / "progress.sqlite3")
    last_good = schema.current_version()

    def bad_next(conn):
        conn.execute("ALTER TABLE attempts ADD COLUMN confidence INTEGER")
        raise RuntimeError("bug in the next migration")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, bad_next])
    with pytest.raises(RuntimeError):
        ProgressStore.open(tmp_path)
    conn = sqlite3.connect(tmp_path / "progress.sqlite3")
    # every step before the bad one is committed (one transaction each); the bad one is not
    assert conn.execute("PRAGMA user_version").fetchone()[0] == last_good
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    conn.close()
    assert "confidence" not in columns


# --------------------------------------------------------------------------- refusing bad files


def test_file_that_is_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    garbage = b"this is my shopping list, not a database\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(CorruptDatabase) as exc:
        ProgressStore.open(tmp_path)
    message = str(exc.value)
    assert str(path) in message and "damaged" in message and "untouched" in message
    assert path.read_bytes() == garbage
    fallback, error = open_or_memory(tmp_path)
    assert isinstance(error, CorruptDatabase) and not fallback.persistent
    assert path.read_bytes() == garbage


def test_database_with_damaged_pages_is_refused_and_untouched(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        for i in range(400):
            answer(s, f"q{i % 37}", i % 3 != 0, at=T0 + timedelta(minutes=i))
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    n_pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    assert n_pages > 6
    for page in range(3, n_pages, 2):  # scribble over every other b-tree page
        start = page * page_size
        data[start:start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase, match="damaged"):
        ProgressStore.open(tmp_path)
    assert path.read_bytes() == before


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {schema.current_version() + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaVersion) as exc:
        ProgressStore.open(tmp_path)
    assert "newer version of studyvpc" in str(exc.value)
    assert exc.value.found == schema.current_version() + 1
    assert path.read_bytes() == before
    assert not (tmp_path / "progress.sqlite3-wal").exists()


def test_data_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable) as exc:
        ProgressStore.open(blocker / "data")
    assert "Progress will not be saved" in str(exc.value)
    store, error = open_or_memory(blocker / "data")
    assert isinstance(error, StoreUnavailable)
    answer(store)  # the app keeps running, in memory
    assert store.attempt_count() == 1


READ_ONLY_OPEN = r"""
import sys
from studyvpc.progress.store import ProgressStore, StoreUnavailable, open_or_memory
data = sys.argv[1]
try:
    ProgressStore.open(data)
except StoreUnavailable as e:
    print("refused:", e)
store, error = open_or_memory(data)
store.record_attempt("q1", "h", ["A"], True, time_ms=1, mode="practice")
print("in memory:", not store.persistent, store.attempt_count())
"""


def run_on_read_only(folder) -> subprocess.CompletedProcess:
    """Run READ_ONLY_OPEN on ``folder`` made read-only: by its mode bits for a normal user, by a
    read-only bind mount in a private mount namespace for root (whom mode bits do not stop)."""
    cmd = [sys.executable, "-c", READ_ONLY_OPEN, str(folder)]
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        finally:
            folder.chmod(0o700)
    if shutil.which("unshare") is None:
        pytest.skip("root without unshare(1): no way to make a read-only folder here")
    script = ('mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 99; exec "$@"')
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", script, str(folder), *cmd],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount read-only here: {proc.stderr.strip()}")
    return proc


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and mounts")
@pytest.mark.parametrize("with_database", [False, True], ids=["empty", "existing-database"])
def test_read_only_data_dir(tmp_path, with_database):
    data = tmp_path / "ro"
    data.mkdir()
    before = None
    if with_database:
        with ProgressStore.open(data) as store:
            answer(store)
        before = (data / "progress.sqlite3").read_bytes()
    proc = run_on_read_only(data)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"refused: Cannot use the progress data directory {data}: "
                               "the directory is not writable"), proc.stdout
    assert lines[0].endswith("Progress will not be saved in this session.")
    assert lines[1] == "in memory: True 1"  # the app keeps running, in memory
    if with_database:
        assert (data / "progress.sqlite3").read_bytes() == before


# --------------------------------------------------------------------------- own your data


def seed_with_cards(store, n=5):
    def review(card):
        return CardUpdate(card=json.dumps({"due": "2025-03-12", "n": card.reviews if card else 0}),
                          due=T0 + timedelta(days=2), last_review=T0, rating=3, card_before=None)

    sid = store.start_session("practice", at=T0)
    for i in range(n):
        store.record_attempt(f"q{i}", "h", ["A"], i % 2 == 0, time_ms=1000 + i, mode="practice",
                             session_id=sid, at=T0 + timedelta(seconds=i), review=review)
    store.finish_session(sid, at=T0 + timedelta(minutes=1))
    return sid


def test_export_has_format_and_everything(store, tmp_path):
    seed_with_cards(store)
    path = export_json(store, tmp_path / "out.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "studyvpc-progress" and data["version"] == 1
    assert len(data["attempts"]) == 5 and len(data["sessions"]) == 1
    assert len(data["cards"]) == 5 and len(data["review_logs"]) == 5
    assert all(len(a["uuid"]) == 32 for a in data["attempts"])
    assert data["attempts"][0]["chosen"] == ["A"] and data["attempts"][0]["correct"] is True


def test_import_merges_and_never_duplicates(tmp_path):
    with ProgressStore.open(tmp_path / "laptop") as laptop:
        seed_with_cards(laptop)
        export = export_json(laptop, tmp_path / "laptop.json")
    with ProgressStore.open(tmp_path / "desktop") as desktop:
        answer(desktop, "q9", at=T0 + timedelta(days=1))
        first = import_json(ReviewScheduler(desktop), export)
        assert (first.attempts_added, first.sessions_added, first.review_logs_added,
                first.cards_added) == (5, 1, 5, 5)
        counts = (desktop.attempt_count(), len(desktop.sessions()), len(desktop.review_logs()),
                  len(desktop.cards()))
        assert counts == (6, 1, 5, 5)
        second = import_json(ReviewScheduler(desktop), export)
        assert second.attempts_added == 0 and second.attempts_skipped == 5
        assert (desktop.attempt_count(), len(desktop.sessions()), len(desktop.review_logs()),
                len(desktop.cards())) == counts
        # and the round trip back: the laptop gains only the desktop's own answer
        back = export_json(desktop, tmp_path / "desktop.json")
    with ProgressStore.open(tmp_path / "laptop") as laptop:
        result = import_json(ReviewScheduler(laptop), back)
        assert result.attempts_added == 1 and laptop.attempt_count() == 6


def test_import_rejects_other_files_without_changing_anything(store, tmp_path):
    answer(store)
    bad = tmp_path / "bad.json"
    for content, match in [
        ("not json", "not JSON"),
        (json.dumps({"format": "anki"}), "not a studyvpc progress export"),
        (json.dumps({"format": "studyvpc-progress", "version": 99}), "newer"),
        (json.dumps({"format": "studyvpc-progress", "version": 1,
                     "attempts": [{"uuid": "x1", "question_id": "q", "chosen": ["A"],
                                   "correct": True, "time_ms": 5, "mode": "practice",
                                   "answered_at": "2025-01-01T00:00:00+00:00"},
                                  {"uuid": "x2", "question_id": "q", "chosen": "A"}]}),
         "malformed"),
    ]:
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(ImportFormatError, match=match):
            import_json(ReviewScheduler(store), bad)
    assert store.attempt_count() == 1


def test_reset_keeps_a_backup_first(store):
    seed_with_cards(store)
    backup = store.reset(now=T0)
    assert backup.parent == store.path.parent
    assert backup.name.startswith("progress-backup-20250310T090000Z")
    assert store.attempt_count() == 0 and store.cards() == [] and store.sessions() == []
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 5
    assert conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == 5
    conn.close()
    second = store.reset(now=T0)  # same second: a distinct file, the first is kept
    assert second != backup and backup.exists()


def test_orphan_attempts_are_kept(store):
    answer(store, "still-here")
    answer(store, "deleted-from-content")
    ids = {a.question_id for a in store.attempts()}
    assert ids == {"still-here", "deleted-from-content"}


# --------------------------------------------------------------------------- whole sessions (exams)


def exam_answers(n=3, *, fail_at=None):
    """``n`` answers, q0 right and the others wrong; the review of answer ``fail_at`` raises."""

    def review_for(i):
        def review(card):
            if i == fail_at:
                raise RuntimeError("the scheduler failed mid-exam")
            return CardUpdate(card=json.dumps({"due": "x", "i": i}), due=T0 + timedelta(days=1),
                              last_review=T0, rating=3 if i == 0 else 1, card_before=None)
        return review

    return [PendingAnswer(f"q{i}", "h", ("A",) if i == 0 else (), i == 0, 2000, review_for(i))
            for i in range(n)]


def test_a_whole_session_is_stored_at_once_or_not_at_all(store):
    with pytest.raises(RuntimeError):
        store.record_session("exam", "all questions", exam_answers(3, fail_at=2),
                             session_id="exam-1", started=T0, finished=T0 + timedelta(minutes=5),
                             exam=ExamOutcome(0.72, 600, 300.0))
    # the first two answers (and their cards) were rolled back with the failing third
    assert (store.attempt_count(), store.sessions(), store.cards(), store.exam("exam-1")) == (
        0, [], [], None)
    stored = store.record_session("exam", "all questions", exam_answers(3),
                                  session_id="exam-1", started=T0,
                                  finished=T0 + timedelta(minutes=5),
                                  exam=ExamOutcome(0.72, 600, 300.0, True))
    assert [(a.question_id, a.correct, a.session_id) for a in stored] == [
        ("q0", True, "exam-1"), ("q1", False, "exam-1"), ("q2", False, "exam-1")]
    [session] = store.sessions()
    assert (session.id, session.mode, session.started, session.finished) == (
        "exam-1", "exam", T0, T0 + timedelta(minutes=5))
    assert len(store.cards()) == 3 and len(store.review_logs()) == 3
    assert store.exam("exam-1") == ExamOutcome(0.72, 600, 300.0, True)


def test_recording_the_same_session_again_adds_nothing(store):
    args = dict(session_id="exam-1", started=T0, finished=T0 + timedelta(minutes=5),
                exam=ExamOutcome(0.72, 600, 300.0))
    assert store.record_session("exam", "s", exam_answers(), **args) is not None
    assert store.record_session("exam", "s", exam_answers(), **args) is None
    assert (store.attempt_count(), len(store.sessions()), len(store.review_logs())) == (3, 1, 3)


def test_exam_outcomes_are_exported_imported_once_and_reset(tmp_path):
    with ProgressStore.open(tmp_path / "laptop") as laptop:
        laptop.record_session("exam", "s", exam_answers(), session_id="exam-1", started=T0,
                              finished=T0 + timedelta(minutes=5),
                              exam=ExamOutcome(0.8, 900, 412.5, True))
        export = export_json(laptop, tmp_path / "laptop.json")
    data = json.loads(export.read_text(encoding="utf-8"))
    assert data["exams"] == [{"session_id": "exam-1", "pass_mark": 0.8, "time_limit_s": 900,
                              "time_used_s": 412.5, "auto_submitted": True}]
    with ProgressStore.open(tmp_path / "desktop") as desktop:
        assert import_json(ReviewScheduler(desktop), export).exams_added == 1
        assert import_json(ReviewScheduler(desktop), export).exams_added == 0
        assert desktop.exam("exam-1") == ExamOutcome(0.8, 900, 412.5, True)
        desktop.reset(now=T0)
        assert desktop.exam("exam-1") is None
    data["exams"][0]["pass_mark"] = 72  # a percentage where a share belongs
    export.write_text(json.dumps(data), encoding="utf-8")
    with ProgressStore.open(tmp_path / "other") as other:
        with pytest.raises(ImportFormatError, match="pass_mark"):
            import_json(ReviewScheduler(other), export)
        assert other.attempt_count() == 0
