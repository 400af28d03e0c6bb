"""What `scaffold new` is doing while a step takes a while.

On a terminal each step shows as one status line that the next step replaces and the end
erases, so the screen keeps only the result (or the one line of an error). Elsewhere (a pipe,
a log, CI) only the slow steps are printed, one line each, so that output stays the result.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

ERASE_LINE = "\r\x1b[K"


class Progress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._showing = False

    def step(self, text: str, *, slow: bool = False) -> None:
        """Announce a step; ``slow`` ones (seconds to minutes: the network) are also logged."""
        if self._live:
            self._stream.write(f"{ERASE_LINE}{text}")
            self._showing = True
        elif slow:
            self._stream.write(f"{text}\n")
        self._stream.flush()

    def clear(self) -> None:
        """Erase the status line, if one is showing."""
        if self._showing:
            self._stream.write(ERASE_LINE)
            self._stream.flush()
            self._showing = False


@contextmanager
def shown_on_stderr() -> Iterator[Progress]:
    """A Progress on stderr, its status line erased however the work ends."""
    progress = Progress(sys.stderr)
    try:
        yield progress
    finally:
        progress.clear()
