"""scaffold update and check: bring a generated project to this scaffold's template version.

copier does the three-way merge. Around it, this module refuses what would lose work (a dirty
tree, committed conflict markers, a downgrade, a version the templates lack), applies answers
edited by hand in the answers file the way `--data` would, and then finishes what copier
leaves undone: it carries edits into files the template moved, keeps files the user changed
that the new template deletes, finds conflicts (copier exits 0) and says what happened to
every file.

The update always runs in a throwaway clone of the project; the real update then copies the
files it changed into the project, and `--diff` shows them instead. So the preview is the
update, file for file, by construction.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.answers import ANSWERS_FILE
from scaffold.errors import (
    DirtyProjectError,
    LeftoverConflictsError,
    RefusedError,
    TemplateSourceError,
)
from scaffold.gitutil import dirty_files, git, is_repository, require_git
from scaffold.markers import CONFLICT_MARKER, committed_markers
from scaffold.outcome import UpdateResult
from scaffold.project import Project, Standing, open_project, standing, target_version
from scaffold.record import HandEdit, find_hand_edit
from scaffold.scratch import scratch_dir
from scaffold.source import TemplateSource, template_source
from scaffold.workcopy import update_copy

__all__ = ["CONFLICT_MARKER", "CheckResult", "UpdateResult", "check_project", "update_project"]

_IDENTITY = {
    "GIT_AUTHOR_NAME": "scaffold",
    "GIT_AUTHOR_EMAIL": "scaffold@localhost",
    "GIT_COMMITTER_NAME": "scaffold",
    "GIT_COMMITTER_EMAIL": "scaffold@localhost",
}


@dataclass(frozen=True)
class CheckResult:
    project_version: str
    available_version: str
    standing: Standing
    leftover_conflicts: list[str]  # committed files with an update's conflict markers


def check_project(path: Path, *, source: TemplateSource | None = None) -> CheckResult:
    source = source or template_source()
    project = open_project(path)
    markers = committed_markers(project.path) if is_repository(project.path) else []
    return CheckResult(project.version, target_version(source), standing(project, source), markers)


def _prepare(path: Path, source: TemplateSource) -> tuple[Project, Standing]:
    require_git()
    project = open_project(path)
    if not is_repository(project.path):
        raise RefusedError(f"{project.path} is not a git repository; commit the project first")
    dirty = dirty_files(project.path)
    if dirty:
        shown = ", ".join(dirty[:5]) + (" ..." if len(dirty) > 5 else "")
        raise DirtyProjectError(f"the project has uncommitted changes ({shown}); commit or stash")
    markers = committed_markers(project.path)
    if markers:
        raise LeftoverConflictsError(markers)
    recorded = Path(str(project.answers["_src_path"])).expanduser()
    if recorded.absolute() != Path(source.url).expanduser().absolute():
        raise TemplateSourceError(
            f"the project's template source is {project.answers['_src_path']}, not this "
            f"scaffold's {source.url}; update it with the scaffold that made it, or copier"
        )
    where = standing(project, source)
    if where is Standing.AHEAD:
        raise RefusedError(
            f"the project is on template version {project.version}, newer than this "
            f"scaffold's {target_version(source)}; upgrade scaffold instead of downgrading"
        )
    return project, where


def _answers_to_apply(
    project: Project, data: dict[str, Any], source: TemplateSource
) -> tuple[dict[str, Any], HandEdit | None]:
    """--data and the answers edited by hand (--data wins), checked as --data is."""
    from scaffold.answers import parse_data
    from scaffold.catalog import load_catalog

    edit = find_hand_edit(project.path)
    if not edit and not data:
        return {}, None
    catalog = load_catalog(source.root)
    wanted = dict(data)
    if edit:
        # Exactly as `scaffold update --data key=value` would take them.
        by_hand = parse_data(edit.as_data(), catalog)
        wanted = {**by_hand, **data}
    if wanted:
        catalog.check_answers(project.framework, wanted)
        recorded = edit.recorded if edit else project.user_answers
        catalog.check_constraints({**recorded, **wanted})
    return wanted, edit


def update_project(
    path: Path,
    *,
    data: dict[str, Any] | None = None,
    preview: bool = False,
    source: TemplateSource | None = None,
) -> UpdateResult:
    """Update the project in place, or with preview=True compute the same update and its diff.

    The tree is left uncommitted for the user to review; conflicted files hold markers.
    """
    source = source or template_source()
    project, where = _prepare(path, source)
    wanted, edit = _answers_to_apply(project, data or {}, source)
    result = UpdateResult(
        project.version,
        target_version(source),
        applied=wanted,
        hand_edited=sorted(edit.changed) if edit else [],
        preview=preview,
    )
    if where is Standing.CURRENT and not wanted:
        return result
    with _clone(project.path) as (clone, head):
        if edit:
            # copier renders the old version from the answers file: give it the recorded one.
            (clone / ANSWERS_FILE).write_text(edit.recorded_text, encoding="utf-8")
            git(clone, "commit", "--quiet", "--no-verify", "-am", "recorded answers", env=_IDENTITY)
        result.files = update_copy(clone, source, wanted)
        if preview:
            git(clone, "add", "--all")
            result.diff = git(clone, "diff", "--cached", "--no-color", "--no-renames", head)
        else:
            changed = {path for file in result.files for path in file.paths}
            if edit:
                changed.add(ANSWERS_FILE)
            _transfer(clone, project.path, changed)
    return result


@contextmanager
def _clone(project: Path) -> Iterator[tuple[Path, str]]:
    with scratch_dir("scaffold-update-") as work:
        clone = work / project.name
        git(work, "clone", "--quiet", str(project), str(clone))  # objects hardlinked: read-only
        yield clone, git(clone, "rev-parse", "HEAD").strip()


def _transfer(clone: Path, project: Path, paths: set[str]) -> None:
    """Make each path in the project what it is in the updated clone."""
    for name in sorted(paths):
        source, target = clone / name, project / name
        if source.is_symlink() or source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink() or target.is_file():
                target.unlink()
            if source.is_symlink():
                target.symlink_to(source.readlink())
            else:
                shutil.copy2(source, target)
        elif target.is_symlink() or target.exists():
            target.unlink()
            _remove_empty_parents(target.parent, project)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
