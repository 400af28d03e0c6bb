"""scaffold new: render a template into a fresh project, atomically, and commit it."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.answers import read_project_answers
from scaffold.catalog import Catalog, load_catalog
from scaffold.clones import one_clone_per_version
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
from scaffold.presets import Preset, load_presets
from scaffold.progress import Progress
from scaffold.prompts import NO_TERMINAL, collect_answers
from scaffold.questionnaire import questionnaire
from scaffold.scratch import scratch_name
from scaffold.signals import deferred
from scaffold.snapshot import record_source, renderable
from scaffold.source import TemplateSource, template_source


@dataclass(frozen=True)
class NewProject:
    path: Path
    framework: str
    answers: dict[str, Any]
    lock: LockResult


@dataclass(frozen=True)
class Request:
    """What `new` was asked for, checked before anything is rendered or written."""

    dest: Path
    source: TemplateSource
    catalog: Catalog
    fixed: dict[str, Any]  # given on the command line or in a data file: never asked
    starting: dict[str, Any]  # where the questions start: the folder's name, the Python
    preset: dict[str, Any] | None  # --preset's answers: filled in, not asked; None: none given
    presets: dict[str, Preset]  # offered as the first choice when asking and none was given
    defaults: bool
    accept: bool

    @property
    def framework(self) -> str | None:
        return self.fixed.get("framework")


def request(
    dest: Path,
    *,
    framework: str | None = None,
    answers: dict[str, Any] | None = None,
    defaults: bool = False,
    accept: bool = False,
    source: TemplateSource | None = None,
    preset: dict[str, Any] | None = None,
) -> Request:
    """Check the command line's answers, preset and destination; refuse with one line."""
    source = source or template_source()
    catalog: Catalog = load_catalog(source.root)
    fixed = dict(answers or {})
    if framework is not None:
        fixed["framework"] = framework
    if "framework" in fixed:
        catalog.check_framework(fixed["framework"])
        catalog.check_answers(fixed["framework"], fixed)
    catalog.check_answers(fixed.get("framework"), preset or {}, ignore_unasked=True)
    catalog.check_constraints({**(preset or {}), **fixed})
    if not defaults and not sys.stdin.isatty() and _left_open(catalog, fixed):
        raise MissingToolError(NO_TERMINAL)
    dest = Path(os.path.abspath(dest.expanduser()))  # normalised: `.` and `..` get their names
    starting = {"project_name": dest.name, **_running_python(catalog)}
    presets = load_presets(source.root)
    return Request(dest, source, catalog, fixed, starting, preset, presets, defaults, accept)


def _running_python(catalog: Catalog) -> dict[str, str]:
    """The Python scaffold runs on as the default version, when the templates offer it: it is
    there to lock and run the project with, where another version may need a download."""
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    offered = catalog.question("python_version").choices.values()
    return {"python_version": here} if here in offered else {}


def _left_open(catalog: Catalog, fixed: dict[str, Any]) -> bool:
    """Whether a question is surely left to ask (one with a condition other than the
    framework may not apply: the questionnaire decides those)."""
    if "framework" not in fixed:
        return True
    return any(
        q.name not in fixed and (q.when is True or q.frameworks is not None)
        for q in catalog.options(fixed["framework"])
    )


def choose(req: Request, rendered_from: TemplateSource) -> dict[str, Any]:
    """Every answer: asked at the prompts (then the summary), or taken from the defaults."""
    if req.defaults:  # the preset's answers are where the defaults start
        with questionnaire(rendered_from, req.dest, {**req.starting, **(req.preset or {})}) as q:
            chosen = q.resolve(req.fixed)
        req.catalog.check_answers(str(chosen["framework"]), req.fixed)
    else:
        with questionnaire(rendered_from, req.dest, req.starting) as questions:
            chosen = collect_answers(
                questions,
                req.catalog,
                req.fixed,
                preset=req.preset,
                presets=req.presets,
                accept=req.accept,
            )
    final = {**req.fixed, **chosen}
    req.catalog.check_constraints(final)
    return final


def render(rendered_from: TemplateSource, target: Path, answers: dict[str, Any]) -> None:
    """The project from its final answers, copier asking nothing; the secret key is fresh."""
    run_copy(
        rendered_from,
        target,
        data={**answers, "secret_key": secrets.token_urlsafe(48)},
        user_defaults={},
        defaults=True,
    )
    # .env holds the secret key: only its owner may read it (copier writes it like any file).
    env_file = target / ".env"
    if env_file.is_file():
        env_file.chmod(0o600)


def new_project(
    dest: Path,
    *,
    framework: str | None = None,
    answers: dict[str, Any] | None = None,
    defaults: bool = False,
    git: bool = True,
    source: TemplateSource | None = None,
    preset: dict[str, Any] | None = None,
    accept: bool = False,
    lock: bool = True,
    progress: Progress | None = None,
) -> NewProject:
    """Generate a project at dest. On any error or interrupt nothing is left behind.

    ``answers`` are fixed; ``preset`` answers are filled in (not asked, but the summary can
    change them; with ``defaults``, they replace the defaults).
    With ``lock``, uv.lock is written and committed with the rest; ``progress`` hears of each
    step after the questions.
    """
    req = request(
        dest,
        framework=framework,
        answers=answers,
        defaults=defaults,
        accept=accept,
        source=source,
        preset=preset,
    )
    dest = req.dest
    in_place = check_destination(dest)
    if git:
        require_git()

    created_parents = missing_parents(dest)
    staging: Path | None = None
    try:
        with one_clone_per_version(), renderable(req.source) as rendered_from:
            chosen = choose(req, rendered_from)
            with refuse_os_error(dest):
                dest.parent.mkdir(parents=True, exist_ok=True)
                # An existing empty directory is filled in place (it may be the shell's
                # current one), so the staging area is inside it; otherwise beside it,
                # renamed at the end. Named before it is made (see scaffold.scratch).
                staging = scratch_name(
                    f".{dest.name}.", parent=dest if in_place else dest.parent, suffix=".partial"
                )
                staging.mkdir()  # with the umask's permissions, as mkdir makes a directory
            if progress is not None:
                progress.step("Writing the project files...")
            render(rendered_from, staging, chosen)
        record_source(staging, req.source)
        recorded = read_project_answers(staging)
        locking = LockResult(locked=False, reason="left out (--no-lock)")
        if lock:
            locking = lock_dependencies(staging, progress)
        if git:
            if progress is not None:
                progress.step("Making the first commit (git)...")
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
