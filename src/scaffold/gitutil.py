"""The few git operations scaffold needs, run with the git on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from scaffold.errors import MissingToolError, ScaffoldError
from scaffold.signals import run_child


def require_git() -> str:
    git = shutil.which("git")
    if git is None:
        raise MissingToolError("git is not installed or not on PATH; install git and try again")
    return git


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a git command in repo and return its stdout; a failure becomes a ScaffoldError."""
    result = run_child([require_git(), *args], cwd=repo, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise ScaffoldError(f"git {args[0]} failed: {message[-1] if message else 'no output'}")
    return result.stdout


def is_repository(path: Path) -> bool:
    try:
        return git(path, "rev-parse", "--show-toplevel").strip() == str(path.resolve())
    except ScaffoldError:
        return False


def status(repo: Path) -> list[tuple[str, str]]:
    """`git status --porcelain --untracked-files=all` as (XY code, path) pairs, ignored files
    left out. Renames are not paired: an update's are found by content (scaffold.renames)."""
    out = git(repo, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all")
    return [(entry[:2], entry[3:]) for entry in out.split("\0") if entry]


def dirty_files(repo: Path) -> list[str]:
    """Files with uncommitted changes, untracked ones included (ignored ones are not)."""
    return [name for _, name in status(repo)]


def committed_bytes(repo: Path, name: str) -> bytes:
    """A file's content at HEAD, as bytes."""
    result = subprocess.run(
        [require_git(), "show", f"HEAD:{name}"], cwd=repo, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise ScaffoldError(f"git show failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def grep_files(repo: Path, *patterns: str) -> list[str]:
    """Tracked text files with a line matching one of the extended regular expressions."""
    args = [require_git(), "grep", "-I", "-l", "-z", "-E"]
    for pattern in patterns:
        args += ["-e", pattern]
    result = run_child(args, cwd=repo)
    if result.returncode == 1:  # nothing found
        return []
    if result.returncode != 0:
        raise ScaffoldError(f"git grep failed: {result.stderr.strip() or 'no output'}")
    return sorted(name for name in result.stdout.split("\0") if name)


def merge_file(
    ours: Path, base: Path, theirs: Path, labels: tuple[str, str, str]
) -> tuple[str, bool]:
    """Three-way merge of three files (git merge-file): the result and whether it conflicts."""
    args = [require_git(), "merge-file", "-p"]
    for label in labels:
        args += ["-L", label]
    result = run_child([*args, str(ours), str(base), str(theirs)], cwd=ours.parent)
    if result.returncode < 0 or result.returncode > 127:
        raise ScaffoldError(f"git merge-file failed: {result.stderr.strip() or 'no output'}")
    return result.stdout, result.returncode > 0


def unmerged_files(repo: Path) -> list[str]:
    return git(repo, "diff", "--name-only", "--diff-filter=U").split()


def initial_commit(repo: Path, *, author_name: str, author_email: str, message: str) -> None:
    """git init and commit everything, as the configured user or, failing that, the author."""
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    identity: dict[str, str] = {}
    if not _configured(repo, "user.name") or not _configured(repo, "user.email"):
        identity = {
            "GIT_AUTHOR_NAME": author_name,
            "GIT_AUTHOR_EMAIL": author_email,
            "GIT_COMMITTER_NAME": author_name,
            "GIT_COMMITTER_EMAIL": author_email,
        }
    git(repo, "commit", "--quiet", "--no-verify", "-m", message, env=identity)


def _configured(repo: Path, key: str) -> bool:
    try:
        return bool(git(repo, "config", "--get", key).strip())
    except ScaffoldError:
        return False
