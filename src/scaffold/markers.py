"""Conflict markers an update leaves in files, and those committed by mistake later.

copier writes `<<<<<<< before updating` / `=======` / `>>>>>>> after updating` (git merge-file
with those labels); scaffold's merge of a renamed file writes the same labels followed by the
paths. Only the labelled lines are looked for, at the start of a line: a bare `=======` is an
ordinary underline in reStructuredText and Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from scaffold.gitutil import grep_files

CONFLICT_MARKER = "<<<<<<< before updating"
_PATTERNS = ("^<<<<<<< before updating", "^>>>>>>> after updating")
_MARKER = re.compile(r"^(<<<<<<< before updating|>>>>>>> after updating)", re.MULTILINE)


def has_markers(file: Path) -> bool:
    try:
        data = file.read_bytes()
    except OSError:
        return False
    if b"\0" in data:  # binary: git merges none of it inline
        return False
    return _MARKER.search(data.decode("utf-8", errors="replace")) is not None


def committed_markers(repo: Path) -> list[str]:
    """Tracked text files of the work tree holding an update's conflict markers."""
    return grep_files(repo, *_PATTERNS)
