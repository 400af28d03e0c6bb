"""Generate Django, Flask, FastAPI and Pyramid projects and keep them up to date."""

from __future__ import annotations

DISTRIBUTION = "scaffold-web"  # the name on PyPI; the command and the import name are scaffold


def __getattr__(name: str) -> str:
    # Looked up on first use: the entry point imports this package before handling signals.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(DISTRIBUTION)
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0"
    raise AttributeError(name)
