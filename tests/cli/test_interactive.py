"""scaffold new asked in a real terminal (pexpect): copier's prompts, live validation, defaults."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from scaffold.catalog import load_catalog
from scaffold.source import SOURCE_ENV

DOWN, ENTER, BACKSPACE = "\x1b[B", "\r", "\x7f"


def spawn(args: list[str], template: Path, cwd: Path | None = None) -> pexpect.spawn:
    env = {
        **os.environ,
        SOURCE_ENV: str(template),
        "TERM": "xterm",
        "NO_COLOR": "1",
        # pexpect does not answer cursor-position requests; prompt_toolkit would wait for each.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 160),
        cwd=cwd,
    )


def test_questions_answered_at_the_prompts(mini_template: Path, tmp_path: Path) -> None:
    dest = tmp_path / "team-notes"
    child = spawn(["new", str(dest)], mini_template)

    child.expect("Which web framework")  # asked, since the command line left it out
    child.expect("FastAPI")  # the default is highlighted first; flask is one row down
    child.send(DOWN + ENTER)
    child.expect("Project name")
    child.send(ENTER)  # default: the destination's name
    child.expect("Distribution name")
    child.send(BACKSPACE * 30 + "Team Notes")
    child.expect("Use lowercase letters, digits and single hyphens")  # shown live, Enter refused
    child.send(ENTER)  # refused: the answers file below records the corrected slug
    child.send(BACKSPACE * 30 + "team-notes" + ENTER)
    child.expect("Python package name")
    child.send(BACKSPACE * 30 + "json")
    child.expect("module of Python's standard library")
    child.send(BACKSPACE * 30 + "notes_app" + ENTER)

    catalog = load_catalog(mini_template)
    asked = [q for q in catalog.options("flask")]
    after_package = asked[[q.name for q in asked].index("package_name") + 1 :]
    for question in after_package:
        child.expect(re.escape(question.help))
        if question.name == "database":
            child.send(DOWN)  # SQLite -> PostgreSQL
        child.send(ENTER)

    child.expect(r"Created team-notes \(flask\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["framework"] == "flask"
    assert answers["project_name"] == "team-notes"
    assert answers["project_slug"] == "team-notes"
    assert answers["package_name"] == "notes_app"
    assert answers["database"] == "postgresql"
    assert (dest / "src" / "notes_app").is_dir()


def test_ctrl_c_at_a_prompt_writes_nothing(mini_template: Path, tmp_path: Path) -> None:
    child = spawn(["new", "fastapi", str(tmp_path / "p")], mini_template)
    child.expect("Project name")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


# The framework prompt lists the catalog's choices with FastAPI, the default, lit first.
MOVES = {"django": "\x1b[A", "fastapi": "", "flask": DOWN, "pyramid": DOWN * 2}


def answer_every_question(child: pexpect.spawn, template: Path, framework: str) -> list[str]:
    """Take each default, expecting the questions in the catalog's order; return their names."""
    asked = load_catalog(template).options(framework)
    for question in asked:
        child.expect(re.escape(question.help))
        child.send(ENTER)
    return [question.name for question in asked]


@pytest.mark.parametrize("framework", sorted(MOVES))
def test_framework_picked_at_the_prompt_asks_its_own_questions(
    mini_template: Path, tmp_path: Path, framework: str
) -> None:
    dest = tmp_path / "picked"
    child = spawn(["new", str(dest)], mini_template)
    child.expect("Which web framework")
    child.expect("Pyramid")  # the whole list is drawn: the keys below move within it
    child.send(MOVES[framework] + ENTER)
    asked = answer_every_question(child, mini_template, framework)
    child.expect(rf"Created picked \({framework}\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["framework"] == framework
    own = {"django": "api", "pyramid": "template_language"}.get(framework)
    if own:
        assert own in asked
        assert own in answers  # recorded, so that updates render the same project


def test_framework_on_the_command_line_asks_the_project_name_first(
    mini_template: Path, tmp_path: Path
) -> None:
    child = spawn(["new", "django", str(tmp_path / "named")], mini_template)
    api_help = load_catalog(mini_template).question("api").help
    index = child.expect(["Project name", re.escape(api_help)])
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert index == 0


def test_no_arguments_asks_for_the_folder_then_the_framework(
    mini_template: Path, tmp_path: Path
) -> None:
    child = spawn(["new"], mini_template, cwd=tmp_path)
    child.expect("Folder to create the project in")
    child.expect(re.escape("[my-project]"))
    child.send("team-api" + ENTER)
    child.expect("Which web framework")
    child.expect("Pyramid")
    child.send(ENTER)  # FastAPI, the default
    answer_every_question(child, mini_template, "fastapi")
    child.expect(r"Created team-api \(fastapi\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = yaml.safe_load((tmp_path / "team-api" / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["project_name"]) == ("fastapi", "team-api")
