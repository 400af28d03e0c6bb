"""The Python macros of templates/_shared/escape.jinja at every length around their layout
changes: ruff finds nothing to report or reformat, and Python reads back the value."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.templating import jinja_env

MACROS: Any = jinja_env().get_template("templates/_shared/escape.jinja").module
RUFF = [sys.executable, "-m", "ruff"]
# Words, a single long word, quotes at the ends, escapes that make the literal longer.
SHAPES: dict[str, Callable[[int], str]] = {
    "words": lambda n: ("ab " * n)[:n],
    "word": lambda n: "x" * n,
    "quoted": lambda n: '"' + "q " * ((n - 2) // 2) + '"',
    "escaped": lambda n: ("\u2019s \\ " * n)[:n],
}
LENGTHS = range(80, 104)


def values() -> list[str]:
    return [shape(n) for shape in SHAPES.values() for n in LENGTHS]


def check_ruff(root: Path) -> None:
    (root / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = ["E", "W", "RUF"]\n'
    )
    for command in (["check", "--no-fix", "--output-format", "concise"], ["format", "--check"]):
        result = subprocess.run(
            [*RUFF, *command, "--no-cache", "."], cwd=root, capture_output=True, text=True
        )
        assert result.returncode == 0, f"ruff {command[0]}:\n{result.stdout[-5000:]}"


def test_docstrings(tmp_path: Path) -> None:
    for index, value in enumerate(values()):
        (tmp_path / f"m{index}.py").write_text(f"{MACROS.py_docstring(value)}\n")
    check_ruff(tmp_path)
    for index, value in enumerate(values()):
        source = (tmp_path / f"m{index}.py").read_text()
        docstring = ast.get_docstring(ast.parse(source), clean=False) or ""
        assert docstring.split() == value.split(), source


def test_string_literals(tmp_path: Path) -> None:
    # As the templates use it: a keyword argument in a call at module level and in a function.
    blocks = ["def f(**kwargs: str) -> None:\n    pass"]
    for value in values():
        blocks.append(f"f(\n    title={MACROS.py_str(value, indent=4, room=89)},\n)")
        blocks.append(
            "def g() -> None:\n"
            f"    f(\n        title={MACROS.py_str(value, indent=8, room=85)},\n    )"
        )
    module = tmp_path / "m.py"
    module.write_text("\n\n\n".join(blocks) + "\n")
    check_ruff(tmp_path)
    titles = [
        ast.literal_eval(keyword.value)
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "title"
    ]
    assert sorted(titles) == sorted(values() * 2)
