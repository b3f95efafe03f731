"""``studyvpc stats`` (Rich and --json) and ``studyvpc progress export|import|reset``."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from datetime import datetime, timedelta

import pytest
from support.content import write_deck

from studyvpc.ui.cli.main import main
from studyvpc.content.loader import load_library
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, local_day
from studyvpc.progress.store.schema import utc_now


@pytest.fixture
def content(tmp_path):
    folder = write_deck(tmp_path / "content")
    result = load_library([folder])
    assert result.ok, [str(e) for e in result.errors]
    return folder


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def seed(data):
    """Yesterday and today: vpc-q1 wrong then right, vpc-q2 right, s3-q1 wrong twice, an orphan."""
    now = utc_now()
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        yesterday = now - timedelta(days=1)
        plan = [(yesterday, "vpc-q1", False), (yesterday, "s3-q1", False),
                (now, "vpc-q1", True), (now, "vpc-q2", True), (now, "s3-q1", False),
                (now, "deleted-question", True)]
        for i, (at, qid, right) in enumerate(plan):
            sched.answer(qid, "h", ["A"] if right else ["B"], right, time_ms=2000,
                         mode="practice", now=at - timedelta(seconds=10 - i))
    return now


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_on_seeded_history(content, data, capsys):
    now = seed(data)
    code, out, err = run(capsys, "stats", "--json", "--data-dir", str(data), "--content", str(content))
    assert code == 0, err
    s = json.loads(out)
    assert (s["total_attempts"], s["correct_attempts"]) == (6, 3)
    assert (s["questions_total"], s["questions_answered"]) == (3, 3)
    assert s["time_spent_ms"] == 12000
    tags = {t["tag"]: (t["attempts"], t["correct"]) for t in s["per_tag"]}
    assert tags == {"service/vpc": (3, 2), "service/s3": (2, 0)}
    assert s["weakest"][0]["question_id"] == "s3-q1" and s["weakest"][0]["note_id"] == "s3"
    assert s["orphan_attempts"] == 1 and s["orphan_question_ids"] == ["deleted-question"]
    days = {local_day(now - timedelta(seconds=10)).isoformat(),
            local_day(now - timedelta(days=1, seconds=10)).isoformat()}
    assert set(s["answers_per_day"]) == days and sum(s["answers_per_day"].values()) == 6
    assert s["streak_days"] == len(days)
    # Every card is still being learned (answered minutes or a day apart): no prediction.
    assert s["retrievability"] == {} and s["mean_retrievability"] is None
    assert s["cards"] == {"new": 0, "learning": 3, "review": 0}
    # s3-q1 was just missed: not due this second, but again within minutes
    assert s["due_now"] == 0
    assert now < datetime.fromisoformat(s["next_due"]) < now + timedelta(minutes=15)


def test_stats_tables(content, data, capsys):
    seed(data)
    code, out, err = run(capsys, "stats", "--data-dir", str(data), "--content", str(content))
    assert code == 0, err
    for heading in ("Progress", "Accuracy by tag", "Answers per day", "Weakest questions"):
        assert heading in out
    assert "S3 basics (s3)" in out and "service/s3" in out
    assert "Orphan answers" in out


def test_stats_weakest_folds_ids_and_lists_only_missed_questions(content, data, capsys,
                                                                   monkeypatch):
    seed(data)
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run(capsys, "stats", "--data-dir", str(data), "--content", str(content))
    assert code == 0, err
    weakest = out[out.index("Weakest questions"):]
    assert "…" not in weakest, "ids and titles are folded, never cut"
    rows = [line.split()[0] for line in weakest.splitlines()[3:] if line.strip()]
    # s3-q1 and vpc-q1 were missed; vpc-q2 was right every time: not listed as weak
    assert "s3-q1" in rows and "vpc-q1" in rows and "vpc-q2" not in rows


def test_stats_lists_finished_exams_with_pass_or_fail_in_tables_and_json(content, data, capsys,
                                                                         monkeypatch):
    from studyvpc.progress.store.records import ExamOutcome

    library = load_library([content]).library
    now = utc_now()
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store)
        answers = [(library.get_question("vpc-q1"), {"A"}, 30_000),
                   (library.get_question("s3-q1"), set(), 30_000)]  # unanswered: wrong
        sched.record_session("exam", "all questions", answers, session_id="exam-1",
                             started=now - timedelta(minutes=2), finished=now,
                             exam=ExamOutcome(0.72, 240, 61.0, True))
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(capsys, "stats", "--data-dir", str(data), "--content", str(content))
    assert code == 0, err
    exams = out[out.index("Finished exams"):]
    assert "1/2" in exams and "50%" in exams and "✘ fail 72%" in exams
    assert "1:01 of 4:00" in exams and "all questions" in exams
    code, out, err = run(capsys, "stats", "--json", "--data-dir", str(data),
                         "--content", str(content))
    [exam] = json.loads(out)["finished_exams"]
    assert (exam["session_id"], exam["right"], exam["questions"], exam["passed"],
            exam["pass_mark"], exam["time_used_s"], exam["auto_submitted"]) == (
        "exam-1", 1, 2, False, 0.72, 61.0, True)


def test_stats_on_empty_progress(content, data, capsys):
    code, out, _ = run(capsys, "stats", "--data-dir", str(data), "--content", str(content))
    assert code == 0 and "No answers yet" in out


def test_export_import_twice_never_duplicates(content, tmp_path, data, capsys):
    seed(data)
    export = tmp_path / "progress.json"
    code, out, err = run(capsys, "progress", "export", str(export), "--data-dir", str(data))
    assert code == 0, err
    assert "Exported 6 answers" in out
    assert json.loads(export.read_text(encoding="utf-8"))["format"] == "studyvpc-progress"
    other = tmp_path / "other"
    for expected in ("Imported 6 new answers (0 already", "Imported 0 new answers (6 already"):
        code, out, err = run(capsys, "--data-dir", str(other), "progress", "import", str(export))
        assert code == 0, err
        assert expected in out
    with ProgressStore.open(other) as store:
        assert store.attempt_count() == 6


def test_export_to_a_folder_or_a_missing_folder_says_what_is_wrong(tmp_path, data, capsys):
    seed(data)
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = run(capsys, "progress", "export", str(folder), "--data-dir", str(data))
    assert code == 1 and f"Cannot write the export to {folder}: it is a folder" in err
    assert list(tmp_path.glob(".*.tmp")) == [], "no temporary file left beside the folder"
    missing = tmp_path / "nowhere" / "p.json"
    code, out, err = run(capsys, "progress", "export", str(missing), "--data-dir", str(data))
    assert code == 1 and f"Cannot write the export to {missing}: No such file" in err
    assert ".tmp" not in err, "the message names the file asked for, not a temporary one"


def test_import_of_a_bad_file_fails_cleanly(tmp_path, data, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "progress", "import", str(bad), "--data-dir", str(data))
    assert code == 1 and "not a studyvpc progress export" in err


def test_reset_asks_and_keeps_a_backup(data, capsys, monkeypatch):
    seed(data)
    monkeypatch.setattr(sys, "stdin", io.StringIO("no\n"))
    code, out, _ = run(capsys, "progress", "reset", "--data-dir", str(data))
    assert code == 1 and "Nothing was changed" in out
    with ProgressStore.open(data) as store:
        assert store.attempt_count() == 6
    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))
    code, out, _ = run(capsys, "progress", "reset", "--data-dir", str(data))
    assert code == 0
    backup = next(p for p in data.glob("progress-backup-*.sqlite3"))
    assert str(backup) in out
    with ProgressStore.open(data) as store:
        assert store.attempt_count() == 0
    conn = sqlite3.connect(backup)  # the backup is a complete copy
    assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 6
    conn.close()
    code, out, _ = run(capsys, "progress", "reset", "--yes", "--data-dir", str(data))
    assert code == 0 and "Backup saved to" in out
    assert len(list(data.glob("progress-backup-*.sqlite3"))) == 2


def test_corrupt_database_is_reported_and_untouched(content, data, capsys):
    data.mkdir()
    db = data / "progress.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    for argv in (["stats"], ["stats", "--json"], ["progress", "export", str(data / "x.json")]):
        code, out, err = run(capsys, *argv, "--data-dir", str(data), "--content", str(content))
        assert code == 1
        assert "damaged" in err and str(db) in err
    assert db.read_bytes() == b"garbage" * 1000


def test_unusable_data_dir_says_progress_is_not_saved(tmp_path, content, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "stats", "--data-dir", str(blocker / "d"), "--content", str(content))
    assert code == 1 and "will not be saved" in err


def test_progress_without_action_shows_help(capsys):
    code, _, err = run(capsys, "progress")
    assert code == 2 and "export" in err


def test_stats_tables_show_content_literally(tmp_path, data, capsys, monkeypatch):
    """Tags, note titles and exam scopes are content: no Rich markup, emoji codes or escape
    sequences from them may take effect in the terminal tables."""
    from studyvpc.progress.store.records import ExamOutcome

    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "h.yaml").write_text(
        'id: h\ntitle: "[bold red]Bold?[/] :smile: \\x1b[31mred"\ntags: ["t/[blink]x[/blink]"]\n'
        "questions:\n  - id: h-q1\n    stem: S\n    options:\n"
        "      - {key: A, text: yes it is, correct: true, why: ok}\n"
        "      - {key: B, text: no it is not, why: no}\n", encoding="utf-8")
    library = load_library([folder]).library
    now = utc_now()
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store)
        sched.record_session("exam", "tag t/[blink]x[/blink]",
                             [(library.get_question("h-q1"), {"B"}, 30_000)],
                             session_id="exam-h", started=now - timedelta(minutes=1),
                             finished=now, exam=ExamOutcome(0.72, 120, 30.0, False))
    monkeypatch.setenv("COLUMNS", "160")
    code, out, err = run(capsys, "stats", "--data-dir", str(data), "--content", str(folder))
    assert code == 0, err
    flat = " ".join(out.split())
    assert "[bold red]Bold?[/] :smile: ␛[31mred (h)" in flat
    assert "t/[blink]x[/blink]" in flat and "tag t/[blink]x[/blink]" in flat
    assert "\x1b" not in out and "😄" not in out


def test_export_and_import_count_the_same_records(content, tmp_path, data, capsys):
    """An exam question left unanswered is no answer in the statistics, but it is a record of
    the export and of its import: both messages count the records, and agree."""
    from studyvpc.progress.store.records import ExamOutcome

    library = load_library([content]).library
    now = utc_now()
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store)
        answers = [(library.get_question("vpc-q1"), {"A"}, 30_000),
                   (library.get_question("s3-q1"), set(), 30_000)]  # unanswered
        sched.record_session("exam", "all questions", answers, session_id="exam-1",
                             started=now - timedelta(minutes=2), finished=now,
                             exam=ExamOutcome(0.72, 240, 61.0, False))
        answered = store.attempt_count()
    export = tmp_path / "progress.json"
    code, out, err = run(capsys, "progress", "export", str(export), "--data-dir", str(data))
    assert code == 0, err
    records = len(json.loads(export.read_text(encoding="utf-8"))["attempts"])
    assert records == 2 and answered < records
    assert f"Exported {records} answers" in out
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "other"), "progress", "import",
                         str(export))
    assert code == 0, err
    assert f"Imported {records} new answers (0 already present)" in out
    # Into an empty store every card is new: added, not "updated".
    assert " 0 updated" in out and " 0 cards added" not in out
    code, out, err = run(capsys, "progress", "export", "-", "--data-dir", str(data))
    assert code == 0 and f"Exported {records} answers to standard output" in err
