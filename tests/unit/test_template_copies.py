"""No block of six or more lines is written in two framework template folders (contract U1).

What two frameworks share is written once under templates/_shared/ and included. This check
reads every text file under templates/<framework>/ as text (the Jinja sources, not what they
render to), leaves out blank lines and indentation, and finds every run of BLOCK consecutive
lines that two frameworks both contain. Python import statements and lines that are one Jinja tag
alone (`{%- if docker %}`, `{{ quality_section() }}`) are left out too: importing the same names
from a shared module and calling the same shared macros is what sharing looks like. ALLOWED lists
the copies that remain, each with its reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tests.support import REPO

BLOCK = 6
JINJA_TAG_LINE = re.compile(r"^(\{%.*%\}|\{\{.*\}\})$")
FRAMEWORKS = ("django", "fastapi", "flask", "pyramid")


@dataclass(frozen=True)
class Allowed:
    files: frozenset[str]  # paths under templates/, every file holding the copy
    line: str  # one line of the copy (stripped), so that a new copy beside it still counts
    reason: str


@dataclass(frozen=True)
class Copy:
    files: frozenset[str]
    lines: tuple[str, ...]  # the copied lines, stripped, blank ones left out
    places: tuple[str, ...]  # "path:line" where each copy starts

    def __str__(self) -> str:
        shown = "\n".join(f"        {line}" for line in self.lines)
        return f"{len(self.lines)} lines in {', '.join(self.places)}:\n{shown}"


def _allow(files: tuple[str, ...], line: str, reason: str) -> Allowed:
    return Allowed(frozenset(files), line, reason)


SRC = "src/{{ package_name }}"
# Each copy left says why it stays; a copy that only waits to be moved goes to templates/_shared/.
ALLOWED = (
    _allow(
        (f"django/{SRC}/health.py.jinja", f"flask/{SRC}/health.py.jinja"),
        'return "unavailable"',
        "Django and Flask run a readiness check in the request's thread: Django's connections "
        "and Flask-SQLAlchemy's session belong to it. Pyramid runs each in a thread of its own "
        "with a time limit (its engine is shared), FastAPI awaits each with one; eight lines "
        "shared by two of four would be a module for its own sake.",
    ),
    _allow(
        ("fastapi/README.md.jinja", "pyramid/README.md.jinja"),
        "## Endpoints",
        "Each README lists its own endpoints (FastAPI serves /docs, Pyramid /notes); the rows both "
        "have are the contract's (G0) and are read in place.",
    ),
)


def _text_lines(path: Path) -> list[tuple[int, str]] | None:
    """The file's non-blank lines, stripped and numbered, less its import statements."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    kept: list[tuple[int, str]] = []
    in_import = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if in_import:
            in_import = not stripped.startswith(")")
        elif stripped.startswith("import ") or (
            stripped.startswith("from ") and " import " in stripped
        ):
            in_import = stripped.endswith("(")
        elif stripped and not JINJA_TAG_LINE.match(stripped):
            kept.append((number, stripped))
    return kept


def find_copies(templates: Path, frameworks: tuple[str, ...] = FRAMEWORKS) -> list[Copy]:
    """Every run of BLOCK or more lines found in the templates of two or more frameworks."""
    files: dict[str, list[tuple[int, str]]] = {}
    for framework in frameworks:
        for path in sorted((templates / framework).rglob("*")):
            lines = _text_lines(path) if path.is_file() else None
            if lines:
                files[path.relative_to(templates).as_posix()] = lines
    # Where each window of BLOCK lines occurs: (file, index of its first line).
    windows: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for name, lines in files.items():
        for start in range(len(lines) - BLOCK + 1):
            windows[tuple(text for _, text in lines[start : start + BLOCK])].append((name, start))
    # The windows two frameworks share, by the files sharing them; then runs of them merged.
    shared: dict[frozenset[str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for found in windows.values():
        names = frozenset(name for name, _ in found)
        if len({name.split("/", 1)[0] for name in names}) > 1:
            for name, start in found:
                shared[names][name].add(start)
    copies = []
    for names, starts in shared.items():
        first = min(names)
        for run in _runs(sorted(starts[first])):
            lines = files[first][run[0] : run[-1] + BLOCK]
            places = tuple(
                f"{name}:{files[name][_match(files[name], lines, starts[name])][0]}"
                for name in sorted(names)
            )
            copies.append(Copy(names, tuple(text for _, text in lines), places))
    return sorted(copies, key=lambda copy: copy.places)


def _runs(starts: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for start in starts:
        if runs and start == runs[-1][-1] + 1:
            runs[-1].append(start)
        else:
            runs.append([start])
    return runs


def _match(lines: list[tuple[int, str]], block: list[tuple[int, str]], starts: set[int]) -> int:
    """Where in lines the block begins (one of the starts of its windows)."""
    wanted = [text for _, text in block[:BLOCK]]
    return next(s for s in sorted(starts) if [t for _, t in lines[s : s + BLOCK]] == wanted)


def _allowed(copy: Copy) -> bool:
    return any(entry.files == copy.files and entry.line in copy.lines for entry in ALLOWED)


def test_no_block_is_written_in_two_framework_folders() -> None:
    copies = [copy for copy in find_copies(REPO / "templates") if not _allowed(copy)]
    assert not copies, (
        "These lines are written in more than one framework's templates: move them to "
        "templates/_shared/ and include them, or list them in ALLOWED with the reason.\n\n"
        + "\n\n".join(str(copy) for copy in copies)
    )


def test_every_allowed_copy_still_exists() -> None:
    copies = find_copies(REPO / "templates")
    stale = [
        entry
        for entry in ALLOWED
        if not any(entry.files == copy.files and entry.line in copy.lines for copy in copies)
    ]
    assert not stale, f"ALLOWED names copies that are gone: {stale}"


def test_a_new_copy_is_found(tmp_path: Path) -> None:
    block = [f"line_{number} = {number}" for number in range(BLOCK)]
    for framework, around in (("flask", "flask_only = 1"), ("pyramid", "pyramid_only = 2")):
        folder = tmp_path / framework / "src"
        folder.mkdir(parents=True)
        (folder / "module.py.jinja").write_text("\n".join([around, *block, "", around]) + "\n")
    (copy,) = find_copies(tmp_path, ("flask", "pyramid"))
    assert copy.lines == tuple(block)
    assert copy.places == ("flask/src/module.py.jinja:2", "pyramid/src/module.py.jinja:2")


def test_a_shorter_run_is_no_copy(tmp_path: Path) -> None:
    block = [f"line_{number} = {number}" for number in range(BLOCK - 1)]
    for framework in ("flask", "pyramid"):
        (tmp_path / framework).mkdir()
        (tmp_path / framework / "module.py.jinja").write_text("\n".join(block) + "\n")
    assert find_copies(tmp_path, ("flask", "pyramid")) == []
