"""The one place that imports copier (lazily: it costs ~0.4 s) and translates its errors."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scaffold.clones import one_clone_per_version
from scaffold.copier_private import bundle_verified_once, file_mode_asked_once, load_copier
from scaffold.errors import AnswerError, MissingToolError, ScaffoldError, TemplateSourceError
from scaffold.jinja_cache import compiling_once
from scaffold.scratch import scratch_name
from scaffold.signals import Stopped, deferred, process_clock, stop_descendants
from scaffold.source import TemplateSource

_VALIDATION = re.compile(r"Validation error for question '(\w+)': (.*)", re.DOTALL)


@contextmanager
def copier_errors() -> Iterator[None]:
    """Turn copier's exceptions into scaffold's, with one readable line each."""
    load_copier()
    from copier.errors import CopierError, InteractiveSessionError
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        with (
            _private_tempdir(),
            warnings.catch_warnings(),
            file_mode_asked_once(),
            bundle_verified_once(),
            compiling_once(),
        ):
            # A development checkout with uncommitted template edits is rendered as it is.
            warnings.filterwarnings("ignore", message="Dirty template changes")
            yield
    except KeyboardInterrupt:  # copier's CopierAnswersInterrupt is one too; its text is a dump
        raise KeyboardInterrupt from None
    except InteractiveSessionError:
        raise MissingToolError(
            "no terminal to ask the questions in; pass --defaults or answer with --data"
        ) from None
    except ValueError as error:
        match = _VALIDATION.match(str(error))
        if match is None:
            raise
        key, reason = match[1], match[2].strip()
        # Only answers given up front fail here (a prompt asks again), so say how to give another.
        raise AnswerError(f"invalid {key}: {reason} Choose another with --data {key}=...") from None
    except CopierError as error:
        raise ScaffoldError(str(error).strip().splitlines()[0]) from None
    except TemplateError as error:  # a template file that cannot render: a defect of the source
        where = ""
        if isinstance(error, TemplateSyntaxError):
            where = f" ({error.name}, line {error.lineno})"
        raise TemplateSourceError(f"the templates failed to render{where}: {error}") from None


@contextmanager
def _private_tempdir() -> Iterator[None]:
    """Put copier's temporary clones in a directory of ours, removed whatever happens.

    copier removes its clone on errors, but not one it was still making when a signal came.
    """
    work = str(scratch_name("scaffold-copier-"))
    previous = tempfile.tempdir
    entered = process_clock()
    interrupted = True
    try:
        os.mkdir(work, 0o700)
        tempfile.tempdir = work
        yield
        interrupted = False
    except (Stopped, KeyboardInterrupt):
        with deferred():  # a git clone copier started would go on writing into `work`
            stop_descendants(started_since=entered)
        raise
    finally:
        tempfile.tempdir = previous
        with deferred():
            # Stopped part way, a git process may still write, or make its clone's directory
            # again after it was removed: then the directory must stay away a while.
            _remove_while_written(work, settle=_SETTLE_SECONDS if interrupted else 0.0)


# How long a git process that copier started may go on writing into its clone after a signal
# stopped us: it gets the signal too, but finishes its current write first.
_CLEANUP_SECONDS = 5.0
# How long the directory must stay away after a signal before it counts as removed.
_SETTLE_SECONDS = 0.5


def _remove_while_written(path: str, *, settle: float = 0.0) -> None:
    """Remove path, again until it has stayed away for `settle` seconds (or _CLEANUP_SECONDS
    pass): nothing writes into it any more."""
    deadline = time.monotonic() + _CLEANUP_SECONDS
    gone_since: float | None = None
    while True:
        shutil.rmtree(path, ignore_errors=True)
        now = time.monotonic()
        if os.path.exists(path):
            gone_since = None
        elif gone_since is None:
            gone_since = now
        if (gone_since is not None and now - gone_since >= settle) or now > deadline:
            return
        time.sleep(0.02)


def run_copy(
    source: TemplateSource,
    dest: Path,
    *,
    data: dict[str, Any],
    user_defaults: dict[str, Any],
    defaults: bool,
) -> None:
    copier = load_copier()
    with copier_errors(), one_clone_per_version():
        copier.run_copy(
            source.url,
            dest,
            data=data,
            user_defaults=user_defaults,
            defaults=defaults,
            vcs_ref=source.vcs_ref,
            quiet=True,
            overwrite=True,
        )


def run_update(
    source: TemplateSource, project: Path, *, data: dict[str, Any], keep_old: Path | None = None
) -> None:
    """Three-way merge of the project onto the source's version, conflicts left inline.

    copier renders both versions from the project's recorded source, which the caller has
    checked is this source. ``unsafe`` lets the template's own ``_migrations`` run (U3).
    With ``keep_old``, the render of the project's old version that copier makes for the
    merge is copied there (rendering it again would cost as much as the update itself);
    when copier's internals no longer allow that, the old version is rendered there after.
    """
    copier = load_copier()
    with copier_errors(), _keeping_old_render(keep_old), one_clone_per_version():
        copier.run_update(
            project,
            data=data,
            vcs_ref=source.vcs_ref,
            defaults=True,
            overwrite=True,
            unsafe=True,
            quiet=True,
            conflict="inline",
        )


_OLD_COPY = ".old_copy."  # the prefix of copier's temporary directory for the old render


@contextmanager
def _keeping_old_render(keep_old: Path | None) -> Iterator[None]:
    if keep_old is None:
        yield
        return
    from copier._main import Worker

    original = Worker.run_copy

    def run_copy(worker: Any) -> None:
        original(worker)
        if not keep_old.exists() and _OLD_COPY in str(worker.dst_path):
            shutil.copytree(worker.dst_path, keep_old, symlinks=True)

    setattr(Worker, "run_copy", run_copy)  # noqa: B010 (the method, for this update only)
    try:
        yield
    finally:
        setattr(Worker, "run_copy", original)  # noqa: B010


def render_version(answers: dict[str, Any], dest: Path) -> None:
    """Render the template version a project records, with its answers, into dest."""
    copier = load_copier()
    with copier_errors(), one_clone_per_version():
        copier.run_copy(
            str(answers["_src_path"]),
            dest,
            data={k: v for k, v in answers.items() if not k.startswith("_")},
            vcs_ref=str(answers["_commit"]),
            defaults=True,
            quiet=True,
            overwrite=True,
        )
