"""What changed in the templates between a project's version and this scaffold's: release notes.

Each release carries human-written notes in the repository's CHANGELOG.md, one ``## X.Y.Z``
section a release (``## Unreleased (X.Y.Z)`` while it is being made). The notes are read from
the newest CHANGELOG.md the template source holds, so a note corrected in a later release is
shown corrected: the newest release's file in a bundle, the working tree in a checkout.
Versions are read from pyproject.toml at each commit, as releases.py defines a release.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from scaffold.errors import ScaffoldError
from scaffold.gitutil import git
from scaffold.releases import TAG_PREFIX
from scaffold.source import TemplateSource

CHANGELOG = "CHANGELOG.md"
_HEADING = re.compile(r"^## +(?:Unreleased +\((?P<unreleased>[^)\s]+)\)|(?P<version>\d[^\s]*))")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class ReleaseNotes:
    version: Version
    heading: str  # as written, e.g. "0.2.0" or "Unreleased (0.2.0)"
    body: str  # the section's text without its heading, trailing blank lines removed


def parse_changelog(text: str) -> list[ReleaseNotes]:
    """The sections of a changelog whose heading names a version, in the file's order."""
    sections: list[ReleaseNotes] = []
    heading: tuple[Version, str] | None = None
    lines: list[str] = []
    fenced = False

    def close() -> None:
        if heading is not None:
            sections.append(ReleaseNotes(heading[0], heading[1], "\n".join(lines).strip("\n")))

    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.startswith("## "):
            lines.append(line)
            continue
        close()  # any second-level heading ends a section; only a version's starts one
        heading, lines = None, []
        match = _HEADING.match(line)
        version = _parsed(match["unreleased"] or match["version"]) if match else None
        if version is not None:
            heading = (version, line[3:].strip())
    close()
    return sections


def release_notes(project_version: str, source: TemplateSource) -> list[ReleaseNotes]:
    """The notes of every release after the project's version up to the source's, newest first.

    project_version is what the project records (a release tag, or a commit when it was made
    from a checkout). Nothing is returned when either version or the changelog is unknown:
    release notes are information, never a reason to fail a check or an update.
    """
    since = _version_of(source.root, project_version)
    until = _target_version(source)
    text = _newest_changelog(source)
    if since is None or until is None or text is None:
        return []
    # A development version (0.2.0.dev0) is on its way to 0.2.0: a checkout there shows the
    # notes written so far for 0.2.0, and a project made there has 0.2.0 only in part.
    ceiling = Version(until.base_version) if until.is_devrelease or until.is_prerelease else until
    chosen = [notes for notes in parse_changelog(text) if since < notes.version <= ceiling]
    return sorted(chosen, key=lambda notes: notes.version, reverse=True)


def describe_release_notes(notes: list[ReleaseNotes], since: str) -> str:
    """The notes as the CLI prints them: a title line, then each section as written."""
    if not notes:
        return ""
    parts = [f"Release notes since {since}:"]
    for section in notes:
        parts.append(f"## {section.heading}\n\n{section.body}".rstrip())
    return "\n\n".join(parts)


def _read_version(pyproject: str) -> Version | None:
    try:
        version = tomllib.loads(pyproject).get("project", {}).get("version")
    except tomllib.TOMLDecodeError:
        return None
    return _parsed(str(version)) if version else None


def _show(repo: Path, ref: str, name: str) -> str | None:
    try:
        return git(repo, "show", f"{ref}:{name}")
    except ScaffoldError:
        return None


def _version_of(repo: Path, ref: str) -> Version | None:
    """The version at ref: its pyproject.toml's, or a release tag's name where the history
    has no such tag (a checkout finds releases by version, not by tag)."""
    text = _show(repo, ref, "pyproject.toml")
    if text is not None:
        return _read_version(text)
    return _parsed(ref.removeprefix(TAG_PREFIX)) if ref.startswith(TAG_PREFIX) else None


def _is_working_tree(source: TemplateSource) -> bool:
    return source.vcs_ref == "HEAD"  # a checkout: scaffold renders its working tree


def _target_version(source: TemplateSource) -> Version | None:
    if _is_working_tree(source):
        pyproject = source.root / "pyproject.toml"
        return _read_version(pyproject.read_text("utf-8")) if pyproject.is_file() else None
    ref = source.vcs_ref or _newest_release(source.root)
    return _version_of(source.root, ref) if ref else None


def _newest_changelog(source: TemplateSource) -> str | None:
    if _is_working_tree(source):
        changelog = source.root / CHANGELOG
        return changelog.read_text("utf-8") if changelog.is_file() else None
    newest = _newest_release(source.root)
    return _show(source.root, newest, CHANGELOG) if newest else None


def _newest_release(repo: Path) -> str | None:
    """The newest release tag in a bundle's checkout (it holds every release's tag)."""
    tags = git(repo, "tag", "--list", f"{TAG_PREFIX}*").split()
    versions = {tag: _parsed(tag.removeprefix(TAG_PREFIX)) for tag in tags}
    found = {tag: version for tag, version in versions.items() if version is not None}
    return max(found, key=found.__getitem__) if found else None


def _parsed(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None
