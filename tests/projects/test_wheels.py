"""Wheel to wheel, offline: a project made by one release is updated by the next.

Two wheels are built from a copy of this repository with two release histories; the older
generates a project, the newer updates it with the network cut (``unshare -rn``), from the
bundle it carries, and the project then passes its own checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import REPO, run_checks

pytestmark = pytest.mark.project
GIT = ("git", "-c", "user.name=Test", "-c", "user.email=test@example.com")


def sh(*command: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def release(repo: Path, version: str, out: Path) -> Path:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(
        re.sub(r'^version = ".*"$', f'version = "{version}"', pyproject.read_text(), flags=re.M)
    )
    sh("git", "add", "--all", cwd=repo)
    sh(*GIT, "commit", "--quiet", "--allow-empty", "-m", f"Release {version}", cwd=repo)
    sh("uv", "build", "--quiet", "--wheel", "--out-dir", str(out), cwd=repo)
    (wheel,) = out.glob(f"scaffold_web-{version}-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    sh("uv", "venv", "--quiet", str(venv), cwd=venv.parent)
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    sh("uv", "pip", "install", "--quiet", str(wheel), cwd=venv.parent, env=env)
    return venv / "bin" / "scaffold"


@pytest.fixture(scope="module")
def unshare() -> str:
    path = shutil.which("unshare")
    if path is None or subprocess.run([path, "-rn", "true"], check=False).returncode != 0:
        pytest.fail("unshare -rn is needed to cut the network", pytrace=False)
    return path


def test_newer_wheel_updates_offline(tmp_path: Path, unshare: str) -> None:
    repo = tmp_path / "repo"
    sh("git", "clone", "--quiet", str(REPO), str(repo), cwd=tmp_path)
    wheels = tmp_path / "wheels"
    old_wheel = release(repo, "0.1.0", wheels)
    readme = repo / "templates" / "fastapi" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nOperations notes live in docs/operations.md.\n")
    new_wheel = release(repo, "0.2.0", wheels)

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCAFFOLD_", "XDG_"))}
    env |= {"HOME": str(home), "PATH": os.environ["PATH"]}
    old = install(old_wheel, tmp_path / "venv-old")
    new = install(new_wheel, tmp_path / "venv-new")

    projects = tmp_path / "projects"
    projects.mkdir()
    sh(str(old), "new", "fastapi", "svc", "--defaults", cwd=projects, env=env)
    project = projects / "svc"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "~/.local/share/scaffold/templates.bundle"
    assert answers["_commit"] == "v0.1.0"

    check = subprocess.run(
        [str(new), "check", "svc"],
        cwd=projects,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 1, check.stdout + check.stderr
    sh(unshare, "-rn", str(new), "update", "svc", cwd=projects, env=env)  # no network
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert "docs/operations.md" in (project / "README.md").read_text()
    sh(*GIT, "commit", "--quiet", "-am", "Update the template", cwd=project, env=env)
    run_checks(project)

    # Offline, a new project is locked from uv's cache (filled by the first project's lock).
    sh(unshare, "-rn", str(new), "new", "fastapi", "offline", "--defaults", cwd=projects, env=env)
    assert "uv.lock" in sh("git", "ls-files", cwd=projects / "offline").split()
