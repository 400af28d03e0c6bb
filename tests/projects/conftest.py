"""The option matrix's end-of-session report (see tests/matrix.py)."""

from tests.matrix import pytest_configure

__all__ = ["pytest_configure"]
