"""`scaffold web`: a local page to choose, preview and download a project.

Needs the `web` extra (Starlette on uvicorn); the plain CLI never imports it.
"""

from __future__ import annotations

from scaffold.errors import UsageError

INSTALL_HINT = (
    "scaffold web needs its extra: uv tool install 'scaffold-web[web]' "
    "(or pip install 'scaffold-web[web]')"
)


def require_extra() -> None:
    """Refuse in one line, saying how to install it, when the web extra is missing."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
