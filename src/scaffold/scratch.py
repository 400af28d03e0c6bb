"""Temporary directories that a Ctrl-C or SIGTERM cannot leave behind.

``tempfile.mkdtemp`` makes the directory and only then returns its name; our signal handlers
raise (scaffold.signals), and one raised in between leaves a directory nobody knows of. Here
the name comes first and the directory is made inside the ``try`` that removes it.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scaffold.signals import deferred


def scratch_name(prefix: str, *, parent: Path | None = None, suffix: str = "") -> Path:
    """A path for a new directory that does not exist yet (48 random bits in its name)."""
    return Path(parent or tempfile.gettempdir()) / f"{prefix}{secrets.token_hex(6)}{suffix}"


@contextmanager
def scratch_dir(prefix: str, *, parent: Path | None = None, suffix: str = "") -> Iterator[Path]:
    """A new directory only this user can read, removed when the block ends, however it ends."""
    path = scratch_name(prefix, parent=parent, suffix=suffix)
    try:
        path.mkdir(mode=0o700)
        yield path
    finally:
        with deferred():  # a second signal must not cut the removal short
            shutil.rmtree(path, ignore_errors=True)
