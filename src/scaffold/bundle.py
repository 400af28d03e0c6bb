"""The template bundle an installed scaffold carries, and where it lives for the user.

The wheel holds ``scaffold/_data/templates.bundle``: a git bundle of every release's templates.
The CLI copies it to one stable per-user path and records that path (as ``~/...``) in each
project, never a path inside a virtualenv, so any later scaffold, or plain copier, finds it.
A newer bundle replaces an older one there; an older scaffold never downgrades it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from scaffold.errors import ScaffoldError, TemplateSourceError, UsageError
from scaffold.gitutil import git
from scaffold.releases import TAG_PREFIX

BUNDLE_NAME = "templates.bundle"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "scaffold"


def cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scaffold"


def packaged_bundle() -> Path | None:
    path = Path(str(resources.files("scaffold"))) / "_data" / BUNDLE_NAME
    return path if path.is_file() else None


def recorded_path(path: Path) -> str:
    """The path as a project records it: ~/... when under the home directory."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def bundle_tags(bundle: Path) -> dict[str, str]:
    """Tag name -> commit, as listed in the bundle's header (read once per bundle file state:
    one command resolves the bundle several times)."""
    stat = bundle.stat()
    return dict(_listed_tags(str(bundle.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino))


@functools.lru_cache(maxsize=8)
def _listed_tags(bundle: str, *file_state: int) -> tuple[tuple[str, str], ...]:
    heads = git(Path(bundle).parent, "bundle", "list-heads", bundle)
    tags: dict[str, str] = {}
    for line in heads.splitlines():
        commit, _, ref = line.partition(" ")
        if ref.startswith("refs/tags/"):
            tags[ref.removeprefix("refs/tags/")] = commit
    return tuple(tags.items())


def newest_tag(tags: dict[str, str]) -> str:
    from packaging.version import Version

    return max(tags, key=lambda tag: Version(tag.removeprefix(TAG_PREFIX)))


def install_bundle(packaged: Path, target: Path) -> Path:
    """Put the packaged bundle at target unless the one there is as new or newer.

    Release history is never rewritten, so a newer bundle holds every release an older one does.
    """
    if target.is_file():
        from packaging.version import Version

        def newest(bundle: Path) -> Version:
            return Version(newest_tag(bundle_tags(bundle)).removeprefix(TAG_PREFIX))

        if newest(target) >= newest(packaged):
            return target
    with _writable(target.parent, "XDG_DATA_HOME"):
        target.parent.mkdir(parents=True, exist_ok=True)
        # A file of this process's own, renamed over the target: a concurrent reader sees the
        # old bundle or the new one, and a concurrent writer never shares the partial file.
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(fd)
        partial = Path(name)
        try:
            shutil.copyfile(packaged, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return target


@contextmanager
def _writable(directory: Path, variable: str) -> Iterator[None]:
    """One line instead of a traceback when the per-user directory cannot be written."""
    try:
        yield
    except OSError as error:
        raise UsageError(
            f"cannot write scaffold's templates to {directory}: {error.strerror or error}; "
            f"make it writable or set {variable} to a directory that is"
        ) from None


@functools.lru_cache(maxsize=8)
def _digest(bundle: str, *file_state: int) -> str:
    return hashlib.sha256(Path(bundle).read_bytes()).hexdigest()[:16]


def unpacked_root(bundle: Path, ref: str) -> Path:
    """A checkout of ref from the bundle, cached per bundle content, for reading questions.

    Safe when several scaffold processes unpack the same bundle at once: each clones into a
    directory of its own and the first rename wins.
    """
    stat = bundle.stat()
    digest = _digest(str(bundle.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    root = cache_home() / "checkouts" / f"{digest}-{ref}"
    if (root / "copier.yml").is_file():
        return root
    with _writable(root.parent, "XDG_CACHE_HOME"):
        root.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{root.name}.", suffix=".partial", dir=root.parent))
    try:
        clone = work / "checkout"
        try:
            git(work, "clone", "--quiet", "--branch", ref, str(bundle), str(clone))
        except ScaffoldError:
            message = f"the template bundle {bundle} has no version {ref}"
            raise TemplateSourceError(message) from None
        if root.exists() and not (root / "copier.yml").is_file():
            shutil.rmtree(root, ignore_errors=True)  # left half-made by an interrupted run
        try:
            clone.rename(root)
        except OSError:
            if not (root / "copier.yml").is_file():
                raise  # not another process winning the race: a real failure
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root
