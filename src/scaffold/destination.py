"""Where a new project goes: the checks before rendering, and moving the result there.

A new directory is created by one rename of the finished project, so it appears whole or not
at all. An existing empty directory (the shell's current one, say) is filled in place instead:
replacing it would leave a shell whose current directory no longer exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from scaffold.errors import DestinationError
from scaffold.signals import deferred


@contextlib.contextmanager
def refuse_os_error(dest: Path) -> Iterator[None]:
    """Turn what the file system refuses about dest into one line: read-only, too long, ..."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise DestinationError(f"cannot create the project at {dest}: {reason}") from None


def check_destination(dest: Path) -> bool:
    """Refuse a destination that cannot take a new project; True if it is an empty directory."""
    with refuse_os_error(dest):
        if dest.is_symlink() and not dest.exists():
            raise DestinationError(f"destination {dest} is a symbolic link to nothing")
        if not dest.exists():
            return False
        if not dest.is_dir() or any(dest.iterdir()):
            raise DestinationError(f"destination {dest} exists and is not empty")
        return True


def missing_parents(dest: Path) -> list[Path]:
    """The directories above dest that creating it would create, outermost first."""
    with refuse_os_error(dest):
        return [parent for parent in reversed(dest.parents) if not parent.exists()]


def remove_empty(directories: list[Path]) -> None:
    """Remove the directories we created, innermost first, unless something else is in them."""
    for directory in reversed(directories):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _taken(dest: Path) -> DestinationError:
    return DestinationError(f"destination {dest} exists and is not empty")


def claimed(staging: Path, dest: Path, *, in_place: bool) -> None:
    """Put the finished project at dest; refuse if another process got there first."""
    if not in_place:
        try:
            staging.rename(dest)
        except OSError:
            if dest.exists() or dest.is_symlink():
                raise _taken(dest) from None
            raise
        return
    with _locked(dest):
        if any(not _is_staging(entry, dest) for entry in dest.iterdir()):
            raise _taken(dest)
        moved: list[Path] = []
        try:
            for entry in sorted(staging.iterdir()):
                target = dest / entry.name
                entry.rename(target)
                moved.append(target)
            staging.rmdir()
        except BaseException:
            with deferred():
                for target in moved:
                    if target.is_dir() and not target.is_symlink():
                        shutil.rmtree(target, ignore_errors=True)
                    else:
                        target.unlink(missing_ok=True)
            raise


def _is_staging(entry: Path, dest: Path) -> bool:
    """A scaffold run's work area (ours or a concurrent one's), not the user's file."""
    name = entry.name
    return name.startswith(f".{dest.name}.") and name.endswith(".partial") and entry.is_dir()


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the directory: two runs never fill it at once."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
