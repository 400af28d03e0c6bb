"""A long package name must not break the generated code's lint or formatting: lines that
hold the name are written so that ruff finds nothing to change at any length the name may have."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scaffold.catalog import load_catalog
from scaffold.generate import new_project
from tests.support import REPO

# ruff wraps a long line only where wrapping makes it fit, so a line can pass at 32 characters
# and fail at 17: every length in between counts.
PACKAGES = (
    "stock_ledger_api_v2",
    "inventory_reconciliation_svc",
    "inventory_reconciliation_service",
)
ALL_ON = {"database": "postgresql", "background_tasks": "celery", "kubernetes": True}
RUFF = [sys.executable, "-m", "ruff"]


@pytest.mark.parametrize("package", PACKAGES)
@pytest.mark.parametrize("framework", sorted(load_catalog(REPO).frameworks))
def test_long_package_name_lints_and_formats_clean(
    framework: str, package: str, tmp_path: Path
) -> None:
    project = new_project(
        tmp_path / package.replace("_", "-"),
        framework=framework,
        answers={**ALL_ON, "package_name": package},
        defaults=True,
        git=False,
        lock=False,
    ).path
    for command in (["check", "--no-fix", "--output-format", "concise"], ["format", "--check"]):
        result = subprocess.run(
            [*RUFF, *command, "."], cwd=project, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"ruff {command[0]}:\n{result.stdout[-5000:]}"
