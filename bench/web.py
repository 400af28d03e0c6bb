"""Time from a change of answers to the updated preview, as `scaffold web` serves it.

    uv run --extra web python bench/web.py [--runs 5] [--framework django]

Renders through the same Picker the page's server uses, over a clean clone of this checkout's
committed templates (as an installed release renders its bundle), one change of one answer
after another, each new to the picker (no cached render). Prints the median of resolve (the
form's live checks) and of resolve + preview (what the page waits for), with min and max.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from itertools import cycle
from pathlib import Path

from scaffold.source import TemplateSource
from scaffold.web.engine import Picker

REPO = Path(__file__).resolve().parents[1]
CHANGES = [
    ("database", "postgresql"),
    ("docker", False),
    ("ci", "gitlab"),
    ("background_tasks", "celery"),
    ("license", "Apache-2.0"),
    ("description", "Another one"),
]


def report(name: str, times: list[float]) -> str:
    median, low, high = (1000 * f(times) for f in (statistics.median, min, max))
    return f"{name}: median {median:.0f} ms (min {low:.0f}, max {high:.0f}, n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--framework", default="django")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        template = Path(work) / "template"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(template)], check=True)
        picker = Picker(TemplateSource(url=str(template), root=template, vcs_ref="HEAD"))
        try:
            answers: dict[str, object] = {}
            body = {"framework": args.framework, "dest": "bench", "answers": answers}
            picker.preview(picker.choice(body))  # the first render loads and compiles
            checks, previews = [], []
            for _, (key, value) in zip(range(args.runs), cycle(CHANGES), strict=False):
                answers[key] = value if key not in answers else None
                if answers[key] is None:
                    del answers[key]
                choice = picker.choice(body)
                start = time.perf_counter()
                picker.resolve(choice)
                checks.append(time.perf_counter() - start)
                picker.preview(choice)
                previews.append(time.perf_counter() - start)
        finally:
            picker.close()
    print(report("resolve (live checks)", checks))
    print(report("resolve + preview", previews))


if __name__ == "__main__":
    main()
