"""A generated project as found on disk, and where its template version stands."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.answers import ANSWERS_FILE, read_project_answers
from scaffold.errors import DestinationError, ScaffoldError, TemplateSourceError
from scaffold.gitutil import git
from scaffold.source import TemplateSource


class Standing(enum.Enum):
    CURRENT = "current"
    BEHIND = "behind"
    AHEAD = "ahead"  # made by a newer scaffold than this one


@dataclass(frozen=True)
class Project:
    path: Path
    answers: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.answers["_commit"])

    @property
    def framework(self) -> str:
        return str(self.answers["framework"])

    @property
    def user_answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.answers.items() if not k.startswith("_")}


def open_project(path: Path) -> Project:
    path = path.expanduser().absolute()
    answers = read_project_answers(path)
    if not {"_src_path", "_commit", "framework"} <= answers.keys():
        raise DestinationError(f"{path} is not a generated project (no usable {ANSWERS_FILE})")
    return Project(path=path, answers=answers)


def _resolve(repo: Path, ref: str) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except ScaffoldError:
        return None


def _is_ancestor(repo: Path, older: str, newer: str) -> bool:
    try:
        git(repo, "merge-base", "--is-ancestor", older, newer)
    except ScaffoldError:
        return False
    return True


def target_version(source: TemplateSource) -> str:
    """The version an update would bring: the release tag, or HEAD's short hash in a checkout."""
    if source.vcs_ref and source.vcs_ref != "HEAD":
        return source.vcs_ref
    return git(source.root, "rev-parse", "--short", "HEAD").strip()


def standing(project: Project, source: TemplateSource) -> Standing:
    """Where the project's template version stands against the one this scaffold carries."""
    ours = _resolve(source.root, source.vcs_ref or "HEAD")
    theirs = _resolve(source.root, project.version)
    if ours is None or theirs is None:
        hint = (
            "; in a development checkout, that happens to a project made from uncommitted "
            "template changes"
            if source.vcs_ref == "HEAD"
            else "; install a scaffold that does"
        )
        raise TemplateSourceError(
            f"this scaffold's templates do not contain version {project.version}, "
            f"which the project was made from{hint}"
        )
    if ours == theirs:
        return Standing.CURRENT
    if _is_ancestor(source.root, theirs, ours):
        return Standing.BEHIND
    if _is_ancestor(source.root, ours, theirs):
        return Standing.AHEAD
    raise TemplateSourceError(f"version {project.version} is not in this scaffold's history")
