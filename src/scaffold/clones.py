"""One checkout of the template per version for a whole command, instead of one per copier run.

copier clones the template for each Worker it makes and removes the clone after: `scaffold new`
made two (the questions, then the render), `scaffold update` five. Workers only read their
clone, so they can share one per (source, version). A release in the bundle needs no clone at
all: the per-user cache of checkouts (scaffold.bundle.unpacked_root) already holds it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scaffold.copier_private import load_copier
from scaffold.errors import ScaffoldError
from scaffold.scratch import scratch_name
from scaffold.signals import deferred

_active: list[dict[tuple[str, str], str]] = []  # the clones of the outermost context, if any


@contextmanager
def one_clone_per_version() -> Iterator[None]:
    """Every copier run inside shares one checkout per (url, ref); nested uses join the outer.

    Clones are made in a directory of ours (copier removes the location it pre-allocates
    when its Worker closes), removed when the outermost context ends, whatever happens.
    """
    if _active:
        yield
        return
    load_copier()
    from copier import _template

    original: Any = getattr(_template, "clone")  # noqa: B009 (not in its public names)
    clones: dict[tuple[str, str], str] = {}
    work = scratch_name("scaffold-clones-")

    def clone(url: str, ref: str = "HEAD", location: str | None = None) -> str:
        if (url, ref) not in clones:
            clones[url, ref] = _release_checkout(url, ref) or original(
                url, ref, tempfile.mkdtemp(dir=work)
            )
        return clones[url, ref]

    try:  # everything it undoes is done inside it: a signal may land between any two lines
        work.mkdir(mode=0o700)
        setattr(_template, "clone", clone)  # noqa: B010 (for this command only)
        _active.append(clones)
        yield
    finally:
        if clones in _active:
            _active.remove(clones)
        setattr(_template, "clone", original)  # noqa: B010
        with deferred():
            for _ in range(3):  # a git process stopped with us may still be writing into it
                shutil.rmtree(work, ignore_errors=True)
                if not os.path.exists(work):
                    break


def _release_checkout(url: str, ref: str) -> str | None:
    """The cached checkout of a release tag of a bundle file, or None for anything else."""
    path = Path(url).expanduser()
    if not path.is_file():
        return None
    from scaffold.bundle import bundle_tags, unpacked_root

    try:
        if ref not in bundle_tags(path):
            return None
        return str(unpacked_root(path, ref))
    except ScaffoldError:  # not a bundle git can read: let copier say what it makes of it
        return None
