"""The rows measured through a real pseudo-terminal (benchmarks/pty_drive.py): the browser
and answer → feedback, each key interleaved with the same key on the minimal app."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

MINIMAL = Path(__file__).resolve().parent / "minimal_app.py"
SIZE = (120, 40)
QUERY = "gateway"
BROWSER = "browser (pseudo-terminal, warm: key → its result on screen)"
BROWSER_ROWS = ("open the browser (b)", "filter, per keystroke", "open a note (Enter)")
ANSWER = "answer → feedback"
NO_PTY = "this platform has no pseudo-terminal"


SETTLE_S = 0.15
"""A key's output is complete once the app has written nothing for this long: several frames
(1/60 s each) with nothing to draw, and shorter than any timer of its own that draws (an
input's cursor blinks every half second). tests/unit/test_bench_pty.py checks that a screen
settled this way is the screen a longer wait shows."""

APP_HOME = "b Browse"
MINIMAL_HOME = "Hello"


def timed(pty, drive, key: str, lines: int, quiet: float = SETTLE_S, timeout: float = 20
           ) -> tuple[float, float] | None:
    """Milliseconds from writing ``key`` until its result was on the emulated screen (at
    least ``lines`` lines differ from before the key: the result, not only the echo of the
    key), and until the output then settled; None if the result did not come in time."""
    drive.settle(quiet=quiet)  # what the last key drew is all there
    before = drive.lines

    def changed(now: list[str]) -> bool:
        return sum(a != b for a, b in zip(before, now)) >= lines

    try:
        t = drive.key_latency(key, until=changed, quiet=quiet, timeout=timeout)
    except pty.PtyTimeout:
        return None
    return (t.shown, t.settled) if t.shown is not None else None


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _home(pty, drive, home: str) -> None:
    """Escape until the first screen shows (each Escape waited for until the screen changed:
    on a busy machine a screen may take longer than a pause to go)."""
    for _ in range(4):
        if home in drive.text:
            return
        timed(pty, drive, "escape", 1)


def browser(bench, pty, lib: Path, env: dict, size: int, at_target: bool,
            runs: int) -> None:
    names = tuple(zip(BROWSER_ROWS, ("≤ 100 ms", "≤ 50 ms", "≤ 50 ms"), (100, 50, 50)))
    if not pty.pty_available():
        for name, target, _ in names:
            bench.rows.missing(BROWSER, f"{name}, {size:,} questions",
                               target if at_target else "", NO_PTY)
        return
    got = {name: ([], []) for name, _, _ in names}
    settled = {name: ([], []) for name, _, _ in names}
    app_argv = pty.studyvpc_argv("--content", str(lib))
    with pty.PtyApp(app_argv, env=env, size=SIZE, start_timeout=300) as app, \
            pty.PtyApp([sys.executable, str(MINIMAL)], env=env, size=SIZE) as base:
        drives = ((app, APP_HOME, "/"), (base, MINIMAL_HOME, None))
        app.wait_for(APP_HOME, quiet=SETTLE_S)
        base.wait_for(MINIMAL_HOME, quiet=SETTLE_S)
        for drive, home, _ in drives:  # once untimed: the browser's modules, the notes decoded
            timed(pty, drive, "b", 3, timeout=60)
            _home(pty, drive, home)
        screen = 3  # another screen: more lines changed than a filter changes in the minimal app
        for _ in range(runs):
            for name, key, lines in [("open the browser (b)", "b", screen), ("focus", None, 0),
                                     *(("filter, per keystroke", ch, 2) for ch in QUERY),
                                     ("open a note (Enter)", "enter", screen)]:
                for out, (drive, _, focus) in enumerate(drives):
                    if key is None:
                        if focus:
                            drive.key_latency(focus, quiet=SETTLE_S)
                        continue
                    ms = timed(pty, drive, key, lines)
                    if ms is not None:
                        got[name][out].append(ms[0])
                        settled[name][out].append(ms[1])
            for drive, home, _ in drives:
                _home(pty, drive, home)
    for name, target, limit in names:
        mine, base_ms = got[name]
        if not mine:
            bench.rows.missing(BROWSER, f"{name}, {size:,} questions", target,
                               "the result of the key did not show within 20 s")
            continue
        bench.rows.add(BROWSER, f"{name}, {size:,} questions", mine, "ms", base_ms,
                       "minimal Textual app, same keys",
                       (target, lambda v, b, limit=limit: v <= limit) if at_target else None,
                       note=f"{len(mine)} keys; output settled after {_median(settled[name][0]):.0f}"
                            f" ms (baseline {_median(settled[name][1]):.0f} ms)")


def answers(runs: int) -> int:
    """Questions answered through the terminal per library size: every answer is a sample
    of the same figure, a dozen make a steady median (six in a one-run --quick)."""
    return max(6, 4 * runs)


def answer(bench, pty, lib: Path, env: dict, size: int) -> None:
    name = f"in a pseudo-terminal, {size:,} questions"
    if not pty.pty_available():
        bench.rows.missing(ANSWER, name, "≤ 33 ms", NO_PTY)
        return
    argv = pty.studyvpc_argv("--content", str(lib), "--seed", "1", "quiz", "--limit",
                             str(answers(bench.runs)))
    base_ms: list[float] = []
    with pty.PtyApp(argv, env=env, size=SIZE, start_timeout=300) as app, \
            pty.PtyApp([sys.executable, str(MINIMAL)], env=env, size=SIZE) as base:
        base.wait_for("Hello", quiet=SETTLE_S)

        def minimal_keys(n: int, start: int) -> None:
            for k in range(start, start + n):
                t = base.key_latency("1", until=f"Answered {k}:", timeout=30, quiet=SETTLE_S)
                if t.shown is not None:
                    base_ms.append(t.shown)

        minimal_keys(5, 1)
        timings = pty.drive_quiz(app, timeout=120, quiet=SETTLE_S)
        minimal_keys(5, 6)
    mine = [t.shown for t in timings["answer"] if t.shown is not None]
    nxt = [t.shown for t in timings["next"] if t.shown is not None]
    bench.rows.add(ANSWER, name, mine, "ms", base_ms, "minimal app's key in a PTY",
                   ("≤ 33 ms", lambda v, b: v <= 33),
                   note=f"{len(mine)} answers; next question "
                        f"{_median(nxt):.0f} ms")
