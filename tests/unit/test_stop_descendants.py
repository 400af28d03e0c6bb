"""After a signal, scaffold stops the processes it started since a moment (copier's git clones),
children of theirs included, and leaves alone what ran before it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from scaffold.signals import process_clock, stop_descendants

TICK = 0.05  # more than a clock tick (1/100 s), so that the moment falls between the two starts


def test_only_what_started_since_the_moment_is_stopped(tmp_path: Path) -> None:
    before = subprocess.Popen(["sleep", "60"])
    try:
        time.sleep(TICK)
        moment = process_clock()
        time.sleep(TICK)
        # A shell that waits on a child of its own, as git waits on index-pack.
        pidfile = tmp_path / "grandchild"
        after = subprocess.Popen(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"])
        while not pidfile.exists() or not pidfile.read_text().strip():
            time.sleep(0.01)
        grandchild = Path(f"/proc/{pidfile.read_text().strip()}")
        stop_descendants(started_since=moment, timeout=5)
        assert after.wait(timeout=5) != 0  # stopped by the signal, not ended by itself
        deadline = time.monotonic() + 5
        while grandchild.exists() and time.monotonic() < deadline:  # init reaps it
            time.sleep(0.01)
        assert not grandchild.exists()
        assert before.poll() is None
    finally:
        before.kill()
        before.wait()
