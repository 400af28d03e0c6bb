"""scaffold new --preview and --show: the files a real run writes, with their sizes; nothing
written at the destination."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.preview import file_tree

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("use_mini_template")
ARGS = ["--defaults", "-d", "project_name=Team Notes", "-d", "database=postgresql"]


def parse_tree(output: str) -> dict[str, int]:
    """Read file_tree's lines back: two spaces of indent a level, directories end in '/'."""
    files: dict[str, int] = {}
    where: list[str] = []
    for line in output.splitlines()[1:]:
        if not line.startswith("  "):
            break
        depth = (len(line) - len(line.lstrip(" "))) // 2
        entry = line.strip()
        where = where[: depth - 1]
        if entry.endswith("/"):
            where.append(entry.rstrip("/"))
            continue
        name, size, unit = entry.rsplit(maxsplit=2)
        assert unit == "B"
        files["/".join([*where, name])] = int(size)
    return files


def real_files(project: Path) -> dict[str, int]:
    return {
        path.relative_to(project).as_posix(): path.stat().st_size
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


@pytest.mark.parametrize("framework", ["fastapi", "django"])
def test_preview_lists_what_a_real_run_writes(tmp_path: Path, framework: str) -> None:
    dest = tmp_path / "svc"
    shown = runner.invoke(app, ["new", framework, str(dest), "--preview", *ARGS])
    assert shown.exit_code == 0, shown.output
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []
    assert shown.output.startswith("svc/\n")
    assert f"Preview of a {framework} project; nothing was written" in shown.output

    made = runner.invoke(app, ["new", framework, str(dest), *ARGS])
    assert made.exit_code == 0, made.output
    assert parse_tree(shown.output) == real_files(dest)


def test_show_prints_one_rendered_file(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    result = runner.invoke(app, ["new", "flask", str(dest), "--show", "README.md", *ARGS])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Team Notes\n")
    assert not dest.exists()


@pytest.mark.parametrize("name", ["nothing.txt", "../secret", "/etc/passwd", "src"])
def test_show_refuses_a_file_the_project_would_not_have(tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["new", "flask", str(tmp_path / "svc"), "--show", name, *ARGS])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"scaffold: error: the project would have no file {name!r}; see --preview"
    )
    assert list(tmp_path.iterdir()) == []


def test_preview_refuses_a_destination_in_use(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["new", "flask", str(tmp_path / "svc"), "--preview", *ARGS])
    assert result.exit_code == 2
    assert "exists and is not empty" in result.stderr


def test_file_tree_nests_directories_once() -> None:
    tree = file_tree("p", {"a.txt": 1, "src/a/x.py": 22, "src/a/y.py": 3, "src/b.py": 4})
    assert tree.splitlines()[0] == "p/"
    assert [line.strip().split()[0] for line in tree.splitlines()[1:-1]] == [
        "a.txt",
        "src/",
        "a/",
        "x.py",
        "y.py",
        "b.py",
    ]
    assert parse_tree(tree) == {"a.txt": 1, "src/a/x.py": 22, "src/a/y.py": 3, "src/b.py": 4}
