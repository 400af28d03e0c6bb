"""scaffold update and check on a release history made here: two template versions, bundled.

Version 0.2.0 of the small template changes lines, adds a file, deletes a file and renames a
question (with a migration that carries the answer across).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.errors import ScaffoldError
from scaffold.releases import build_bundle, find_releases
from scaffold.source import SOURCE_ENV, bundle_source
from scaffold.update import update_project
from tests.conftest import FRAMEWORKS, make_template_repo

APP_V1 = "".join(f"line {n}\n" for n in range(1, 13))
APP_V2 = APP_V1.replace("line 10\n", "line 10 improved\n")
CONFIG_V1 = "port: 8000\nworkers: 2\ntimeout: 30\n"
CONFIG_V2 = "port: 8000\nworkers: 4\ntimeout: 30\n"
MIGRATION = """
_migrations:
  - version: v0.2.0
    when: "{{ _stage == 'before' }}"
    command:
      - "{{ _copier_python }}"
      - "-c"
      - >-
        import pathlib; p = pathlib.Path('.copier-answers.yml');
        p.write_text(p.read_text().replace('greeting:', 'salutation:'))
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def set_version(repo: Path, version: str) -> None:
    (repo / "pyproject.toml").write_text(f'[project]\nname = "tpl"\nversion = "{version}"\n')


def write(root: Path, files: dict[str, str | None]) -> None:
    for name, content in files.items():
        path = root / name
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)


@dataclass
class History:
    repo: Path
    bundle: Path  # the stable path a project records; rebuilt as releases are made

    def release(self, version: str) -> None:
        set_version(self.repo, version)
        git(self.repo, "add", "--all")
        git(self.repo, "commit", "--quiet", "-m", f"release {version}")
        build_bundle(self.repo, self.bundle)


def make_history(root: Path, extra: dict[str, str] | None = None) -> History:
    """A template repository with release 0.1.0 (plus extra files) and its bundle under root."""
    v1 = {
        "app.py": APP_V1,
        "config.yml": CONFIG_V1,
        "old.txt": "a file 0.2.0 drops\n",
        "greeting.txt.jinja": "{{ greeting }}\n",
        **(extra or {}),
    }
    repo = make_template_repo(root / "template", {fw: v1 for fw in FRAMEWORKS})
    write(
        repo, {"templates/_shared/questions/test.yml": "greeting:\n  type: str\n  default: hello\n"}
    )
    # copier.yml names each question file in a document of its own; add this one the same way.
    copier_yml = repo / "copier.yml"
    copier_yml.write_text(
        copier_yml.read_text() + "---\n!include templates/_shared/questions/test.yml\n"
    )
    result = History(repo, root / "share" / "templates.bundle")
    result.release("0.1.0")
    return result


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    made = make_history(tmp_path)
    monkeypatch.setenv(SOURCE_ENV, str(made.bundle))
    return made


def release_v2(history: History) -> None:
    tpl = history.repo / "templates" / "fastapi"
    write(
        tpl,
        {
            "app.py": APP_V2,
            "config.yml": CONFIG_V2,
            "old.txt": None,
            "added.txt": "new in 0.2.0\n",
            "greeting.txt.jinja": None,
            "salutation.txt.jinja": "{{ salutation }}\n",
        },
    )
    questions = history.repo / "templates/_shared/questions/test.yml"
    questions.write_text(questions.read_text().replace("greeting:", "salutation:"))
    copier_yml = history.repo / "copier.yml"
    first, rest = copier_yml.read_text().split("---\n", 1)
    copier_yml.write_text(first + MIGRATION + "---\n" + rest)
    history.release("0.2.0")


def generate(tmp_path: Path, **answers: str) -> Path:
    dest = tmp_path / "proj"
    args = ["new", "fastapi", str(dest), "--defaults"]
    for key, value in answers.items():
        args += ["-d", f"{key}={value}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return dest


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_releases_are_found_from_the_version_history(history: History) -> None:
    release_v2(history)
    assert [r.version for r in find_releases(history.repo)] == ["0.1.0", "0.2.0"]
    heads = git(history.repo, "bundle", "list-heads", str(history.bundle))
    assert "refs/tags/v0.1.0" in heads and "refs/tags/v0.2.0" in heads


def test_update_keeps_user_edits_and_reports_conflicts(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path, greeting="hi")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.1.0"
    assert answers["_src_path"] == str(history.bundle)

    edit(project, "app.py", "line 2\n", "line 2 mine\n")  # far from the template's change
    edit(project, "config.yml", "workers: 2", "workers: 8")  # the same line the template changes
    edit(project, "old.txt", "drops", "drops, and my notes")  # changed; 0.2.0 deletes it
    (project / "notes.md").write_text("my own file\n")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "my edits")
    release_v2(history)

    check = CliRunner().invoke(app, ["check", str(project)])
    assert check.exit_code == 1
    assert "v0.1.0" in check.output and "v0.2.0" in check.output

    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 1, (result.stdout, result.stderr, result.exception)
    assert result.stderr.strip().splitlines() == [
        "scaffold: error: update left conflicts in 1 file(s): config.yml; "
        "resolve the <<<<<<< blocks, then commit"
    ]
    assert re.search(r"^  kept +old\.txt; you changed it", result.stdout, re.MULTILINE)

    app_py = (project / "app.py").read_text()
    assert "line 2 mine\n" in app_py and "line 10 improved\n" in app_py
    config = (project / "config.yml").read_text()
    assert "<<<<<<< before updating" in config
    assert "workers: 8" in config and "workers: 4" in config
    assert "and my notes" in (project / "old.txt").read_text()
    assert (project / "notes.md").read_text() == "my own file\n"
    assert (project / "added.txt").read_text() == "new in 0.2.0\n"
    assert (project / "salutation.txt").read_text() == "hi\n"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert answers["salutation"] == "hi"
    assert "greeting" not in answers


def test_clean_update_then_check_is_current(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    release_v2(history)
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 0, result.output
    assert "from template version v0.1.0 to v0.2.0" in result.output
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "update")
    check = CliRunner().invoke(app, ["check", str(project)])
    assert check.exit_code == 0
    assert "up to date" in check.output
    again = CliRunner().invoke(app, ["update", str(project)])
    assert again.exit_code == 0
    assert "nothing changed" in again.output


def test_diff_previews_and_touches_nothing(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    head = git(project, "rev-parse", "HEAD")
    release_v2(history)
    result = CliRunner().invoke(app, ["update", str(project), "--diff"])
    assert result.exit_code == 0, result.output
    assert "+line 10 improved" in result.output
    assert "added.txt" in result.output
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "HEAD") == head
    assert (project / "app.py").read_text() == APP_V1


def test_data_changes_an_answer_on_the_way(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    release_v2(history)
    result = CliRunner().invoke(app, ["update", str(project), "-d", "database=postgresql"])
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgresql"


def unchanged(project: Path, head: str) -> None:
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") in ("", "?? stray.txt\n")


def test_refuses_a_dirty_tree(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    head = git(project, "rev-parse", "HEAD")
    release_v2(history)
    (project / "stray.txt").write_text("not committed\n")
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 2  # refused
    assert "uncommitted changes (stray.txt)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    unchanged(project, head)
    assert (project / "app.py").read_text() == APP_V1


def test_refuses_what_is_not_a_generated_project(history: History, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for command in ("update", "check"):
        result = CliRunner().invoke(app, [command, str(plain)])
        assert result.exit_code == 2
        assert "is not a generated project" in result.stderr
    assert list(plain.iterdir()) == []


def test_refuses_a_downgrade(history: History, tmp_path: Path) -> None:
    release_v2(history)
    project = generate(tmp_path)
    head = git(project, "rev-parse", "HEAD")
    older = bundle_source(history.bundle, url=str(history.bundle), ref="v0.1.0")
    with pytest.raises(ScaffoldError, match=re.escape("newer than this scaffold's v0.1.0")):
        update_project(project, source=older)
    unchanged(project, head)


def test_refuses_a_bundle_without_the_project_version(history: History, tmp_path: Path) -> None:
    release_v2(history)
    project = generate(tmp_path)
    head = git(project, "rev-parse", "HEAD")
    other = make_template_repo(tmp_path / "other")
    set_version(other, "0.1.0")
    git(other, "add", "--all")
    git(other, "commit", "--quiet", "-m", "release")
    build_bundle(other, history.bundle)  # a bundle of another history at the recorded path
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 2  # refused
    assert "do not contain version v0.2.0" in result.stderr
    unchanged(project, head)


def test_plain_copier_update_works_too(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    release_v2(history)
    subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--trust", "--quiet"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert (project / "added.txt").is_file()
