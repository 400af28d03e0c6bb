"""scaffold diff: the template's own change between two versions, rendered with a project's answers.

Both versions are rendered into a temporary directory and compared as git trees, so the diff
reads like `git diff` in the project (a/ and b/ paths relative to its root, files the project
ignores left out). Nothing is written anywhere else: not in the project, not in the template.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffold.copier_api import render_version
from scaffold.errors import ScaffoldError, TemplateSourceError, UsageError
from scaffold.gitutil import git, require_git
from scaffold.project import Project, open_project, target_version
from scaffold.releases import TAG_PREFIX, find_releases
from scaffold.scratch import scratch_dir
from scaffold.snapshot import record_source, renderable
from scaffold.source import TemplateSource, template_source


@dataclass(frozen=True)
class TemplateDiff:
    from_version: str
    to_version: str
    diff: str  # a unified diff, git's format; empty when the two render the same


def known_versions(source: TemplateSource) -> dict[str, str]:
    """Release name (v0.1.0) -> what git resolves it by, oldest first."""
    from packaging.version import Version

    if source.vcs_ref == "HEAD":  # a checkout: releases are found by version, not by tag
        return {release.tag: release.commit for release in find_releases(source.root)}
    tags = git(source.root, "tag", "--list", f"{TAG_PREFIX}*").split()
    found = []
    for tag in tags:
        try:
            found.append((Version(tag.removeprefix(TAG_PREFIX)), tag))
        except ValueError:  # InvalidVersion: a tag that names no release
            continue
    return {tag: tag for _, tag in sorted(found)}


def template_diff(
    path: Path,
    from_version: str | None = None,
    to_version: str | None = None,
    *,
    source: TemplateSource | None = None,
) -> TemplateDiff:
    """The change from one template version to another (default: the project's to this
    scaffold's), as both render with the project's answers."""
    require_git()
    source = source or template_source()
    project = open_project(path)
    known = known_versions(source)
    old_label, old_ref = _resolve(from_version or project.version, project, source, known)
    new_label, new_ref = _resolve(to_version, project, source, known)
    with scratch_dir("scaffold-diff-") as work:
        with renderable(source) as rendered:
            old = _render(project, source, rendered, old_ref, work / "from")
            new = _render(project, source, rendered, new_ref, work / "to")
        return TemplateDiff(old_label, new_label, _diff_trees(work, old, new))


def _resolve(
    asked: str | None, project: Project, source: TemplateSource, known: dict[str, str]
) -> tuple[str, str | None]:
    """(the version's name, the git revision to render; None for the source's own version)."""
    if asked is None:
        return target_version(source), None
    for name in (asked, TAG_PREFIX + asked):
        if name in known:
            return name, known[name]
    if asked == project.version:  # made from a checkout: a commit rather than a release
        try:
            git(source.root, "rev-parse", "--verify", "--quiet", f"{asked}^{{commit}}")
        except ScaffoldError:
            raise TemplateSourceError(
                f"this scaffold's templates do not contain version {asked}, which the project "
                "was made from"
            ) from None
        return asked, asked
    listed = ", ".join(known) or "none"
    raise UsageError(f"unknown template version {asked!r}; known versions: {listed}")


def _render(
    project: Project, source: TemplateSource, rendered: TemplateSource, ref: str | None, dest: Path
) -> Path:
    answers = {**project.answers, "_src_path": rendered.url, "_commit": ref or rendered.vcs_ref}
    render_version(answers, dest)
    record_source(dest, source)  # the answers file names the source, not a snapshot of it
    return dest


def _diff_trees(work: Path, old: Path, new: Path) -> str:
    """git diff of two directories as trees: paths relative to each, the same ignore rules."""
    index = {"GIT_INDEX_FILE": str(work / "index")}
    repo = work / "repo"
    git(work, "init", "--quiet", "--bare", str(repo))

    def tree(directory: Path) -> str:
        where = {**index, "GIT_DIR": str(repo), "GIT_WORK_TREE": str(directory)}
        git(directory, "read-tree", "--empty", env=where)
        git(directory, "-c", "core.excludesFile=/dev/null", "add", "--all", env=where)
        return git(directory, "write-tree", env=where).strip()

    before, after = tree(old), tree(new)
    return git(
        work,
        "--git-dir",
        str(repo),
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--find-renames",
        before,
        after,
    )
