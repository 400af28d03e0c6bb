"""Ctrl-C and SIGTERM as exceptions, so that both end scaffold through the same cleanup path.

Python turns SIGINT into KeyboardInterrupt, which libraries catch and reword (click prints
"Aborted!" and exits 1); SIGTERM would kill the process outright and leave half-written
directories behind. Both raise a scaffold exception of their own instead: every ``finally``
and ``except BaseException`` on the way up runs, and the entry point prints one line.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Stopped(BaseException):
    """The user or the system asked scaffold to stop. A BaseException: nothing swallows it."""

    exit_code = 1
    reason = "stopped"


class Interrupted(Stopped):
    exit_code = 130  # 128 + SIGINT, as shells report it
    reason = "interrupted"


class Terminated(Stopped):
    exit_code = 143  # 128 + SIGTERM
    reason = "terminated"


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated if signum == signal.SIGTERM else Interrupted


def install() -> None:
    """Raise Interrupted on SIGINT and Terminated on SIGTERM from now on."""
    signal.signal(signal.SIGINT, _raise)
    signal.signal(signal.SIGTERM, _raise)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while cleanup runs, so that a second signal cannot cut it short."""
    held = (signal.SIGINT, signal.SIGTERM)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
