"""A line on the terminal while a start reads the notes from their files.

On a cold start (no parsed-content cache yet, or notes edited since) the notes are read
before the full-screen app starts: seconds for a large library, with nothing on the screen.
`ReadingLine` shows "Reading notes: 1,024 of 2,132 files" on stderr meanwhile, redrawn in
place at most every `EVERY` seconds, and erases it before the app takes the screen. A read
shorter than `DELAY` shows nothing.
"""

from __future__ import annotations

import time
from typing import TextIO


class ReadingLine:
    DELAY = 0.3
    EVERY = 0.1

    def __init__(self, out: TextIO, clock=time.monotonic) -> None:
        self.out = out
        self.clock = clock
        self.start = clock()
        self.last: float | None = None
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.start < self.DELAY:
            return
        if self.last is not None and now - self.last < self.EVERY and done < total:
            return
        self.last = now
        text = f"Reading notes: {done:,} of {total:,} files"
        self.width = max(self.width, len(text))
        self.out.write("\r" + text.ljust(self.width))
        self.out.flush()

    def close(self) -> None:
        """Erase the line, if one was shown."""
        if self.last is not None:
            self.out.write("\r" + " " * self.width + "\r")
            self.out.flush()
