"""One update of a work copy (a throwaway clone of the project), file by file.

copier's update does the three-way merge; then, with the old version's render at hand:
a removed file whose content reappears at an added path is a rename, and a user's edit of it
is merged into the new path; a removed file the user had changed is restored (kept); and each
file of the result is classified from `git status`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from scaffold.answers import read_project_answers
from scaffold.copier_api import render_version, run_update
from scaffold.gitutil import committed_bytes, git, status
from scaffold.markers import has_markers
from scaffold.outcome import FileOutcome
from scaffold.renames import find_renames, merge_moved
from scaffold.snapshot import updatable
from scaffold.source import TemplateSource


def update_copy(copy: Path, source: TemplateSource, data: dict[str, Any]) -> list[FileOutcome]:
    """Update the work copy in place; what happened to each file."""
    with tempfile.TemporaryDirectory(prefix="scaffold-old-") as tmp:
        old = Path(tmp) / copy.name
        recorded = read_project_answers(copy)
        with updatable(source) as rendered:
            run_update(rendered, copy, data=data, keep_old=old)
        if not old.is_dir():
            render_version(recorded, old)
        entries = status(copy)
        removed = [name for code, name in entries if "D" in code]
        added = [name for code, name in entries if code == "??"]
        user_changed = {name for name in removed if _changed_by_user(copy, old, name)}
        renames = find_renames(removed, added, old, copy)
        conflicted: set[str] = set()
        for before, after in renames.items():
            if before in user_changed and _carry_edit(copy, old, before, after):
                conflicted.add(after)
        kept = [name for name in removed if name in user_changed and name not in renames]
        for name in kept:
            git(copy, "checkout", "HEAD", "--", name)  # never lose a user's work silently
        notes = {name: _orphaned_note(copy, old, name) for name in kept}
    return _classify(copy, renames, kept, notes, conflicted)


def _changed_by_user(copy: Path, old: Path, name: str) -> bool:
    """Whether the committed file differs from what the project's version renders."""
    rendered = old / name
    return not rendered.is_file() or committed_bytes(copy, name) != rendered.read_bytes()


def _carry_edit(copy: Path, old: Path, before: str, after: str) -> bool:
    """Merge the user's version of before into after; True when it conflicts."""
    with tempfile.TemporaryDirectory(prefix="scaffold-moved-") as tmp:
        yours = Path(tmp) / "yours"
        yours.write_bytes(committed_bytes(copy, before))
        merged, conflict = merge_moved(yours, old / before, copy / after, before, after)
    (copy / after).write_text(merged, encoding="utf-8")
    return conflict


def _orphaned_note(copy: Path, old: Path, kept: str) -> str:
    """Files that mentioned the kept file's name in the old version and no longer do."""
    name = Path(kept).name
    stopped = []
    for file in sorted(old.rglob("*")):
        other = file.relative_to(old).as_posix()
        if other == kept or not file.is_file() or name not in _read(file):
            continue
        now = copy / other
        if not now.is_file() or name not in _read(now):
            stopped.append(other)
    if not stopped:
        return ""
    verb = "no longer refers" if len(stopped) == 1 else "no longer refer"
    return f"{', '.join(stopped)} {verb} to it"


def _read(file: Path) -> str:
    return file.read_bytes().decode("utf-8", errors="replace")


def _classify(
    copy: Path,
    renames: dict[str, str],
    kept: list[str],
    notes: dict[str, str],
    conflicted: set[str],
) -> list[FileOutcome]:
    moved_to = {new: old for old, new in renames.items()}
    files = []
    for code, name in status(copy):
        if name in renames:
            continue  # shown with its new path
        conflict = (
            name in conflicted or "U" in code or ("D" not in code and has_markers(copy / name))
        )
        if name in moved_to:
            files.append(FileOutcome(name, "renamed", old_path=moved_to[name], conflict=conflict))
        elif code == "??":
            files.append(FileOutcome(name, "added", conflict=conflict))
        elif "D" in code:
            files.append(FileOutcome(name, "removed"))
        else:
            files.append(FileOutcome(name, "changed", conflict=conflict))
    files += [FileOutcome(name, "kept", note=notes[name]) for name in kept]
    return files
