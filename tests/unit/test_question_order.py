"""Questions come in one defined order, whatever order the file system lists the files in."""

from __future__ import annotations

import pathlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.catalog import load_catalog
from scaffold.copier_private import template_config
from tests.support import REPO

# framework first; identity and stack; each framework's own; delivery last.
EXPECTED = [
    "framework",
    "project_name",
    "project_slug",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "python_version",
    "database",
    "background_tasks",
    "tracing",
    "cache",
    "auth",
    "api",
    "template_language",
    "docker",
    "ci",
    "update_bot",
    "kubernetes",
    "license",
    "secret_key",
]


def copier_order() -> list[str]:
    """The order in which copier itself will ask (its config loader keeps document order)."""
    return [key for key in template_config(REPO / "copier.yml") if not key.startswith("_")]


def test_the_catalog_and_copier_agree_on_the_order() -> None:
    assert [q.name for q in load_catalog(REPO).questions] == EXPECTED
    assert copier_order() == EXPECTED


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.randoms(use_true_random=False))
def test_order_holds_when_the_file_system_lists_files_in_any_order(
    monkeypatch: pytest.MonkeyPatch, seed: random.Random
) -> None:
    original = pathlib.Path.glob

    def shuffled_glob(self: Path, pattern: str) -> Iterator[Path]:
        found = list(original(self, pattern))
        seed.shuffle(found)
        return iter(found)

    with monkeypatch.context() as patch:
        patch.setattr(pathlib.Path, "glob", shuffled_glob)
        assert [q.name for q in load_catalog(REPO).questions] == EXPECTED
        assert copier_order() == EXPECTED
