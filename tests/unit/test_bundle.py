"""The installed bundle's plumbing: unpacking it is safe when scaffold runs twice at once."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest

from scaffold.bundle import unpacked_root
from tests.unit.test_update import make_history


def test_concurrent_unpacks_share_one_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bundle = make_history(tmp_path).bundle
    with concurrent.futures.ProcessPoolExecutor(3) as pool:
        roots = set(pool.map(unpacked_root, [bundle] * 6, ["v0.1.0"] * 6))
    assert len(roots) == 1
    (root,) = roots
    assert (root / "copier.yml").is_file()
    assert [p.name for p in root.parent.iterdir()] == [root.name]  # no partial left behind
