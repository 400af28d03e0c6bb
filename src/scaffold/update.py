"""scaffold update and check: bring a generated project to this scaffold's template version.

copier does the three-way merge. Around it, this module refuses what would lose work (a dirty
tree, a downgrade, a version the templates lack), finds conflicts copier leaves unreported
(it exits 0), keeps files the user changed that the new template deletes, and previews an
update on a throwaway clone.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.copier_api import render_version, run_update
from scaffold.errors import DirtyProjectError, ScaffoldError, TemplateSourceError
from scaffold.gitutil import dirty_files, git, is_repository, require_git, unmerged_files
from scaffold.project import Project, Standing, open_project, standing, target_version
from scaffold.snapshot import updatable
from scaffold.source import TemplateSource, template_source

CONFLICT_MARKER = "<<<<<<< before updating"


@dataclass(frozen=True)
class CheckResult:
    project_version: str
    available_version: str
    standing: Standing


@dataclass
class UpdateResult:
    from_version: str
    to_version: str
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # user-changed files the template dropped
    diff: str = ""


def check_project(path: Path, *, source: TemplateSource | None = None) -> CheckResult:
    source = source or template_source()
    project = open_project(path)
    return CheckResult(project.version, target_version(source), standing(project, source))


def _prepare(path: Path, source: TemplateSource) -> tuple[Project, Standing]:
    require_git()
    project = open_project(path)
    if not is_repository(project.path):
        raise ScaffoldError(f"{project.path} is not a git repository; commit the project first")
    dirty = dirty_files(project.path)
    if dirty:
        shown = ", ".join(dirty[:5]) + (" ..." if len(dirty) > 5 else "")
        raise DirtyProjectError(f"the project has uncommitted changes ({shown}); commit or stash")
    recorded = Path(str(project.answers["_src_path"])).expanduser()
    if recorded.absolute() != Path(source.url).expanduser().absolute():
        raise TemplateSourceError(
            f"the project's template source is {project.answers['_src_path']}, not this "
            f"scaffold's {source.url}; update it with the scaffold that made it, or copier"
        )
    where = standing(project, source)
    if where is Standing.AHEAD:
        raise ScaffoldError(
            f"the project is on template version {project.version}, newer than this "
            f"scaffold's {target_version(source)}; upgrade scaffold instead of downgrading"
        )
    return project, where


def update_project(
    path: Path,
    *,
    data: dict[str, Any] | None = None,
    preview: bool = False,
    source: TemplateSource | None = None,
) -> UpdateResult:
    """Update the project in place, or with preview=True only compute the diff."""
    source = source or template_source()
    project, where = _prepare(path, source)
    result = UpdateResult(project.version, target_version(source))
    if where is Standing.CURRENT and not data:
        return result
    if preview:
        return _preview(project, data or {}, source, result)
    user_changed = _files_changed_by_user(project)
    with updatable(source) as rendered:
        run_update(rendered, project.path, data=data or {})
    _collect(project.path, result, user_changed)
    return result


def _collect(repo: Path, result: UpdateResult, user_changed: set[str]) -> None:
    status = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    result.changed = sorted(line[3:] for line in status if line.strip())
    deleted = [line[3:] for line in status if line[:2].strip() == "D"]
    for name in deleted:
        if name in user_changed:
            git(repo, "checkout", "HEAD", "--", name)  # never lose a user's work silently
            result.kept.append(name)
    conflicted = set(unmerged_files(repo))
    for name in result.changed:
        file = repo / name
        if file.is_file() and CONFLICT_MARKER in file.read_text(errors="replace"):
            conflicted.add(name)
    result.conflicts = sorted(conflicted)


def _files_changed_by_user(project: Project) -> set[str]:
    """Files whose content differs from what the project's template version renders."""
    with tempfile.TemporaryDirectory(prefix="scaffold-old-") as tmp:
        rendered = Path(tmp) / "old"
        render_version(project.answers, rendered)
        changed = set()
        for file in rendered.rglob("*"):
            if not file.is_file():
                continue
            name = file.relative_to(rendered).as_posix()
            mine = project.path / name
            if mine.is_file() and mine.read_bytes() != file.read_bytes():
                changed.add(name)
        return changed


def _preview(
    project: Project, data: dict[str, Any], source: TemplateSource, result: UpdateResult
) -> UpdateResult:
    work = Path(tempfile.mkdtemp(prefix="scaffold-preview-"))
    try:
        clone = work / project.path.name
        git(work, "clone", "--quiet", str(project.path), str(clone))
        with updatable(source) as rendered:
            run_update(rendered, clone, data=data)
        git(clone, "add", "--all")
        result.diff = git(clone, "diff", "--cached", "--no-color", "HEAD")
        result.changed = git(clone, "diff", "--cached", "--name-only", "HEAD").split()
        result.conflicts = [
            name
            for name in result.changed
            if (clone / name).is_file() and CONFLICT_MARKER in (clone / name).read_text("utf-8")
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result
