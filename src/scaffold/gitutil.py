"""The few git operations scaffold needs, run with the git on PATH."""

from __future__ import annotations

import os
import shutil
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


def dirty_files(repo: Path) -> list[str]:
    """Files with uncommitted changes, untracked ones included (ignored ones are not)."""
    lines = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    return [line[3:] for line in lines if line.strip()]


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
