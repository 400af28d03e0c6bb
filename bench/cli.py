"""Wall times of the CLI and of generated projects, as medians over several runs.

    uv run python bench/cli.py [--runs 5] [--frameworks fastapi flask ...]

Prints: `scaffold --help`; `scaffold new FRAMEWORK DEST --defaults`; each generated project's
own test suite (after one `uv sync`); its size in files and lines (tracked by git); and, for
FastAPI, `scaffold update` across one template version and `scaffold check`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCAFFOLD = [sys.executable, "-m", "scaffold"]
ENV = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV"}}
ENV["PYENV_VERSION"] = "3.11.7:3.12.1:3.13.0"  # uv finds pyenv Pythons only when all are active


def timed(
    action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> str:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    median, low, high = statistics.median(times), min(times), max(times)
    return f"median {median:.2f} s (min {low:.2f}, max {high:.2f}, n={runs})"


def sh(*command: str, cwd: Path | None = None, check: bool = True) -> int:
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=check).returncode


def size(project: Path) -> tuple[int, int]:
    files = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    lines = sum(len((project / f).read_bytes().splitlines()) for f in files)
    return len(files), lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--frameworks", nargs="*", default=["fastapi", "flask", "django", "pyramid"]
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-"))
    try:
        print(f"scaffold --help: {timed(lambda: sh(*SCAFFOLD, '--help'), args.runs)}")
        for framework in args.frameworks:
            bench_framework(work, framework, args.runs)
        bench_update(work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_framework(work: Path, framework: str, runs: int) -> None:
    dest = work / f"{framework}-app"
    new = timed(
        lambda: sh(*SCAFFOLD, "new", framework, str(dest), "--defaults"),
        runs,
        setup=lambda: shutil.rmtree(dest, ignore_errors=True),
    )
    print(f"scaffold new {framework} --defaults: {new}")
    files, lines = size(dest)
    print(f"{framework} project: {files} files, {lines} lines")
    sh("uv", "sync", "--quiet", cwd=dest)
    pytest = ("uv", "run", "--quiet", "pytest", "-q", "-p", "no:cacheprovider")
    print(f"{framework} project's own test suite: {timed(lambda: sh(*pytest, cwd=dest), runs)}")


def bench_update(work: Path, runs: int) -> None:
    """Update a default FastAPI project across one template version (two commits of a clone)."""
    template = work / "template"
    sh("git", "clone", "--quiet", str(REPO), str(template))
    git = ("git", "-c", "user.name=b", "-c", "user.email=b@example.com")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=template, capture_output=True, text=True, check=True
    ).stdout.strip()
    readme = template / "templates" / "fastapi" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nOne more line.\n")
    sh(*git, "commit", "--quiet", "-am", "template change", cwd=template)
    ENV["SCAFFOLD_TEMPLATE_SOURCE"] = str(template)
    project = work / "update-me"

    def fresh() -> None:
        shutil.rmtree(project, ignore_errors=True)
        sh(*git, "checkout", "--quiet", head, cwd=template)
        sh(*SCAFFOLD, "new", "fastapi", str(project), "--defaults")
        sh(*git, "checkout", "--quiet", "-", cwd=template)

    update = timed(lambda: sh(*SCAFFOLD, "update", str(project)), runs, setup=fresh)
    print(f"scaffold update (fastapi, one version): {update}")
    check = timed(lambda: sh(*SCAFFOLD, "check", str(project), check=False), runs)
    print(f"scaffold check: {check}")


if __name__ == "__main__":
    main()
