"""Fixtures shared by every layer of the test suite."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaffold.source import SOURCE_ENV
from tests.matrix import register_matrix_report
from tests.support import MYPY_CACHE_VARIABLE, REPO

FRAMEWORKS = ("django", "fastapi", "flask", "pyramid")


def pytest_configure(config: pytest.Config) -> None:
    # Here, in the root conftest: the xdist controller, which prints the report, loads no other.
    register_matrix_report(config)


@pytest.fixture(scope="session", autouse=True)
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One mypy cache for the generated projects this worker checks (see run_checks)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MYPY_CACHE_VARIABLE, str(tmp_path_factory.mktemp("mypy-cache")))
        yield


# A stand-in for a framework's template: small, fast to render, same questions as the real one.
MINI_TEMPLATE = {
    "{{ _copier_conf.answers_file }}.jinja": (
        '{% include "templates/_shared/project/answers.yml.jinja" -%}\n'
    ),
    "README.md.jinja": "# {{ project_name }}\n\n{{ description }}\n",
    "src/{{ package_name }}/__init__.py": '"""The package."""\n',
    ".env.jinja": "SECRET_KEY={{ secret_key }}\n",
    ".gitignore": ".env\n",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def make_template_repo(root: Path, files: dict[str, dict[str, str]] | None = None) -> Path:
    """A git repository with the real copier.yml and questions and mini framework templates."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "copier.yml", root / "copier.yml")
    shutil.copytree(
        REPO / "templates" / "_shared" / "questions", root / "templates/_shared/questions"
    )
    answers = "templates/_shared/project/answers.yml.jinja"  # the real one: it writes the digest
    (root / answers).parent.mkdir(parents=True)
    shutil.copy(REPO / answers, root / answers)
    for framework in FRAMEWORKS:
        for name, content in {**MINI_TEMPLATE, **(files or {}).get(framework, {})}.items():
            path = root / "templates" / framework / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
    _git(root, "init", "--quiet")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "templates")
    return root


@pytest.fixture(scope="session")
def mini_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template_repo(tmp_path_factory.mktemp("tpl") / "template")


@pytest.fixture
def use_mini_template(mini_template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SOURCE_ENV, str(mini_template))
    return mini_template
