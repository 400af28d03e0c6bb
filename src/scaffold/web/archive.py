"""A generated project as a zip: its files, its .git, and each file's mode (.env stays 0600)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def zipped(project: Path) -> bytes:
    """The project directory as zip bytes, every entry under the project's folder name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(project.rglob("*")):
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                continue
            name = path.relative_to(project.parent).as_posix()
            if path.is_dir():
                archive.write(path, name + "/")
            else:
                archive.write(path, name)  # ZipInfo.from_file keeps the mode bits
    return buffer.getvalue()
