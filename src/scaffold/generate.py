"""scaffold new: render a template into a fresh project, atomically, and commit it."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.answers import read_project_answers
from scaffold.catalog import Catalog, load_catalog
from scaffold.copier_api import run_copy
from scaffold.destination import (
    check_destination,
    claimed,
    missing_parents,
    refuse_os_error,
    remove_empty,
)
from scaffold.errors import MissingToolError
from scaffold.gitutil import initial_commit, require_git
from scaffold.lock import LockResult, lock_dependencies
from scaffold.signals import deferred
from scaffold.snapshot import record_source, renderable
from scaffold.source import TemplateSource, template_source


@dataclass(frozen=True)
class NewProject:
    path: Path
    framework: str
    answers: dict[str, Any]
    lock: LockResult


def new_project(
    dest: Path,
    *,
    framework: str | None = None,
    answers: dict[str, Any] | None = None,
    defaults: bool = False,
    git: bool = True,
    source: TemplateSource | None = None,
    preset: dict[str, Any] | None = None,
    lock: bool = True,
    progress: Callable[[str], None] | None = None,
) -> NewProject:
    """Generate a project at dest. On any error or interrupt nothing is left behind.

    ``answers`` are fixed; ``preset`` answers are where the questions start (the defaults).
    With ``lock``, uv.lock is written and committed with the rest; ``progress`` hears about
    the steps that can take a while.
    """
    source = source or template_source()
    catalog: Catalog = load_catalog(source.root)
    data = dict(answers or {})
    starting = dict(preset or {})
    if framework is not None:
        data["framework"] = framework
    elif defaults and "framework" not in data:
        data["framework"] = starting.get("framework", catalog.question("framework").default)
    if "framework" in data:
        catalog.check_framework(data["framework"])
        catalog.check_answers(data["framework"], data)
    catalog.check_answers(data.get("framework"), starting, ignore_unasked=True)
    dest = Path(os.path.abspath(dest.expanduser()))  # normalised: `.` and `..` get their names
    in_place = check_destination(dest)
    if git:
        require_git()
    if not defaults and not sys.stdin.isatty():
        raise MissingToolError(
            "no terminal to ask the questions in; pass --defaults or answer with --data"
        )

    created_parents = missing_parents(dest)
    staging: Path | None = None
    try:
        with refuse_os_error(dest):
            dest.parent.mkdir(parents=True, exist_ok=True)
            # An existing empty directory is filled in place (it may be the shell's current
            # one), so the staging area is inside it; otherwise beside it, renamed at the end.
            staging = Path(
                tempfile.mkdtemp(
                    prefix=f".{dest.name}.",
                    suffix=".partial",
                    dir=dest if in_place else dest.parent,
                )
            )
        with renderable(source) as rendered_from:
            run_copy(
                rendered_from,
                staging,
                data={**data, "secret_key": secrets.token_urlsafe(48)},
                user_defaults={"project_name": dest.name, **starting},
                defaults=defaults,
            )
        record_source(staging, source)
        recorded = read_project_answers(staging)
        locking = LockResult(locked=False, reason="left out (--no-lock)")
        if lock:
            locking = lock_dependencies(staging, progress)
        if git:
            initial_commit(
                staging,
                author_name=str(recorded.get("author_name", "scaffold")),
                author_email=str(recorded.get("author_email", "scaffold@localhost")),
                message="Initial commit",
            )
        claimed(staging, dest, in_place=in_place)
    except BaseException:
        with deferred():  # a second Ctrl-C or SIGTERM must not cut the cleanup short
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            remove_empty(created_parents)
        raise
    return NewProject(
        path=dest, framework=str(recorded["framework"]), answers=recorded, lock=locking
    )
