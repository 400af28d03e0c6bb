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


def process_clock() -> int:
    """Now, in the unit /proc gives process start times in (clock ticks since boot); 0 where
    there is no /proc. Cheap: taken on every copier run, for stop_descendants."""
    try:
        with open("/proc/uptime") as uptime:
            return int(float(uptime.read().split()[0]) * os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError):
        return 0


def _descendants_started_since(ticks: int) -> list[int]:
    """The running processes started from this one (at any depth) since `ticks`."""
    children: dict[int, list[tuple[int, bool]]] = {}
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
        fields = line[line.rindex(")") + 2 :].split()  # from field 3 on: the name may hold spaces
        state, parent, started = fields[0], int(fields[1]), int(fields[19])
        # A zombie writes nothing more; one started before `ticks` is not ours to stop.
        children.setdefault(parent, []).append((int(name), state != "Z" and started >= ticks))
    found: list[int] = []
    queue = list(children.get(os.getpid(), []))
    while queue:
        pid, stoppable = queue.pop()
        if stoppable:
            found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def stop_descendants(*, started_since: int, timeout: float = 5.0) -> None:
    """Stop the processes started from this one since `started_since` (process_clock()):
    after a signal, a git clone copier started would go on writing into directories the
    cleanup removes. SIGTERM first (git removes its half-made clone), then SIGKILL for anything
    still there when `timeout` is up. Call it with signals deferred."""
    if not started_since:
        return  # no /proc: nothing to find them by
    for force in (signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + timeout
        while pids := _descendants_started_since(started_since):
            for pid in pids:
                with contextlib.suppress(OSError):  # it ended meanwhile
                    os.kill(pid, force)
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        else:
            return
