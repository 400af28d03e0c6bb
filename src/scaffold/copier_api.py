"""The one place that imports copier (lazily: it costs ~0.4 s) and translates its errors."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scaffold.errors import AnswerError, MissingToolError, ScaffoldError, TemplateSourceError
from scaffold.signals import deferred
from scaffold.source import TemplateSource

_VALIDATION = re.compile(r"Validation error for question '(\w+)': (.*)", re.DOTALL)


@contextmanager
def copier_errors() -> Iterator[None]:
    """Turn copier's exceptions into scaffold's, with one readable line each."""
    from copier.errors import CopierError, InteractiveSessionError
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        with _private_tempdir(), warnings.catch_warnings():
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
    work = tempfile.mkdtemp(prefix="scaffold-copier-")
    previous, tempfile.tempdir = tempfile.tempdir, work
    try:
        yield
    finally:
        tempfile.tempdir = previous
        with deferred():
            for _ in range(3):  # a git process stopped with us may still be writing into it
                shutil.rmtree(work, ignore_errors=True)
                if not os.path.exists(work):
                    break


def run_copy(
    source: TemplateSource,
    dest: Path,
    *,
    data: dict[str, Any],
    user_defaults: dict[str, Any],
    defaults: bool,
) -> None:
    import copier

    with copier_errors():
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
    import copier

    with copier_errors(), _keeping_old_render(keep_old), _cloning_once(), _compiling_once():
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


@contextmanager
def _cloning_once() -> Iterator[None]:
    """One clone of the template per version for the whole update.

    copier clones the template for each of its workers (five for one update: the old
    version twice, the new one three times) and removes each clone after; a clone costs
    most of a second. The workers only read their clone, so they share one per version,
    made in copier's temporary directory (see copier_errors), which is removed after.
    """
    from copier import _template

    original = getattr(_template, "clone")  # noqa: B009 (not in its public names)
    clones: dict[tuple[str, str], str] = {}

    def clone(url: str, ref: str = "HEAD", location: str | None = None) -> str:
        if (url, ref) not in clones:
            clones[url, ref] = original(url, ref)  # not at location: copier removes that
        return clones[url, ref]

    setattr(_template, "clone", clone)  # noqa: B010 (for this update only)
    try:
        yield
    finally:
        setattr(_template, "clone", original)  # noqa: B010


@contextmanager
def _compiling_once() -> Iterator[None]:
    """Compile each Jinja source once for the whole update.

    copier makes a new Jinja environment for each of its three renders, and each compiles
    every file, file name and included macro again (some 1,700 compilations, a third of the
    update's time). Compiled code does not depend on the environment beyond the settings in
    the key (Jinja's own bytecode cache relies on that), so renders with the same settings
    share it.
    """
    import jinja2

    original: Any = jinja2.Environment.compile
    compiled: dict[tuple[Any, ...], Any] = {}

    def compile(
        env: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw or not isinstance(source, str):
            return original(env, source, name, filename, raw, defer_init)
        key: tuple[Any, ...] = (type(env), env.lexer, tuple(sorted(env.extensions)), env.optimized)
        key += (env.autoescape, env.finalize, source, name, filename, defer_init)
        if key not in compiled:
            compiled[key] = original(env, source, name, filename, raw, defer_init)
        return compiled[key]

    setattr(jinja2.Environment, "compile", compile)  # noqa: B010 (for this update only)
    try:
        yield
    finally:
        setattr(jinja2.Environment, "compile", original)  # noqa: B010


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
    import copier

    with copier_errors():
        copier.run_copy(
            str(answers["_src_path"]),
            dest,
            data={k: v for k, v in answers.items() if not k.startswith("_")},
            vcs_ref=str(answers["_commit"]),
            defaults=True,
            quiet=True,
            overwrite=True,
        )
