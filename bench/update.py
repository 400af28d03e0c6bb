"""Wall time of `scaffold update` across one template version on a default FastAPI project.

    uv run python bench/update.py [--runs 5]

The template is a clone of this checkout's last commit plus one commit that changes the
FastAPI README; each run generates a fresh project at the first commit (not timed) and times
`scaffold update` to the second. Prints the median, min and max in seconds.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCAFFOLD = [sys.executable, "-m", "scaffold"]
GIT = ("git", "-c", "user.name=b", "-c", "user.email=b@example.com")


def sh(*command: str, cwd: Path | None = None, env: dict[str, str]) -> None:
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)


def _children_cpu() -> float:
    """CPU seconds used by finished children: less at the mercy of a busy machine than wall
    time (on the shared 2-core machine, the load made wall times vary 2x)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="scaffold-bench-update-"))
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    try:
        template = work / "template"
        sh(*GIT, "clone", "--quiet", str(REPO), str(template), env=env)
        first = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=template, capture_output=True, text=True, check=True
        ).stdout.strip()
        readme = template / "templates" / "fastapi" / "README.md.jinja"
        readme.write_text(readme.read_text() + "\nOne more line.\n")
        sh(*GIT, "commit", "--quiet", "-am", "template change", cwd=template, env=env)
        env["SCAFFOLD_TEMPLATE_SOURCE"] = str(template)
        times, cpu = [], []
        for run in range(runs):
            project = work / f"project-{run}"
            sh(*GIT, "checkout", "--quiet", first, cwd=template, env=env)
            sh(*SCAFFOLD, "new", "fastapi", str(project), "--defaults", "--no-lock", env=env)
            sh(*GIT, "checkout", "--quiet", "-", cwd=template, env=env)
            used = _children_cpu()
            start = time.perf_counter()
            sh(*SCAFFOLD, "update", str(project), env=env)
            times.append(time.perf_counter() - start)
            cpu.append(_children_cpu() - used)
        median, low, high = statistics.median(times), min(times), max(times)
        print(
            f"scaffold update (fastapi, one version): median {median:.2f} s "
            f"(min {low:.2f}, max {high:.2f}, n={runs}); "
            f"CPU (user+sys, with its children) median {statistics.median(cpu):.2f} s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
