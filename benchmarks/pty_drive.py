"""Drive studyvpc in a real pseudo-terminal and time a key press to the screen it causes.

The app runs as a child process whose stdin, stdout and stderr are the slave side of a PTY
(its controlling terminal, of a fixed size, ``TERM=xterm-256color``), exactly as in a terminal
window: Textual's own driver reads the key bytes, parses them, and writes each frame as escape
sequences. This side holds the master: it writes key bytes and reads every byte the app writes,
in a thread that does nothing but read and stamp each chunk with ``time.perf_counter()`` when
``os.read`` returns it. The chunks are fed, in order, to a VT emulator (pyte) to know what the
screen shows.

What `PtyApp.key_latency` measures, from ``t0`` = just before the key's bytes are written to
the master (milliseconds, all from ``t0``):

- ``first``: when the first byte the app wrote after ``t0`` was read;
- ``shown``: when the chunk was read after which the emulated screen first satisfies ``until``
  (text on screen, or a predicate over the screen's lines), i.e. the moment a terminal could
  show it. Chunks are fed to the emulator one by one to find it, so this is a read time, not
  the emulator's time;
- ``settled``: when the last chunk was read before the app stayed silent for ``quiet`` seconds
  with nothing of it left running (the screen is complete: nothing drawn later by the same
  key; on a busy machine an app waiting for a CPU is silent but not done);
- ``bytes``: how many bytes the app wrote in that window (a full repaint of a 100×30 screen is
  tens of kilobytes, an update of a few lines a few hundred).

The emulator's own work is done while the app is silent, never between a chunk's arrival and
its stamp, so the figures are the app's and the kernel's, not pyte's (this process's reading
thread wakes on the chunk with the GIL free; the switch interval is lowered while a
`PtyApp` is open so that it never waits long for it).

Like a modern terminal (kitty, WezTerm, foot, iTerm2, Windows Terminal, VTE…), the drive
answers Textual's query for synchronized output (DECRQM 2026) as supported unless
``sync_output=False``; it answers no other query (as xterm: the kitty keyboard protocol and
in-band resize stay off, so keys arrive as plain bytes).

Never hangs: every wait has a timeout (`PtyTimeout`, with the screen in its message), and the
child's whole process group is ended on exit (SIGTERM, then SIGKILL). Needs a POSIX system
with ``pty`` (not Windows) and ``pyte``.

    with PtyApp(["studyvpc", "--seed", "1"], env={"STUDYVPC_DATA_DIR": d}) as app:
        app.wait_for("Practice")
        timing = app.key_latency("p", until="Question 1/")
        print(timing.first, timing.shown, timing.settled, timing.bytes)
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pyte
from procstat import busy, unread

__all__ = ["KEYS", "KeyTiming", "PtyApp", "PtyTimeout", "answered", "drive_quiz", "pty_available",
           "studyvpc_argv"]

KEYS: dict[str, bytes] = {
    "enter": b"\r", "escape": b"\x1b", "tab": b"\t", "space": b" ", "backspace": b"\x7f",
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
    "home": b"\x1b[H", "end": b"\x1b[F", "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~",
    "f1": b"\x1bOP", "ctrl+q": b"\x11", "ctrl+c": b"\x03",
}
"""Named keys as an xterm sends them; any other key is written as its UTF-8 text."""

Until = str | re.Pattern[str] | Callable[[list[str]], bool]
"""What the screen should show: a text, a regex searched in the screen's text (lines joined
with newlines), or a predicate over the screen's lines."""

_SYNC_QUERY = b"\x1b[?2026$p"
_SYNC_REPLY = b"\x1b[?2026;2$y"  # DECRPM: mode 2026 known, currently reset


def pty_available() -> bool:
    """Whether this platform can run the app in a pseudo-terminal."""
    try:
        import fcntl  # noqa: F401
        import pty  # noqa: F401
        import termios  # noqa: F401
    except ImportError:
        return False
    return hasattr(os, "fork") and sys.platform != "win32"


def studyvpc_argv(*args: str) -> list[str]:
    """The command starting studyvpc with this interpreter (``python -m studyvpc ARGS``)."""
    return [sys.executable, "-m", "studyvpc", *args]


class PtyTimeout(TimeoutError):
    """The screen did not show what was waited for in time."""


@dataclass(frozen=True, slots=True)
class KeyTiming:
    """Milliseconds from writing a key (see the module's docstring for each)."""

    first: float | None
    shown: float | None
    settled: float | None
    bytes: int


@dataclass(slots=True)
class _Chunk:
    at: float
    data: bytes


class PtyApp:
    """A program running in a pseudo-terminal of ``size`` (columns, rows)."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None, *,
                 size: tuple[int, int] = (100, 30), cwd: str | os.PathLike[str] | None = None,
                 sync_output: bool = True, start_timeout: float = 60.0) -> None:
        self.argv = list(argv)
        self.env = dict(os.environ if env is None else env)
        self.env["TERM"] = "xterm-256color"
        self.env.setdefault("COLORTERM", "truecolor")
        self.env.setdefault("LANG", "C.UTF-8")
        # No devtools, no terminal-specific quirks, and the size from the terminal alone:
        # COLUMNS and LINES (a test runner may set them) would override it.
        for name in ("TEXTUAL", "TEXTUAL_DEVTOOLS", "TERM_PROGRAM", "COLUMNS", "LINES"):
            self.env.pop(name, None)
        self.columns, self.rows = size
        self.cwd = os.fspath(cwd) if cwd is not None else None
        self.sync_output = sync_output
        self.start_timeout = start_timeout
        self.pid: int | None = None
        self.fd: int | None = None
        self._chunks: list[_Chunk] = []
        self._fed = 0
        self._lock = threading.Condition()
        self._eof = False
        self._reader: threading.Thread | None = None
        self._switch = sys.getswitchinterval()
        self.screen = pyte.Screen(self.columns, self.rows)
        self._stream = pyte.ByteStream(self.screen)
        self._tail = b""

    # -- life

    def __enter__(self) -> PtyApp:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        import fcntl
        import pty
        import struct
        import termios

        winsize = struct.pack("HHHH", self.rows, self.columns, 0, 0)
        argv, env, cwd = self.argv, self.env, self.cwd
        pid, fd = pty.fork()
        if pid == 0:  # the child: its controlling terminal is the PTY's slave
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, winsize)
        sys.setswitchinterval(0.0005)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    def close(self) -> None:
        """End the child's process group (politely, then not), reap it, close the PTY."""
        pid, self.pid = self.pid, None
        if pid is not None:
            for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(pid, sig)
                except ProcessLookupError:
                    pass
                if self._reap(pid, wait):
                    break
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
        if self._reader is not None:
            self._reader.join(2.0)
        sys.setswitchinterval(self._switch)

    @staticmethod
    def _reap(pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return True
            if done:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    @property
    def alive(self) -> bool:
        return self.pid is not None and not self._eof

    def _read(self) -> None:
        fd = self.fd
        assert fd is not None
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal; EBADF: closed here
                data = b""
            at = time.perf_counter()
            with self._lock:
                if not data:
                    self._eof = True
                    self._lock.notify_all()
                    return
                self._chunks.append(_Chunk(at, data))
                self._lock.notify_all()
            if self.sync_output and _SYNC_QUERY in self._tail[-16:] + data:
                self._tail = b""
                self.write(_SYNC_REPLY)
            else:
                self._tail = (self._tail + data)[-16:]

    # -- the screen

    def write(self, data: bytes | str) -> None:
        if self.fd is None:
            raise RuntimeError("the app is not running")
        raw = data.encode() if isinstance(data, str) else data
        while raw:
            raw = raw[os.write(self.fd, raw):]

    def _feed(self, upto: int) -> None:
        for chunk in self._chunks[self._fed:upto]:
            self._stream.feed(chunk.data)
        self._fed = max(self._fed, upto)

    def _display(self) -> list[str]:
        # Not pyte's Screen.display, which fails on the empty cell a wide character leaves
        # behind when its first half is overwritten; the second half of a wide character is
        # an empty cell, so joining the cells gives each line's text.
        screen, columns = self.screen, self.columns
        return ["".join(screen.buffer[y][x].data for x in range(columns)).rstrip()
                for y in range(screen.lines)]

    @property
    def lines(self) -> list[str]:
        """The screen's lines as the emulator has them after every chunk read so far."""
        with self._lock:
            n = len(self._chunks)
        self._feed(n)
        return self._display()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @staticmethod
    def _matcher(until: Until) -> Callable[[list[str]], bool]:
        if isinstance(until, str):
            return lambda lines: until in "\n".join(lines)
        if isinstance(until, re.Pattern):
            return lambda lines: until.search("\n".join(lines)) is not None
        return until

    def _find(self, check: Callable[[list[str]], bool], start: int) -> int | None:
        """Feed the chunks not yet fed one by one; the index of the first after which
        ``check`` holds (chunks before ``start`` are not candidates), else None."""
        with self._lock:
            n = len(self._chunks)
        for i in range(self._fed, n):
            self._feed(i + 1)
            if i >= start and check(self._display()):
                return i
        return None

    def _wait_quiet(self, since: int, quiet: float, deadline: float) -> bool:
        """Wait until no chunk arrived for ``quiet`` seconds and the program is not working
        (no thread of it running or waiting for a CPU: on a busy machine a program still
        drawing can be silent for long) (True), or the deadline (False)."""
        with self._lock:
            while True:
                last = self._chunks[-1].at if len(self._chunks) > since else None
                now = time.perf_counter()
                if now >= deadline:
                    return False
                if self._eof:
                    return True
                if last is not None and now - last >= quiet:
                    if not self._working():
                        return True
                    wait = 0.005
                else:
                    wait = quiet if last is None else quiet - (now - last)
                self._lock.wait(min(max(wait, 0.001), deadline - now))

    def _working(self) -> bool:
        """Whether the program may still be writing: a thread of it runs or waits for a CPU,
        or what it wrote is not read yet (in the terminal, or read but not yet kept: the
        reading thread is given a moment). Called with the lock held."""
        if self.pid is None or self.fd is None:
            return False
        if busy(self.pid) or unread(self.fd):
            return True
        n = len(self._chunks)
        self._lock.wait(0.01)
        return len(self._chunks) != n

    def wait_for(self, until: Until, timeout: float | None = None, *,
                 quiet: float = 0.05) -> None:
        """Wait until the screen shows ``until`` (and the app then stays silent for
        ``quiet`` seconds, so the next key starts from a still screen)."""
        check = self._matcher(until)
        deadline = time.perf_counter() + (self.start_timeout if timeout is None else timeout)
        while True:
            if check(self.lines):
                with self._lock:
                    n = len(self._chunks)
                # Quiet since the last chunk already read (not since a chunk yet to come: an
                # app that has drawn everything writes nothing more until a key).
                self._wait_quiet(max(0, n - 1), quiet, deadline)
                self._feed(len(self._chunks))
                return
            with self._lock:
                n = len(self._chunks)
                if self._eof:
                    raise PtyTimeout(f"the app ended before showing {until!r}:\n{self.text}")
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise PtyTimeout(f"not shown within the timeout: {until!r}; the screen:\n"
                                     f"{self.text}")
                if len(self._chunks) == n:
                    self._lock.wait(min(remaining, 0.05))

    def settle(self, quiet: float = 0.05, timeout: float = 10.0) -> None:
        """Wait until the app has been silent for ``quiet`` seconds."""
        with self._lock:
            n = len(self._chunks)
        self._wait_quiet(max(0, n - 1), quiet, time.perf_counter() + timeout)
        self.lines  # noqa: B018 (feeds what arrived)

    def key_latency(self, key: str | bytes, until: Until | None = None, *,
                    timeout: float = 10.0, quiet: float = 0.1) -> KeyTiming:
        """Press ``key`` (a name in `KEYS`, text, or raw bytes) and time what it causes.

        Returns once the screen satisfies ``until`` (if given) and the app has then been silent
        for ``quiet`` seconds; raises `PtyTimeout` if ``until`` is not shown in ``timeout``.
        """
        data = key if isinstance(key, bytes) else KEYS.get(key, key.encode())
        check = self._matcher(until) if until is not None else None
        self.settle(quiet=quiet)  # from a still screen: no frame of an earlier key counted
        with self._lock:
            start = len(self._chunks)
        self._feed(start)
        deadline = time.perf_counter() + timeout
        t0 = time.perf_counter()
        self.write(data)
        shown_at: int | None = None
        since = start
        while True:
            silent = self._wait_quiet(since, quiet, deadline)
            if check is not None and shown_at is None:
                shown_at = self._find(check, start)
            else:
                self._feed(len(self._chunks))
            if check is None or shown_at is not None:
                break  # silent, or still drawing at the deadline: settled is the last chunk
            if not silent or self._eof:
                raise PtyTimeout(f"after {key!r}, not shown within {timeout} s: {until!r};"
                                 f" the screen:\n{self.text}")
            with self._lock:
                since = len(self._chunks)  # silent but not there yet: wait for more output
        with self._lock:
            chunks = self._chunks[start:]
        if not chunks:
            return KeyTiming(None, None, None, 0)

        def ms(at: float) -> float:
            return (at - t0) * 1000

        shown = ms(self._chunks[shown_at].at) if shown_at is not None else None
        return KeyTiming(ms(chunks[0].at), shown, ms(chunks[-1].at),
                         sum(len(c.data) for c in chunks))


# --------------------------------------------------------------------------- a quiz, key by key

_ANSWERED = re.compile(r"[✔✘] (Correct|Wrong)\.")
_CHOSEN = re.compile(r"Chosen: (\d+) of (\d+)\.")
_QUESTION = re.compile(r"Question (\d+)/(\d+)")


def _flat(lines: list[str]) -> str:
    """The screen's text with wrapped lines joined (for sentences the app wraps)."""
    return " ".join(" ".join(lines).split())


def answered(lines: list[str]) -> bool:
    """The quiz shows an answer's feedback (its verdict)."""
    return _ANSWERED.search(_flat(lines)) is not None


def drive_quiz(app: PtyApp, *, answers: int | None = None, timeout: float = 30.0,
               quiet: float = 0.15) -> dict[str, list[KeyTiming]]:
    """Answer the quiz on screen question by question, timing each answer → feedback and
    each next → question.

    The app must show a practice quiz (``studyvpc quiz --limit N``). A one-answer question is
    answered with "1" (timed); a "Choose N" question gets its first N options toggled
    ("1"…"N", untimed) and Enter (timed), so every timed key is the one that shows feedback.
    "n" to the next question is timed too, except after the last (it opens the results).
    Stops after ``answers`` answers (default: every question).
    """
    out: dict[str, list[KeyTiming]] = {"answer": [], "next": []}
    app.wait_for(_QUESTION, timeout=timeout, quiet=quiet)
    while answers is None or len(out["answer"]) < answers:
        match = _QUESTION.search(_flat(app.lines))
        if match is None:
            raise PtyTimeout(f"not a quiz question:\n{app.text}")
        number, total = int(match[1]), int(match[2])
        timing = app.key_latency("1", timeout=timeout, quiet=quiet,
                                 until=lambda ls: answered(ls) or _CHOSEN.search(_flat(ls)))
        chosen = _CHOSEN.search(_flat(app.lines))
        if not answered(app.lines) and chosen is not None:
            need = int(chosen[2])
            for n in range(2, need + 1):
                app.key_latency(str(n), timeout=timeout, quiet=quiet,
                                until=lambda ls, n=n: f"Chosen: {n} of" in _flat(ls))
            timing = app.key_latency("enter", until=answered, timeout=timeout, quiet=quiet)
        out["answer"].append(timing)
        if number >= total or (answers is not None and len(out["answer"]) >= answers):
            break
        out["next"].append(app.key_latency(
            "n", timeout=timeout, quiet=quiet,
            until=lambda ls, k=number + 1: f"Question {k}/{total}" in _flat(ls)))
    return out
