"""Compile each Jinja source once, across copier's renders and across runs.

copier makes a new Jinja environment for every render and compiles every file, file name,
included macro and question default again: some 830 compilations for one `scaffold new`,
1,700 for an update, the largest part of either. Jinja's own bytecode cache covers only
templates read through a loader, not copier's many ``from_string`` ones, so scaffold keeps
the compiled code itself: in memory for the command, and on disk (marshal, like Jinja's
bytecode cache) under the per-user cache, keyed by everything that shapes the code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

_active: list[bool] = []


def cache_dir() -> Path:
    from importlib.metadata import version

    from scaffold.bundle import cache_home

    # Code compiled by another Jinja, copier (its extensions) or Python is never reused.
    stamp = f"{version('jinja2')}-{version('copier')}-{MAGIC_NUMBER.hex()}"
    return cache_home() / "jinja" / stamp


def _settings(env: Any) -> tuple[Any, ...] | None:
    """What of the environment shapes compiled code; None when part of it has no stable text
    (a callable autoescape or finalize): such sources are cached for this command only."""
    if callable(env.autoescape) or env.finalize is not None:
        return None
    lexing = (
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
    )  # fmt: skip
    # The compiler looks filters and tests up to choose how to call them.
    calls = tuple(
        sorted(
            (kind, name, str(getattr(function, "jinja_pass_arg", None)))
            for kind, table in (("filter", env.filters), ("test", env.tests))
            for name, function in table.items()
        )
    )
    kind = f"{type(env).__module__}.{type(env).__qualname__}"
    extensions = tuple(sorted(env.extensions))
    return (kind, lexing, extensions, env.optimized, env.autoescape, env.is_async, calls)


@contextmanager
def compiling_once() -> Iterator[None]:
    """Every Jinja compilation inside reuses code compiled before with the same key."""
    if _active:
        yield
        return
    import jinja2

    original: Any = jinja2.Environment.compile
    compiled: dict[str, CodeType] = {}
    shapes: dict[int, tuple[Any, str | None]] = {}  # id(env) -> (env, digest of its settings)
    directory = cache_dir()

    def shape_of(env: jinja2.Environment) -> str | None:
        if id(env) not in shapes:
            settings = _settings(env)
            digest = hashlib.sha256(repr(settings).encode()).hexdigest() if settings else None
            shapes[id(env)] = (env, digest)  # the env is kept: its id stays its own
        return shapes[id(env)][1]

    def compile(
        env: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        shape = None if raw or not isinstance(source, str) else shape_of(env)
        if shape is None:
            return original(env, source, name, filename, raw, defer_init)
        # Not the file name: copier reads templates from a temporary clone. The code carries
        # it only for tracebacks, and gets the right one below.
        key = hashlib.sha256(
            "\0".join((shape, repr(name), str(defer_init), source)).encode("utf-8", "surrogatepass")
        ).hexdigest()
        if key not in compiled:
            code = _read(directory / key[:2] / key)
            if code is None:
                code = original(env, source, name, filename, raw, defer_init)
                _write(directory / key[:2] / key, code)
            compiled[key] = code
        return _filed(compiled[key], "<template>" if filename is None else filename)

    setattr(jinja2.Environment, "compile", compile)  # noqa: B010 (for this command only)
    _active.append(True)
    try:
        yield
    finally:
        _active.pop()
        setattr(jinja2.Environment, "compile", original)  # noqa: B010


def _filed(code: CodeType, filename: str) -> CodeType:
    """The code as compiled from filename (Jinja names the template file in tracebacks)."""
    if code.co_filename == filename:
        return code
    consts = tuple(_filed(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _read(path: Path) -> CodeType | None:
    try:
        code = marshal.loads(path.read_bytes())  # noqa: S302 (the user's own cache, like __pycache__)
    except (OSError, ValueError, EOFError, TypeError):  # absent or damaged: compile again
        return None
    return code if isinstance(code, CodeType) else None


def _write(path: Path, code: CodeType) -> None:
    """Written whole or not at all (a file of our own, renamed); a cache that cannot be
    written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(marshal.dumps(code))
        os.replace(partial, path)
    except OSError:
        Path(partial).unlink(missing_ok=True)
