"""Lock a new project's dependencies with uv, so that uv.lock is in the first commit.

The generated CI and Dockerfile install with `uv sync --locked`; without the lock the first push
would fail. Locking needs the package index, or uv's cache when offline. When neither works the
project is still written, and the caller tells the user how to lock it later.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scaffold.progress import Progress
from scaffold.signals import run_child

LOCK_FILE = "uv.lock"
# Long enough for a cold resolution over a slow network; a hung index must not hang `new`.
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class LockResult:
    locked: bool
    reason: str = ""  # why not, in a few words, when not locked


def lock_dependencies(project: Path, progress: Progress | None = None) -> LockResult:
    """Write project/uv.lock: from the index, else from uv's cache alone (offline)."""
    if not (project / "pyproject.toml").is_file():
        return LockResult(locked=False, reason="the project has no pyproject.toml")
    uv = shutil.which("uv")
    if uv is None:
        return LockResult(locked=False, reason="uv is not installed")
    if progress is not None:
        progress.step("Locking the dependencies (uv lock)...", slow=True)
    reason = ""
    for extra in ([], ["--offline"]):
        # --directory, not cwd: a pyenv shim for uv would read the project's .python-version.
        try:
            result = run_child(
                [uv, "lock", "--quiet", "--directory", str(project), *extra],
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            reason = f"uv lock took longer than {TIMEOUT_SECONDS} s"
            continue
        if result.returncode == 0 and (project / LOCK_FILE).is_file():
            return LockResult(locked=True)
        lines = (result.stderr or result.stdout).strip().splitlines()
        reason = lines[-1].strip() if lines else f"uv lock exited with {result.returncode}"
    return LockResult(locked=False, reason=reason)
