"""Users and API tokens (auth=users) on the production server with PostgreSQL, per framework:
the admin is made with the project's command, trades email and password for a token, and
writes and reads notes with it; without a token, or with a revoked one, the API answers 401 the
way the contract says (problem+json, WWW-Authenticate)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.projects import contract
from tests.projects.test_django import DJANGO
from tests.projects.test_fastapi import FASTAPI
from tests.projects.test_flask import FLASK
from tests.projects.test_pyramid import PYRAMID
from tests.support import generate, http, postgres_database, serve

pytestmark = pytest.mark.project

ADMIN_EMAIL = contract.ADMIN_EMAIL
ADMIN_PASSWORD = contract.ADMIN_PASSWORD
FRAMEWORKS = {"django": DJANGO, "fastapi": FASTAPI, "flask": FLASK, "pyramid": PYRAMID}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def request(
    url: str,
    framework: contract.Framework,
    method: str = "GET",
    payload: object = None,
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    body = None if payload is None else json.dumps(payload).encode()
    if body is not None:
        headers["Content-Type"] = "application/json"
    return http(url, method, body, {**framework.request_headers, **headers})


def assert_unauthorized(answer: tuple[int, dict[str, str], bytes], challenge: str) -> None:
    status, headers, body = answer
    assert status == 401, body
    assert headers["www-authenticate"].startswith(challenge), headers
    assert headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_an_admin_token_opens_the_notes_api(name: str, tmp_path: Path, postgres_url: str) -> None:
    package = f"{name}_users"
    project = generate(tmp_path / package, name, database="postgresql", auth="users")
    framework = dataclasses.replace(FRAMEWORKS[name], package=package)
    # Production sends password-reset mail or does not start; nothing here sends any.
    env = contract.production_env(postgres_url, WEB_CONCURRENCY="2", SMTP_HOST="127.0.0.1")
    contract.prepare(project, framework, env)
    made = contract.create_admin(project, name, package, env)
    assert made.strip(), "the admin command says what it did"

    with serve(project, env, package=package) as base:
        notes = f"{base}/api/notes"
        assert_unauthorized(request(notes, framework), "Bearer")
        assert_unauthorized(
            request(notes, framework, Authorization="Bearer not-a-token"),
            'Bearer error="invalid_token"',
        )
        wrong = {"email": ADMIN_EMAIL, "password": "not the password"}
        assert request(f"{base}/api/tokens", framework, "POST", wrong)[0] == 401

        credentials = {"email": ADMIN_EMAIL.lower(), "password": ADMIN_PASSWORD}
        status, _, body = request(f"{base}/api/tokens", framework, "POST", credentials)
        assert status == 201, body
        issued = json.loads(body)
        assert issued["token_type"] == "bearer"
        assert issued["expires_at"]
        bearer = {"Authorization": f"Bearer {issued['token']}"}

        status, _, body = request(f"{base}/api/users/me", framework, **bearer)
        assert status == 200, body
        # Django keeps the address's local part as written; the others keep it in lower case.
        assert json.loads(body)["email"].lower() == ADMIN_EMAIL.lower()
        assert json.loads(body)["is_admin"] is True

        for title in ("first", "second"):
            status, _, body = request(notes, framework, "POST", {"title": title}, **bearer)
            assert status == 201, body
        # Both workers of the server know the token: every request to either is served.
        for _ in range(6):
            status, _, body = request(notes, framework, **bearer)
            assert status == 200, body
            listed = json.loads(body)
            assert listed["total"] == 2
            assert {note["title"] for note in listed["items"]} == {"first", "second"}

        status, _, body = request(f"{base}/api/tokens/current", framework, "DELETE", **bearer)
        assert status == 204, body
        assert_unauthorized(request(notes, framework, **bearer), 'Bearer error="invalid_token"')
