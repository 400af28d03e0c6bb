"""scaffold new: render a template into a fresh project, atomically, and commit it."""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.answers import read_project_answers
from scaffold.catalog import Catalog, load_catalog
from scaffold.copier_api import run_copy
from scaffold.errors import DestinationError, MissingToolError
from scaffold.gitutil import initial_commit, require_git
from scaffold.source import TemplateSource, template_source


@dataclass(frozen=True)
class NewProject:
    path: Path
    framework: str
    answers: dict[str, Any]


def _check_destination(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise DestinationError(f"destination {dest} exists and is not empty")


def _missing_parents(dest: Path) -> list[Path]:
    return [parent for parent in reversed(dest.parents) if not parent.exists()]


def new_project(
    dest: Path,
    *,
    framework: str | None = None,
    answers: dict[str, Any] | None = None,
    defaults: bool = False,
    git: bool = True,
    source: TemplateSource | None = None,
    preset: dict[str, Any] | None = None,
) -> NewProject:
    """Generate a project at dest. On any error or interrupt nothing is left behind.

    ``answers`` are fixed; ``preset`` answers are where the questions start (the defaults).
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
    dest = dest.expanduser().absolute()
    _check_destination(dest)
    if git:
        require_git()
    if not defaults and not sys.stdin.isatty():
        raise MissingToolError(
            "no terminal to ask the questions in; pass --defaults or answer with --data"
        )

    created_parents = _missing_parents(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
    try:
        run_copy(
            source,
            staging,
            data={**data, "secret_key": secrets.token_urlsafe(48)},
            user_defaults={"project_name": dest.name, **starting},
            defaults=defaults,
        )
        recorded = read_project_answers(staging)
        if git:
            initial_commit(
                staging,
                author_name=str(recorded.get("author_name", "scaffold")),
                author_email=str(recorded.get("author_email", "scaffold@localhost")),
                message="Initial commit",
            )
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in reversed(created_parents):
            shutil.rmtree(parent, ignore_errors=True)
        raise
    return NewProject(path=dest, framework=str(recorded["framework"]), answers=recorded)
