"""The release history of the templates, derived from git alone.

A release is the first commit of the latest run of commits whose pyproject.toml carries a given
(final, non-dev) version: the commit that bumped the version. Nothing depends on pushed tags;
the bundle built from this history is what an installed scaffold updates projects from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.gitutil import git
from scaffold.scratch import scratch_dir

TAG_PREFIX = "v"
BRANCH = "main"


@dataclass(frozen=True)
class Release:
    version: str
    commit: str

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.version}"


def _version_at(repo: Path, commit: str) -> str | None:
    try:
        text = git(repo, "show", f"{commit}:pyproject.toml")
    except ScaffoldError:
        return None
    version = tomllib.loads(text).get("project", {}).get("version")
    return str(version) if version else None


def is_final(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return not (parsed.is_devrelease or parsed.is_prerelease or parsed.local)


def find_releases(repo: Path) -> list[Release]:
    """Every release in the first-parent history of HEAD, oldest first."""
    commits = git(repo, "log", "--first-parent", "--reverse", "--format=%H", "--", "pyproject.toml")
    releases: dict[str, str] = {}
    previous: str | None = None
    for commit in commits.split():
        version = _version_at(repo, commit)
        if version != previous and version is not None and is_final(version):
            releases[version] = commit  # a version seen again starts a new run: the later wins
        previous = version
    return [Release(version, commit) for version, commit in releases.items()]


def build_bundle(repo: Path, out: Path) -> list[Release]:
    """Write a git bundle of the release history (tags v<version>, branch main at the newest)."""
    releases = find_releases(repo)
    if not releases:
        raise ScaffoldError(f"no release in the history of {repo}: set a final version first")
    with scratch_dir("scaffold-bundle-") as work:
        clone = work / "repo"
        git(work, "clone", "--quiet", "--no-tags", "--no-checkout", str(repo), str(clone))
        for release in releases:
            git(clone, "tag", "--force", release.tag, release.commit)
        git(clone, "update-ref", f"refs/heads/{BRANCH}", releases[-1].commit)
        git(clone, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
        out.parent.mkdir(parents=True, exist_ok=True)
        tags = [release.tag for release in releases]
        git(clone, "bundle", "create", str(out.absolute()), "HEAD", BRANCH, *tags)
    return releases
