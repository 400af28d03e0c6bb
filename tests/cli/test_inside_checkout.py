"""The README's first command run inside a clone of scaffold: the clone keeps working after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from scaffold.source import SOURCE_ENV
from tests.support import REPO


def sh(cwd: Path, *command: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


def test_projects_generated_inside_a_checkout(tmp_path: Path) -> None:
    clone = tmp_path / "scaffold"
    sh(tmp_path, "git", "clone", "--quiet", str(REPO), str(clone))
    env = {**os.environ, SOURCE_ENV: str(clone), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    scaffold = [sys.executable, "-m", "scaffold", "new"]
    head = sh(clone, "git", "rev-parse", "HEAD")

    sh(clone, *scaffold, "fastapi", "my-api", "--defaults", env=env)
    sh(clone, *scaffold, "flask", "second", "--defaults", env=env)  # failed on the nested repo
    switch = [sys.executable, "-m", "scaffold", "update", "second", "--data", "docker=false"]
    sh(clone, *switch, env=env)  # copier update renders the checkout as well
    assert not (clone / "second" / "Dockerfile").exists()
    sh(clone / "second", "git", "add", "--all")
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    sh(clone / "second", "git", *identity, "commit", "--quiet", "-m", "No Docker")
    # A template author's uncommitted edit is still rendered, nested repositories or not.
    readme = clone / "templates" / "flask" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nAn author's uncommitted line.\n")
    sh(clone, *scaffold, "flask", "third", "--defaults", env=env)

    assert "An author's uncommitted line." in (clone / "third" / "README.md").read_text()
    for name in ("my-api", "second", "third"):
        answers = yaml.safe_load((clone / name / ".copier-answers.yml").read_text())
        assert answers["_src_path"] == str(clone)
        assert sh(clone / name, "git", "status", "--porcelain") == ""
    # The checkout itself: same commit, only the user's edit and the three projects new in it.
    assert sh(clone, "git", "rev-parse", "HEAD") == head
    status = sh(clone, "git", "status", "--porcelain").splitlines()
    assert sorted(status) == [
        " M templates/flask/README.md.jinja",
        "?? my-api/",
        "?? second/",
        "?? third/",
    ]
    assert list((tmp_path / "tmp").iterdir()) == []
