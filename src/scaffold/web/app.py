"""The picker's HTTP side: the page, its files, and a small JSON API over scaffold.web.engine.

Bad input answers 4xx with the line the CLI prints for it; bodies are capped before they are
read in full; only JSON is taken (a cross-site form cannot post it without asking first).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from scaffold.errors import AnswerError, ScaffoldError, UsageError
from scaffold.web.catalog_json import describe_catalog, describe_resolved, describe_tree
from scaffold.web.engine import Picker

MAX_BODY_BYTES = 64 * 1024  # a choice is a few hundred bytes
STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class RefusedRequestError(UsageError):
    """A request the API will not take (not JSON, too big, no such file): status, one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _choice_body(request: Request) -> Any:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RefusedRequestError(415, "send the answers as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise RefusedRequestError(413, f"request body over {MAX_BODY_BYTES} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise RefusedRequestError(413, f"request body over {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RefusedRequestError(400, "the request body is not JSON") from None


Handler = Callable[[Request], Awaitable[Response]]


def _answering(handler: Handler) -> Handler:
    """Map refusals and scaffold's errors to problem answers: 4xx for the user's input."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except RefusedRequestError as error:
            return _problem(error.status, str(error))
        except AnswerError as error:
            return _problem(422, str(error))
        except UsageError as error:
            return _problem(400, str(error))
        except ScaffoldError as error:
            return _problem(500, str(error))

    return endpoint


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"error": detail}, status_code=status)


def create_app(
    picker: Picker,
    allowed_hosts: list[str] | None = None,
    ready: Callable[[], None] | None = None,
) -> Starlette:
    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)

    async def catalog(request: Request) -> Response:
        return JSONResponse(describe_catalog(picker), headers=SECURITY_HEADERS)

    async def resolve(request: Request) -> Response:
        choice = picker.choice(await _choice_body(request))
        resolved = await run_in_threadpool(picker.resolve, choice)
        return JSONResponse(describe_resolved(resolved))

    async def preview(request: Request) -> Response:
        choice = picker.choice(await _choice_body(request))
        shown = await run_in_threadpool(picker.preview, choice)
        return JSONResponse({"dest": choice.dest, "files": describe_tree(shown.files)})

    async def file(request: Request) -> Response:
        body = await _choice_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("path"), str):
            raise RefusedRequestError(400, "name the file: path")
        path = body.pop("path")
        shown = await run_in_threadpool(picker.preview, picker.choice(body))
        try:
            content = shown.read(path)
        except UsageError as error:  # a file this project would not have
            raise RefusedRequestError(404, str(error)) from None
        try:
            return JSONResponse({"path": path, "text": content.decode("utf-8")})
        except UnicodeDecodeError:
            return JSONResponse({"path": path, "text": None, "size": len(content)})

    async def archive(request: Request) -> Response:
        choice = picker.choice(await _choice_body(request))
        resolved = await run_in_threadpool(picker.resolve, choice)
        if resolved.problem:  # the line `scaffold new` would stop with
            raise AnswerError(resolved.problem)
        data = await run_in_threadpool(picker.archive, choice)
        disposition = f'attachment; filename="{choice.dest}.zip"'
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": disposition, "X-Git": str(picker.has_git).lower()},
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Load the questions now, not on the page's first request.
        await run_in_threadpool(picker.resolve, picker.choice({"framework": "fastapi"}))
        if ready is not None:
            ready()
        try:
            yield
        finally:
            await run_in_threadpool(picker.close)

    routes = [
        Route("/", index),
        Route("/api/catalog", _answering(catalog)),
        Route("/api/resolve", _answering(resolve), methods=["POST"]),
        Route("/api/preview", _answering(preview), methods=["POST"]),
        Route("/api/file", _answering(file), methods=["POST"]),
        Route("/api/zip", _answering(archive), methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC)),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["*"])]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
