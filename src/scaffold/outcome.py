"""What an update did to each file, and the summary printed after it.

The result is data (UpdateResult) and the text is one function of it (describe_update), so
that other output, such as release notes, can be added after the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scaffold.catalog import shown

# The order the summary lists them in: what needs the user first.
KINDS = ("conflicted", "renamed", "changed", "added", "removed", "kept")
REVIEW = "git add -A && git diff --cached"


@dataclass(frozen=True)
class FileOutcome:
    path: str
    kind: str  # changed, added, removed, renamed or kept
    old_path: str | None = None  # renamed: where the file was
    conflict: bool = False  # left with conflict markers
    note: str = ""  # kept: siblings that no longer refer to it

    @property
    def group(self) -> str:
        return "conflicted" if self.conflict else self.kind

    @property
    def paths(self) -> list[str]:
        """The paths `git status` shows for it: none for a kept file (it did not change)."""
        if self.kind == "kept":
            return []
        if self.kind == "renamed" and self.old_path:
            return [self.old_path, self.path]
        return [self.path]

    def shown(self) -> str:
        name = f"{self.old_path} -> {self.path}" if self.kind == "renamed" else self.path
        if self.kind == "kept":
            reason = self.note or "you changed it and the new template no longer has it"
            return f"{name}; {reason}"
        if self.kind == "renamed" and self.conflict:
            return f"{name}; your edit of {self.old_path} conflicts at {self.path}"
        return name


@dataclass
class UpdateResult:
    from_version: str
    to_version: str
    applied: dict[str, Any] = field(default_factory=dict)  # answers switched on the way
    hand_edited: list[str] = field(default_factory=list)  # of them, edited in the answers file
    files: list[FileOutcome] = field(default_factory=list)
    preview: bool = False
    diff: str = ""  # preview only: the whole change as a git diff

    @property
    def changed(self) -> list[str]:
        """Every path the update left changed, as `git status --untracked-files=all` lists."""
        return sorted(path for file in self.files for path in file.paths)

    @property
    def conflicts(self) -> list[str]:
        return sorted(file.path for file in self.files if file.conflict)

    @property
    def kept(self) -> list[str]:
        return sorted(file.path for file in self.files if file.kind == "kept")

    @property
    def renamed(self) -> dict[str, str]:
        return {f.old_path: f.path for f in self.files if f.kind == "renamed" and f.old_path}


def headline(result: UpdateResult) -> str:
    """What the update did (or would do), in one line."""
    applied = ", ".join(f"{k}={shown(v)}" for k, v in result.applied.items())
    if result.hand_edited:
        applied += f" (edited by hand in the answers file: {', '.join(result.hand_edited)})"
    if result.from_version == result.to_version:
        verb = "Would apply" if result.preview else "Applied"
        return f"{verb} {applied} on template version {result.to_version}"
    verb = "Would update" if result.preview else "Updated"
    line = f"{verb} from template version {result.from_version} to {result.to_version}"
    return f"{line}, applying {applied}" if applied else line


def describe_update(result: UpdateResult) -> str:
    """The summary: a headline, the count, then every file by what happened to it."""
    if not result.files:
        if result.from_version == result.to_version and not result.applied:
            return f"Already on template version {result.to_version}; nothing changed."
        return f"{headline(result)}: no file changed."
    count = len(result.changed)
    lines = [f"{headline(result)}: {count} file(s) changed."]
    width = max(len(group) for group in KINDS)
    for group in KINDS:
        for file in sorted((f for f in result.files if f.group == group), key=lambda f: f.path):
            lines.append(f"  {group:<{width}}  {file.shown()}")
    if result.preview:
        lines.append("Nothing was changed (--diff).")
    else:
        lines.append(f"Nothing is committed: review with `{REVIEW}`, then commit.")
    if result.conflicts:
        lines.append(
            f"{len(result.conflicts)} file(s) have conflicts: resolve the <<<<<<< blocks "
            "before committing."
        )
    return "\n".join(lines)
