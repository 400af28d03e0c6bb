"""Ctrl-C and SIGTERM as exceptions, so that both end scaffold through the same cleanup path.

Python turns SIGINT into KeyboardInterrupt, which libraries catch and reword (click prints
"Aborted!" and exits 1); SIGTERM would kill the process outright and leave half-written
directories behind. Both raise a scaffold exception of their own instead: every ``finally``
and ``except BaseException`` on the way up runs, and the entry point prints one line.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


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


def run_child(
    command: list[str], *, timeout: float | None = None, **popen: Any
) -> subprocess.CompletedProcess[str]:
    """subprocess.run for a child that writes into the project being made.

    The child is started with SIGINT and SIGTERM held: a signal landing while Popen starts it
    would otherwise raise before Popen returns, and the child would go on writing into a
    directory the cleanup has just removed. Once it is running, a signal kills it and waits
    for it before the cleanup starts.
    """
    process: subprocess.Popen[str] | None = None
    try:
        with deferred():  # a signal held here is raised as the block ends: process is known
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
            )
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        if process is not None:
            process.kill()
            process.wait()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
