"""Files a newer template version moved, found by content, and the user's edit carried along.

copier knows nothing of renames: a file the template moved is, to it, one file deleted and
another added, so a user's edit stays behind in the deleted file. Here a removed path and an
added path are taken for one file moved when their contents (old render against new render,
same answers) are at least half alike, as git's rename detection counts; the user's version of
the old file is then merged into the new one (base: the old render).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from scaffold.gitutil import merge_file

SIMILAR = 0.5  # git diff -M's default threshold


def _text(path: Path) -> list[str] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data:
        return None
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


def find_renames(
    removed: list[str], added: list[str], old_root: Path, new_root: Path
) -> dict[str, str]:
    """old path -> new path for each removed file whose content reappears at an added path.

    removed paths are read under old_root (the old version's render), added ones under
    new_root; the most alike pairs are taken first, each path at most once.
    """
    olds = {name: _text(old_root / name) for name in removed}
    news = {name: _text(new_root / name) for name in added}
    scored = []
    for old, old_lines in olds.items():
        for new, new_lines in news.items():
            if old_lines is None or new_lines is None or not (old_lines or new_lines):
                continue
            matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                # Ties go to the pair whose file names agree (a moved file keeps its name).
                scored.append((ratio, Path(old).name == Path(new).name, old, new))
    pairs: dict[str, str] = {}
    for _, _, old, new in sorted(scored, reverse=True):
        if old not in pairs and new not in pairs.values():
            pairs[old] = new
    return dict(sorted(pairs.items()))


def merge_moved(yours: Path, base: Path, theirs: Path, old: str, new: str) -> tuple[str, bool]:
    """The user's edit of old (yours) applied to the template's file at new (theirs).

    Conflicts are left inline with the labels copier uses, followed by both paths, so the
    leftover-marker check finds them too.
    """
    labels = (
        f"before updating: {old} (yours)",
        f"{old} as the template had it",
        f"after updating: {new}",
    )
    return merge_file(yours, base, theirs, labels)
