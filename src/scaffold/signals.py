"""Ctrl-C and SIGTERM as exceptions, so that both end scaffold through the same cleanup path.

Python turns SIGINT into KeyboardInterrupt, which libraries catch and reword (click prints
"Aborted!" and exits 1); SIGTERM would kill the process outright and leave half-written
directories behind. Both raise a scaffold exception of their own instead: every ``finally``
and ``except BaseException`` on the way up runs, and the entry point prints one line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
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


def _live_descendants() -> list[int]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                line = stat.read()
        except OSError:  # it ended while we looked
            continue
        state, parent = line[line.rindex(")") + 2 :].split()[:2]  # the name may hold spaces
        if state != "Z":  # a zombie writes nothing more
            children.setdefault(int(parent), []).append(int(name))
    found, queue = [], list(children.get(os.getpid(), []))
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def live_descendants() -> frozenset[int]:
    """The processes started from this one, at any depth, that still run (Linux; else none)."""
    return frozenset(_live_descendants())


def stop_descendants(*, keep: frozenset[int] = frozenset(), timeout: float = 5.0) -> None:
    """Stop the processes started from this one but those in `keep`: after a signal, a git
    clone copier started would go on writing into directories the cleanup removes. SIGTERM
    first (git removes its half-made clone), then SIGKILL for anything still there when
    `timeout` is up. Call it with signals deferred."""
    for force in (signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + timeout
        while pids := [pid for pid in _live_descendants() if pid not in keep]:
            for pid in pids:
                with contextlib.suppress(OSError):  # it ended meanwhile
                    os.kill(pid, force)
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        else:
            return
