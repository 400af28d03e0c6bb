"""The whole performance table in one run: the generator, the servers, the FastAPI notes API.

    uv run python bench/all.py [--rounds 3] [--against f3148f7]

Runs bench/generator.py, bench/serving.py and bench/fastapi_notes.py one after another and
prints what each prints under one heading (date, CPUs, load, Python): the figures the README's
Performance section quotes, each ratio side by side. About 15 minutes on a 2-core machine; the
others' work on a shared machine shows in every figure, so run it on a quiet one.

--against is the revision whose templates the notes API is compared with: by default the last
one before the API's data path became async (its routes were sync `def`s in a threadpool).
The scripts run with bytecode written as on a developer's machine, whatever
PYTHONDONTWRITEBYTECODE says here: without it every process compiles what it imports afresh.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SYNC_NOTES_REVISION = "f3148f7"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", default=SYNC_NOTES_REVISION)
    args = parser.parse_args()
    rounds = ["--rounds", str(args.rounds)]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
        f"load {os.getloadavg()[0]:.1f}; Python {platform.python_version()}",
        flush=True,
    )
    runs = [
        ("generator.py", rounds),
        ("serving.py", rounds),
        ("fastapi_notes.py", [*rounds, "--against", args.against]),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    failed = []
    for script, options in runs:
        print(f"\n== bench/{script} {' '.join(options)}", flush=True)
        command = [sys.executable, str(BENCH / script), *options]
        done = subprocess.run(command, env=env, check=False)
        if done.returncode != 0:
            failed.append(script)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
