"""scaffold beside copier, side by side in one run: generate, update, time to green.

    uv run python bench/generator.py [--rounds 3] [--fastapi-template PATH] [--no-green]

Each figure is the median of --rounds rounds, the two sides alternating (A B A B), with wall
time and CPU time (user+sys of the command and its children: on a shared machine the wall
time follows the load, the CPU time much less). Printed:

- `scaffold new fastapi DEST --defaults` (with and without `--no-lock`) vs `copier copy
  --defaults --trust` of the FastAPI full-stack template (fastapi/full-stack-fastapi-template,
  its last release with a copier.yml, 0.10.0), and their ratios;
- `scaffold update` vs plain `copier update --defaults --trust --conflict inline` of the same
  project across one template version (a commit that changes the FastAPI README);
- git processes each command starts (a `git` on PATH that counts), and the imports of
  `scaffold new --defaults` (python -X importtime; whether a prompt library was loaded);
- time to green: generate, `uv sync` (warm cache), the project's own `pytest`, for scaffold's
  FastAPI project and the FastAPI template's backend (with `alembic upgrade head` before its
  tests, which need PostgreSQL: SCAFFOLD_TEST_POSTGRES, default 127.0.0.1:5432, user postgres).

scaffold renders from a release bundle made of this checkout's last commit (tagged v90.0.0)
and, for the update, one more commit (v90.0.1): SCAFFOLD_TEMPLATE_SOURCE points at the bundle,
as an installed scaffold renders the bundle it carries (its caches in the bench's own
XDG_CACHE_HOME, filled by a first run). The FastAPI template comes from a local clone
(--fastapi-template, default: the snapshot under /work/.mirror); without one, its columns say
so and the rest is measured.
"""

from __future__ import annotations

import argparse
import os
import resource
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
COPIER = [sys.executable, "-m", "copier"]
MIRROR = Path("/work/.mirror/fastapi+full-stack-fastapi-template/repo")
FASTAPI_RELEASE = "0.10.0"  # its last release with a copier.yml (0.11.0 removed copier)
GIT = ("git", "-c", "user.name=b", "-c", "user.email=b@example.com")


class Bench:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        self.shim_log = work / "git-calls.log"
        shim = work / "shim"
        shim.mkdir()
        real = shutil.which("git")
        (shim / "git").write_text(
            f'#!/bin/sh\necho x >> "{self.shim_log}"\nexec {real} "$@"\n', encoding="utf-8"
        )
        (shim / "git").chmod(0o755)
        self.counted_env = {**self.env, "PATH": f"{shim}{os.pathsep}{self.env['PATH']}"}

    def run(self, *command: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            command, cwd=cwd, env=env or self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
        return done.stderr

    def measured(self, action: Callable[[], object]) -> tuple[float, float]:
        """(wall, CPU) seconds of action, its children's CPU included."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        action()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu

    def git_processes(self, action: Callable[[dict[str, str]], object]) -> int:
        self.shim_log.unlink(missing_ok=True)
        action(self.counted_env)
        return len(self.shim_log.read_text().splitlines()) if self.shim_log.exists() else 0


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def row(name: str, ours: tuple[float, float], theirs: tuple[float, float] | None) -> str:
    text = f"  {name:<44} wall {ours[0]:6.2f} s  cpu {ours[1]:6.2f} s"
    if theirs:
        text += f"  | ratio wall {ours[0] / theirs[0]:.2f}  cpu {ours[1] / theirs[1]:.2f}"
    return text


def release_bundles(bench: Bench) -> tuple[Path, Path, str, str]:
    """Bundles of two releases: this checkout's last commit, then one changing the FastAPI
    README. Returns (bundle of the first only, bundle of both, first tag, second tag)."""
    template = bench.work / "template"
    bench.run(*GIT, "clone", "--quiet", str(REPO), str(template))
    first, second = "v90.0.0", "v90.0.1"
    bench.run(*GIT, "tag", first, cwd=template)
    readme = template / "templates" / "fastapi" / "README.md.jinja"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    bench.run(*GIT, "commit", "--quiet", "-am", "template change", cwd=template)
    bench.run(*GIT, "tag", second, cwd=template)
    old, new = bench.work / "old.bundle", bench.work / "templates.bundle"
    bench.run(*GIT, "bundle", "create", "--quiet", str(old), first, cwd=template)
    bench.run(*GIT, "bundle", "create", "--quiet", str(new), first, second, cwd=template)
    return old, new, first, second


def fastapi_template(bench: Bench, given: Path | None) -> Path | None:
    source = given or MIRROR
    if not source.exists():
        return None
    clone = bench.work / "full-stack-fastapi-template"
    bench.run(*GIT, "clone", "--quiet", str(source), str(clone))
    return clone


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fastapi-template", type=Path, default=None)
    parser.add_argument("--no-green", action="store_true", help="leave out time to green")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-generator-"))
    try:
        bench = Bench(work)
        old, bundle, _, second = release_bundles(bench)
        for env in (bench.env, bench.counted_env):
            env["XDG_CACHE_HOME"] = str(work / "cache")
            env["SCAFFOLD_TEMPLATE_SOURCE"] = str(bundle)
        theirs = fastapi_template(bench, args.fastapi_template)
        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
            f"load {os.getloadavg()[0]:.1f}; Python {sys.version.split()[0]}; "
            f"median of {args.rounds} rounds, A B alternating"
        )
        if theirs is None:
            print("  (no FastAPI template clone: its columns are left out)")
        bench_new(bench, theirs, args.rounds)
        bench_update(bench, (old, bundle), second, args.rounds)
        if not args.no_green:
            bench_green(bench, theirs, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_new(bench: Bench, theirs: Path | None, rounds: int) -> None:
    def scaffold_new(*options: str, env: dict[str, str] | None = None) -> None:
        dest = bench.work / "new-app"
        shutil.rmtree(dest, ignore_errors=True)
        bench.run(*SCAFFOLD, "new", "fastapi", str(dest), "--defaults", *options, env=env)

    def copier_copy(env: dict[str, str] | None = None) -> None:
        if theirs is None:
            return
        dest = bench.work / "copied-app"
        shutil.rmtree(dest, ignore_errors=True)
        copy = ("copy", "--quiet", "--defaults", "--trust", "--vcs-ref", FASTAPI_RELEASE)
        bench.run(*COPIER, *copy, str(theirs), str(dest), env=env)

    scaffold_new()  # warm: the first run fills the caches every later run reads
    if theirs:
        copier_copy()
    news, unlocked, copies = [], [], []
    for _ in range(rounds):
        if theirs:
            copies.append(bench.measured(copier_copy))
        news.append(bench.measured(scaffold_new))
        unlocked.append(bench.measured(lambda: scaffold_new("--no-lock")))
    copy = median(copies) if copies else None
    print("generate (FastAPI):")
    if copy:
        print(row("copier copy, FastAPI template", copy, None))
    print(row("scaffold new --defaults", median(news), copy))
    print(row("scaffold new --defaults --no-lock", median(unlocked), copy))
    ours_git = bench.git_processes(lambda env: scaffold_new("--no-lock", env=env))
    line = f"  git processes: scaffold new {ours_git}"
    if theirs:
        line += f", copier copy {bench.git_processes(lambda env: copier_copy(env=env))}"
    print(line)
    dest = bench.work / "new-app"
    shutil.rmtree(dest, ignore_errors=True)
    command = [*SCAFFOLD, "new", "fastapi", str(dest), "--defaults", "--no-lock"]
    report = bench.run(sys.executable, "-X", "importtime", *command[1:])
    top = [
        line.split("|")
        for line in report.splitlines()
        if line.startswith("import time:") and line.split("|")[1].strip().isdigit()
    ]
    total = (
        sum(
            int(cells[1])
            for cells in top
            if cells[2].startswith(" ") and not cells[2].startswith("  ")
        )
        / 1e6
    )
    prompts = sorted({c[2].strip().split(".")[0] for c in top} & {"prompt_toolkit", "questionary"})
    print(
        f"  imports of scaffold new --defaults: {total:.2f} s; prompt libraries: "
        f"{', '.join(prompts) or 'none'}"
    )


def bench_update(bench: Bench, bundles: tuple[Path, Path], second: str, rounds: int) -> None:
    """The project is made from the first release; then the bundle at the path it records is
    replaced by one holding both, as a newer scaffold replaces it."""
    old, bundle = bundles
    base = bench.work / "update-base"
    shutil.copyfile(bundle, bench.work / "both.bundle")
    shutil.copyfile(old, bundle)
    bench.run(*SCAFFOLD, "new", "fastapi", str(base), "--defaults", "--no-lock")
    shutil.copyfile(bench.work / "both.bundle", bundle)

    def fresh() -> Path:
        project = bench.work / "update-me"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(base, project, symlinks=True)
        return project

    def scaffold_update(env: dict[str, str] | None = None) -> None:
        bench.run(*SCAFFOLD, "update", str(project), env=env)

    def copier_update(env: dict[str, str] | None = None) -> None:
        update = ("update", "--quiet", "--defaults", "--trust", "--conflict", "inline")
        bench.run(*COPIER, *update, "--vcs-ref", second, str(project), env=env)

    ours, plain = [], []
    for _ in range(rounds):
        project = fresh()
        plain.append(bench.measured(copier_update))
        project = fresh()
        ours.append(bench.measured(scaffold_update))
    print("update (FastAPI project, one template version):")
    print(row("copier update", median(plain), None))
    print(row("scaffold update", median(ours), median(plain)))
    project = fresh()
    ours_git = bench.git_processes(lambda env: scaffold_update(env=env))
    project = fresh()
    print(
        f"  git processes: scaffold update {ours_git}, "
        f"copier update {bench.git_processes(lambda env: copier_update(env=env))}"
    )


def bench_green(bench: Bench, theirs: Path | None, rounds: int) -> None:
    """Generate, uv sync (warm), pytest; the first round only warms uv's cache."""
    postgres = os.environ.get("SCAFFOLD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")

    def ours() -> None:
        dest = bench.work / "green-app"
        shutil.rmtree(dest, ignore_errors=True)
        bench.run(*SCAFFOLD, "new", "fastapi", str(dest), "--defaults")
        bench.run("uv", "sync", "--quiet", cwd=dest)
        bench.run("uv", "run", "--quiet", "pytest", "-q", "-p", "no:cacheprovider", cwd=dest)

    def template_green() -> None:
        if theirs is None:
            return
        dest = bench.work / "green-template"
        shutil.rmtree(dest, ignore_errors=True)
        copy = ("copy", "--quiet", "--defaults", "--trust", "--vcs-ref", FASTAPI_RELEASE)
        bench.run(*COPIER, *copy, str(theirs), str(dest))
        backend = dest / "backend"
        host = postgres.split("@")[-1].split("/")[0]
        env = {
            **bench.env,
            "POSTGRES_SERVER": host.split(":")[0],
            "POSTGRES_PORT": host.split(":")[1] if ":" in host else "5432",
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "app_bench",
        }
        subprocess.run(
            ["psql", postgres, "-qc", "DROP DATABASE IF EXISTS app_bench"],
            capture_output=True,
            check=False,
        )
        bench.run("psql", postgres, "-qc", "CREATE DATABASE app_bench")
        bench.run("uv", "sync", "--quiet", cwd=backend, env=env)
        bench.run("uv", "run", "--quiet", "alembic", "upgrade", "head", cwd=backend, env=env)
        bench.run(
            "uv",
            "run",
            "--quiet",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests",
            cwd=backend,
            env=env,
        )

    ours()
    sides = [("scaffold (FastAPI project)", ours)]
    if theirs:
        try:
            template_green()
            sides.insert(0, ("FastAPI template (backend)", template_green))
        except SystemExit as failure:
            print(f"  FastAPI template's time to green left out: {str(failure)[:300]}")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in sides}
    for _ in range(rounds):
        for name, action in sides:
            results[name].append(bench.measured(action))
    print("time to green (generate, uv sync warm, pytest):")
    reference = median(results[sides[0][0]]) if len(sides) == 2 else None
    for name, _ in sides:
        print(row(name, median(results[name]), reference if name.startswith("scaffold") else None))


if __name__ == "__main__":
    main()
