"""scaffold new asked in a real terminal (pexpect): the questions from the question files, live
validation, defaults, the summary before writing (create, change an answer, cancel), at 80x24
and 120x40."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from scaffold.catalog import load_catalog
from scaffold.presets import load_presets
from scaffold.source import SOURCE_ENV
from tests.conftest import make_template_repo

DOWN, UP, ENTER, BACKSPACE, CTRL_D = "\x1b[B", "\x1b[A", "\r", "\x7f", "\x04"
CTRL_E = "\x05"  # end of line
SIZES = [pytest.param((24, 80), id="80x24"), pytest.param((40, 120), id="120x40")]
CLEAR = BACKSPACE * 40
GAP = r"(?:\s|\x1b\[[0-9;?]*[A-Za-z])+"


def spawn(
    args: list[str],
    template: Path,
    cwd: Path | None = None,
    size: tuple[int, int] = (24, 80),
) -> pexpect.spawn:
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
        dimensions=size,
        cwd=cwd,
    )


def text(words: str) -> str:
    """A pattern for text the terminal may have wrapped: between two words, any run of spaces,
    line breaks and terminal escapes (the line's style ends and starts again around a break)."""
    return GAP.join(re.escape(word) for word in words.split())


def every_question(child: pexpect.spawn) -> None:
    """The first question, which preset to start from: none, every question asked."""
    child.expect("Start from a preset")
    child.expect("production")  # the whole list is drawn; "Answer every question" is lit
    child.send(ENTER)


def recorded(project: Path) -> dict[str, object]:
    answers: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def answer_every_question(child: pexpect.spawn, template: Path, framework: str) -> list[str]:
    """Take each default, expecting the questions in the catalog's order; return their names."""
    asked = load_catalog(template).options(framework)
    for question in asked:
        child.expect(text(question.help))
        child.send(ENTER)
    return [question.name for question in asked]


def expect_summary(child: pexpect.spawn, **answers: str) -> None:
    child.expect("Summary of your answers")
    for name, value in answers.items():
        child.expect(rf"{name}{GAP}{re.escape(value)}")
    child.expect("What next")
    child.expect("Cancel")  # the whole menu is drawn


@pytest.mark.parametrize("size", SIZES)
def test_questions_answered_at_the_prompts(
    mini_template: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    dest = tmp_path / "team-notes"
    child = spawn(["new", str(dest)], mini_template, size=size)
    every_question(child)

    child.expect("Which web framework")  # asked, since the command line left it out
    child.expect("Pyramid")  # FastAPI, the default, is lit; flask is one row down
    child.send(DOWN + ENTER)
    child.expect("Project name")
    child.send(ENTER)  # default: the destination's name
    child.expect(text(load_catalog(mini_template).question("project_slug").help))
    child.send(CLEAR + "Team Notes")
    # shown live, whole, wrapped to the terminal; Enter is refused
    child.expect(text("Use lowercase letters, digits and single hyphens"))
    child.send(ENTER)
    child.send(CLEAR + "team-notes" + ENTER)
    child.expect("Python package name")
    child.send(CLEAR + "json")
    child.expect(text("module of Python's standard library"))
    child.send(CLEAR + "notes_app" + ENTER)

    catalog = load_catalog(mini_template)
    asked = [q for q in catalog.options("flask")]
    after_package = asked[[q.name for q in asked].index("package_name") + 1 :]
    for question in after_package:
        child.expect(text(question.help))
        if question.name == "database":
            child.send(DOWN)  # SQLite -> PostgreSQL
        child.send(ENTER)

    expect_summary(child, framework="flask", project_slug="team-notes", database="postgresql")
    child.send(ENTER)  # Create the project
    child.expect(r"Created team-notes \(flask\)")
    assert finish(child) == 0

    answers = recorded(dest)
    assert answers["framework"] == "flask"
    assert answers["project_name"] == "team-notes"
    assert answers["project_slug"] == "team-notes"
    assert answers["package_name"] == "notes_app"
    assert answers["database"] == "postgresql"
    assert (dest / "src" / "notes_app").is_dir()


def test_ctrl_c_at_a_prompt_writes_nothing(mini_template: Path, tmp_path: Path) -> None:
    child = spawn(["new", "fastapi", str(tmp_path / "p")], mini_template)
    every_question(child)
    child.expect("Project name")
    child.sendintr()
    assert finish(child) == 130
    assert list(tmp_path.iterdir()) == []


# The framework prompt lists the catalog's choices with FastAPI, the default, lit first.
MOVES = {"django": UP, "fastapi": "", "flask": DOWN, "pyramid": DOWN * 2}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("framework", sorted(MOVES))
def test_framework_picked_at_the_prompt_asks_its_own_questions(
    mini_template: Path, tmp_path: Path, framework: str, size: tuple[int, int]
) -> None:
    dest = tmp_path / "picked"
    child = spawn(["new", str(dest)], mini_template, size=size)
    every_question(child)
    child.expect("Which web framework")
    child.expect("Pyramid")  # the whole list is drawn: the keys below move within it
    child.send(MOVES[framework] + ENTER)
    asked = answer_every_question(child, mini_template, framework)
    own = {"django": "api", "pyramid": "template_language"}.get(framework)
    expect_summary(
        child, framework=framework, **({own: "none" if own == "api" else "jinja2"} if own else {})
    )
    child.send(ENTER)
    child.expect(rf"Created picked \({framework}\)")
    assert finish(child) == 0

    answers = recorded(dest)
    assert answers["framework"] == framework
    if own:
        assert own in asked
        assert own in answers  # recorded, so that updates render the same project


def test_framework_on_the_command_line_asks_the_project_name_first(
    mini_template: Path, tmp_path: Path
) -> None:
    child = spawn(["new", "django", str(tmp_path / "named")], mini_template)
    every_question(child)
    api_help = load_catalog(mini_template).question("api").help
    index = child.expect(["Project name", text(api_help)])
    child.sendintr()
    finish(child)
    assert index == 0


def test_no_arguments_asks_for_the_folder_then_the_framework(
    mini_template: Path, tmp_path: Path
) -> None:
    child = spawn(["new"], mini_template, cwd=tmp_path)
    child.expect("Folder to create the project in")
    child.expect(re.escape("[my-project]"))
    child.send("team-api" + ENTER)
    every_question(child)
    child.expect("Which web framework")
    child.expect("Pyramid")
    child.send(ENTER)  # FastAPI, the default
    answer_every_question(child, mini_template, "fastapi")
    expect_summary(child, project_name="team-api")
    child.send(ENTER)
    child.expect(r"Created team-api \(fastapi\)")
    assert finish(child) == 0
    answers = recorded(tmp_path / "team-api")
    assert (answers["framework"], answers["project_name"]) == ("fastapi", "team-api")


# --- the summary: change an answer, cancel ---------------------------------------------

CHANGE, CANCEL = DOWN + ENTER, DOWN * 2 + ENTER  # from "Create the project", lit first


def pick_answer(child: pexpect.spawn, template: Path, framework: str, name: str) -> None:
    """At "Which answer?", move from the first answer (the framework) to name."""
    child.expect("Which answer")
    child.expect("license")  # the whole list is drawn
    names = ["framework", *(q.name for q in load_catalog(template).options(framework))]
    child.send(DOWN * names.index(name) + ENTER)


@pytest.mark.parametrize("size", SIZES)
def test_change_an_answer_reasks_the_answers_that_follow_from_it(
    mini_template: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    dest = tmp_path / "first-name"
    child = spawn(["new", "fastapi", str(dest)], mini_template, size=size)
    every_question(child)
    answer_every_question(child, mini_template, "fastapi")
    expect_summary(child, project_name="first-name", project_slug="first-name")
    child.send(CHANGE)
    pick_answer(child, mini_template, "fastapi", "project_name")
    child.expect("Project name")
    child.send(CLEAR + "Billing API" + ENTER)
    child.expect("Distribution name")  # derived from the project name: asked again
    child.expect("billing-api")  # with the default derived from the new name
    child.send(ENTER)
    child.expect("Python package name")
    child.send(ENTER)
    expect_summary(
        child, project_name="Billing API", project_slug="billing-api", package_name="billing_api"
    )
    child.send(ENTER)
    child.expect(r"Created Billing API \(fastapi\)")
    assert finish(child) == 0
    answers = recorded(dest)
    assert (answers["project_name"], answers["project_slug"], answers["package_name"]) == (
        "Billing API",
        "billing-api",
        "billing_api",
    )
    assert (dest / "src" / "billing_api").is_dir()


def test_changing_docker_drops_or_asks_kubernetes(mini_template: Path, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    child = spawn(["new", "flask", str(dest)], mini_template)
    every_question(child)
    answer_every_question(child, mini_template, "flask")
    expect_summary(child, docker="yes", kubernetes="no")
    child.send(CHANGE)
    pick_answer(child, mini_template, "flask", "docker")
    child.expect(text("Add a Dockerfile"))
    child.send("no" + ENTER)
    child.expect("Summary of your answers")
    child.expect("What next")
    assert "kubernetes" not in child.before  # needs the container: no longer asked
    child.send(CHANGE)
    pick_answer(child, mini_template, "flask", "docker")
    child.send("y" + ENTER)
    child.expect(text("Add Kubernetes manifests"))  # applies again: asked
    child.send("yes" + ENTER)
    expect_summary(child, docker="yes", kubernetes="yes")
    child.send(ENTER)
    assert finish(child) == 0
    assert (recorded(dest)["docker"], recorded(dest)["kubernetes"]) == (True, True)


def test_changing_ci_drops_or_asks_the_update_bot(mini_template: Path, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    bot_help = text(load_catalog(mini_template).question("update_bot").help)
    child = spawn(["new", "pyramid", str(dest)], mini_template)
    every_question(child)
    answer_every_question(child, mini_template, "pyramid")
    expect_summary(child, ci="github", update_bot="yes")
    child.send(CHANGE)
    pick_answer(child, mini_template, "pyramid", "ci")
    child.expect("Continuous integration")
    child.expect("None")  # the whole list is drawn, GitHub Actions lit
    child.send(DOWN * 2 + ENTER)
    child.expect("Summary of your answers")
    child.expect("What next")
    assert "update_bot" not in child.before  # nothing would run it: no longer asked
    child.send(CHANGE)
    pick_answer(child, mini_template, "pyramid", "ci")
    child.expect("None")
    child.send(UP + ENTER)  # from None, lit as the answer given, to GitLab CI
    child.expect(bot_help)  # applies again: asked, on by default
    child.send(ENTER)
    expect_summary(child, ci="gitlab", update_bot="yes")
    child.send(ENTER)
    assert finish(child) == 0
    assert (recorded(dest)["ci"], recorded(dest)["update_bot"]) == ("gitlab", True)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_at_the_summary_writes_nothing(
    mini_template: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    child = spawn(["new", "pyramid", str(tmp_path / "p")], mini_template, size=size)
    every_question(child)
    answer_every_question(child, mini_template, "pyramid")
    expect_summary(child, framework="pyramid")
    child.send(CANCEL)
    child.expect("scaffold: cancelled; nothing was written")
    assert finish(child) == 130
    assert list(tmp_path.iterdir()) == []


def test_yes_shows_the_summary_and_creates(mini_template: Path, tmp_path: Path) -> None:
    child = spawn(["new", "flask", str(tmp_path / "p"), "--yes"], mini_template)
    every_question(child)
    answer_every_question(child, mini_template, "flask")
    child.expect("Summary of your answers")
    child.expect(r"Created p \(flask\)")
    assert finish(child) == 0


# --- prompts behave -----------------------------------------------------------------------


def skip_to(child: pexpect.spawn, template: Path, framework: str, name: str) -> None:
    """Take the defaults up to the question called name (it is then on the screen)."""
    for question in load_catalog(template).options(framework):
        child.expect(text(question.help))
        if question.name == name:
            return
        child.send(ENTER)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("word", ["maybe", "yess", "nope", "o"])
def test_a_bad_yes_no_answer_is_refused_without_moving_on(
    mini_template: Path, tmp_path: Path, word: str, size: tuple[int, int]
) -> None:
    dest = tmp_path / "p"
    child = spawn(["new", "fastapi", str(dest)], mini_template, size=size)
    every_question(child)
    skip_to(child, mini_template, "fastapi", "docker")
    child.send(word + ENTER)
    child.expect(text("Answer y, yes, n or no (Enter takes the default)."))
    ci_help = load_catalog(mini_template).question("ci").help
    assert child.expect([text(ci_help), pexpect.TIMEOUT], timeout=2) == 1  # still at docker
    child.send(BACKSPACE * 10 + "no" + ENTER)
    child.expect(text(ci_help))
    child.send(ENTER)
    child.expect(text(load_catalog(mini_template).question("update_bot").help))
    child.send(ENTER)  # kubernetes is not asked without docker
    child.expect("License")
    child.send(ENTER)
    expect_summary(child, docker="no")
    child.send(ENTER)
    assert finish(child) == 0
    assert recorded(dest)["docker"] is False
    assert "kubernetes" not in recorded(dest)


def test_a_yes_no_word_answers_only_its_own_question(mini_template: Path, tmp_path: Path) -> None:
    dest = tmp_path / "p"
    child = spawn(["new", "fastapi", str(dest)], mini_template)
    every_question(child)
    skip_to(child, mini_template, "fastapi", "docker")
    child.send("yes" + ENTER)  # the whole word, not its first letter and then an Enter
    child.expect("Continuous integration")
    child.send(DOWN + ENTER)  # GitLab: the Enter above did not answer this one
    child.expect(text(load_catalog(mini_template).question("update_bot").help))
    child.send("n" + ENTER)
    child.expect(text(load_catalog(mini_template).question("kubernetes").help))
    child.send("Yes" + ENTER)
    child.expect("License")
    child.send(ENTER)
    expect_summary(child, docker="yes", ci="gitlab", update_bot="no", kubernetes="yes")
    child.send(ENTER)
    assert finish(child) == 0
    answers = recorded(dest)
    assert (answers["ci"], answers["update_bot"], answers["kubernetes"]) == ("gitlab", False, True)


@pytest.mark.parametrize("where", ["preset", "framework", "docker", "summary"])
def test_ctrl_d_cancels_like_ctrl_c(mini_template: Path, tmp_path: Path, where: str) -> None:
    child = spawn(["new", str(tmp_path / "p")], mini_template)
    if where == "preset":
        child.expect("Start from a preset")
        child.expect("production")
        child.send(CTRL_D)
        child.expect("scaffold: cancelled; nothing was written")
        assert finish(child) == 130
        assert list(tmp_path.iterdir()) == []
        return
    every_question(child)
    child.expect("Which web framework")
    child.expect("Pyramid")
    if where != "framework":
        child.send(ENTER)
        if where == "docker":
            skip_to(child, mini_template, "fastapi", "docker")
        else:
            answer_every_question(child, mini_template, "fastapi")
            expect_summary(child)
    child.send(CTRL_D)
    child.expect("scaffold: cancelled; nothing was written")
    assert "no terminal" not in child.before
    assert finish(child) == 130
    assert list(tmp_path.iterdir()) == []


def test_texts_wrap_to_a_narrow_terminal(mini_template: Path, tmp_path: Path) -> None:
    child = spawn(["new", "fastapi", str(tmp_path / "p")], mini_template, size=(24, 40))
    every_question(child)
    slug_help = load_catalog(mini_template).question("project_slug").help
    child.expect("Project name")
    child.send(ENTER)
    child.expect(text(slug_help))  # every word shown, over several lines
    child.sendintr()
    assert finish(child) == 130


# --- presets, offered first ------------------------------------------------------------------


def test_a_preset_picked_first_fills_its_answers_and_asks_the_rest(
    mini_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "small"
    minimal = load_presets(mini_template)["minimal"]
    child = spawn(["new", "flask", str(dest)], mini_template, size=(24, 80))
    child.expect("Start from a preset")
    for name, preset in load_presets(mini_template).items():  # each with its help, whole at 80
        child.expect(text(f"{name}: {preset.help}"))
    child.send(DOWN + ENTER)  # minimal

    catalog = load_catalog(mini_template)
    options = catalog.options("flask")
    filled = [q for q in options if q.name in minimal.answers]
    rest = [q for q in options if q.name not in minimal.answers]
    seen = ""
    for question in rest:  # the questions it leaves open, in their order
        child.expect(text(question.help))
        seen += child.before
        child.send(ENTER)
    child.expect("Summary of your answers")
    seen += child.before
    for name, value in {"database": "sqlite", "docker": "no", "ci": "none"}.items():
        child.expect(rf"{name}{GAP}{re.escape(value)}")  # shown, though not asked
    child.expect("Cancel")
    for question in filled:
        assert not re.search(text(question.help), seen), f"{question.name} was asked"

    # A filled answer can be changed at the summary, and what depends on it is asked.
    child.send(CHANGE)
    pick_answer(child, mini_template, "flask", "docker")
    child.expect(re.escape("docker [y/N]"))  # starts from the preset's answer
    child.send("y" + ENTER)
    child.expect(text(catalog.question("kubernetes").help))
    child.send(ENTER)
    expect_summary(child, docker="yes", kubernetes="no")
    child.send(ENTER)
    child.expect(r"Created small \(flask\)")
    assert finish(child) == 0

    answers = recorded(dest)
    # update_bot=false goes unrecorded: without CI the question does not apply.
    expected = {**minimal.answers, "docker": True, "kubernetes": False}
    del expected["update_bot"]
    assert {key: answers[key] for key in expected} == expected
    assert "update_bot" not in answers
    assert answers["project_name"] == "small"


# What the presets set, given otherwise: nothing is left for a preset to fill in.
SETTLED = ["database=sqlite", "background_tasks=none", "auth=none", "docker=false", "ci=none"]


@pytest.mark.parametrize(
    "given",
    [["--preset", "production"], [arg for pair in SETTLED for arg in ("--data", pair)]],
    ids=["preset", "data"],
)
def test_the_preset_question_is_left_out_when_a_preset_or_data_covers_it(
    mini_template: Path, tmp_path: Path, given: list[str]
) -> None:
    child = spawn(["new", "fastapi", str(tmp_path / "p"), *given], mini_template)
    child.expect("Project name")
    assert "Start from a preset" not in child.before
    child.sendintr()
    assert finish(child) == 130


# --- a prompt answer that clashes with a --data one -----------------------------------------


def test_an_answer_clashing_with_a_data_answer_is_asked_again_with_the_reason(
    mini_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "p"
    args = ["new", "flask", str(dest), "--data", "kubernetes=true"]
    child = spawn(args, mini_template, size=(24, 80))
    every_question(child)
    skip_to(child, mini_template, "flask", "docker")
    child.send("n" + ENTER)
    child.expect(text("kubernetes=true needs docker=true, not docker=false"))
    child.expect(text("(kubernetes=true given on the command line)"))
    child.send(BACKSPACE + "yes" + ENTER)  # Enter took nothing above: this answers docker
    child.expect(text(load_catalog(mini_template).question("ci").help))
    child.send(ENTER)
    child.expect(text(load_catalog(mini_template).question("update_bot").help))
    child.send(ENTER)
    child.expect("License")  # kubernetes is the --data answer, not asked
    child.send(ENTER)
    expect_summary(child, docker="yes", kubernetes="yes")
    child.send(ENTER)
    assert finish(child) == 0
    assert (recorded(dest)["docker"], recorded(dest)["kubernetes"]) == (True, True)


# --- ? shows a question's details --------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_a_question_mark_shows_the_details_and_answers_nothing(
    mini_template: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    dest = tmp_path / "p"
    catalog = load_catalog(mini_template)
    child = spawn(["new", "fastapi", str(dest)], mini_template, size=size)
    every_question(child)
    child.expect(text(catalog.question("project_name").help))
    child.expect("project_name: ")
    assert "shows more" not in child.before  # no details, no hint
    child.send(ENTER)
    options = [q.name for q in catalog.options("fastapi")]
    for name in options[1 : options.index("database")]:
        child.expect(text(catalog.question(name).help))
        child.send(ENTER)
    child.expect(text(catalog.question("database").help))  # a choice
    child.expect(re.escape("(? shows more)"))
    child.send("?")
    child.expect(text(catalog.question("database").details))
    child.send(DOWN + ENTER)  # the list is still there: PostgreSQL
    for name in options[options.index("database") + 1 : options.index("docker")]:
        child.expect(text(catalog.question(name).help))
        child.send(ENTER)
    child.expect(text(catalog.question("docker").help))  # yes/no
    child.expect(re.escape("(? shows more)"))
    child.send("?")
    child.expect(text(catalog.question("docker").details))
    child.send("no" + ENTER)  # "?" was not typed into the answer
    child.expect(text(catalog.question("ci").help))
    child.send(ENTER)
    child.expect(text(catalog.question("update_bot").help))
    child.send(ENTER)
    child.expect("License")
    child.send(ENTER)
    expect_summary(child, database="postgresql", docker="no")
    child.send(ENTER)
    assert finish(child) == 0
    assert (recorded(dest)["database"], recorded(dest)["docker"]) == ("postgresql", False)


def test_the_questions_that_deserve_details_have_them(mini_template: Path) -> None:
    catalog = load_catalog(mini_template)
    deciding = ["database", "background_tasks", "docker", "ci", "kubernetes", "python_version"]
    for name in [*deciding, "api", "template_language"]:
        assert len(catalog.question(name).details.split()) >= 30, name


DESCRIPTION_HELP = "  help: One line that says what the project is for\n"


@pytest.fixture(scope="module")
def detailed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini template with details on a text question (the real ones have none yet)."""
    root = make_template_repo(tmp_path_factory.mktemp("tpl") / "template")
    common = root / "templates" / "_shared" / "questions" / "common.yml"
    details = "  details: What the README and pyproject.toml say the project is for.\n"
    common.write_text(common.read_text().replace(DESCRIPTION_HELP, DESCRIPTION_HELP + details))
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "details"],
        cwd=root,
        check=True,
    )
    return root


def test_a_question_mark_at_a_text_prompt_shows_the_details_once_then_is_typed(
    detailed_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "p"
    child = spawn(["new", "fastapi", str(dest)], detailed_template)
    every_question(child)
    skip_to(child, detailed_template, "fastapi", "description")
    child.expect(re.escape("(? shows more)"))
    child.send("?")  # nothing typed yet: the details
    child.expect(text("What the README and pyproject.toml say the project is for."))
    child.send(CTRL_E + "?" + ENTER)  # a second `?` is a character, at the end of the text
    rest = [q.name for q in load_catalog(detailed_template).options("fastapi")]
    for name in rest[rest.index("description") + 1 : rest.index("license")]:
        child.expect(text(load_catalog(detailed_template).question(name).help))
        child.send(ENTER)
    child.expect("License")
    child.send(ENTER)
    expect_summary(child)
    child.send(ENTER)
    assert finish(child) == 0
    assert recorded(dest)["description"] == "A FastAPI web service.?"


@pytest.fixture(scope="module")
def choice_rule_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini template with a rule on a choice question: a made-up one (the real rules are
    on yes/no questions), to see a clashing choice asked again."""
    root = make_template_repo(tmp_path_factory.mktemp("tpl") / "template")
    common = root / "templates" / "_shared" / "questions" / "common.yml"
    rule = (
        "  needs:\n"
        "    - answer: postgresql\n"
        "      needs: {background_tasks: celery}\n"
        "      because: a made-up rule\n"
    )
    before = "\ndatabase:\n"
    common.write_text(common.read_text().replace(before, before + rule, 1))
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "rule"],
        cwd=root,
        check=True,
    )
    return root


def test_a_clashing_choice_is_asked_again_with_the_reason(
    choice_rule_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "p"
    args = ["new", "flask", str(dest), "--data", "database=postgresql"]
    child = spawn(args, choice_rule_template)
    every_question(child)
    catalog = load_catalog(choice_rule_template)
    names = [q.name for q in catalog.options("flask")]
    for name in names[: names.index("database")]:
        child.expect(text(catalog.question(name).help))
        child.send(ENTER)
    child.expect(text(catalog.question("background_tasks").help))  # database is given
    child.expect("Celery on Redis")  # the list is drawn, None lit
    child.send(ENTER)  # none: clashes with the --data answer
    child.expect(text("database=postgresql needs background_tasks=celery"))
    child.expect(text("(database=postgresql given on the command line)"))
    child.expect(text(catalog.question("background_tasks").help))
    child.expect("Celery on Redis")  # asked again
    child.send(DOWN + ENTER)
    after = names[names.index("background_tasks") + 1]
    child.expect(text(catalog.question(after).help))  # taken: on to the next question
    child.sendintr()
    assert finish(child) == 130


def test_a_preset_answer_clashing_with_a_data_answer_is_asked_with_the_reason(
    mini_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "p"
    child = spawn(["new", "flask", str(dest), "--data", "kubernetes=true"], mini_template)
    child.expect("Start from a preset")
    child.expect("production")
    child.send(DOWN + ENTER)  # minimal: docker=false, which kubernetes=true cannot have
    catalog = load_catalog(mini_template)
    minimal = load_presets(mini_template)["minimal"].answers
    for question in catalog.options("flask"):
        if question.name == "docker":
            break
        if question.name not in minimal:
            child.expect(text(question.help))
            child.send(ENTER)
    child.expect(text(catalog.question("docker").help))  # asked, though minimal answers it
    child.expect(text("kubernetes=true needs docker=true, not docker=false"))  # from the start
    child.send("y" + ENTER)
    child.expect("License")  # ci is minimal's; kubernetes is the --data answer
    child.send(ENTER)
    expect_summary(child, docker="yes", ci="none", kubernetes="yes")
    child.send(ENTER)
    assert finish(child) == 0
    answers = recorded(dest)
    assert (answers["docker"], answers["kubernetes"], answers["ci"]) == (True, True, "none")
