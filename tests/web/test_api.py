"""The picker's JSON API against the CLI: same messages, same files, same first commit."""

from __future__ import annotations

import io
import shlex
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from scaffold.cli import app as cli
from scaffold.source import SOURCE_ENV
from scaffold.web.app import MAX_BODY_BYTES, create_app
from scaffold.web.engine import Picker
from scaffold.web.serve import allowed_hosts
from tests.support import REPO

CHOICE = {"framework": "django", "dest": "blog", "answers": {"database": "postgresql"}}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a clean clone of the templates, which the CLI renders too.

    A checkout with uncommitted changes is rendered from a fresh snapshot commit each time,
    so its projects record a different _commit on every run, the page's and the CLI's alike.
    """
    template = tmp_path_factory.mktemp("web") / "template"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(template)], check=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SOURCE_ENV, str(template))
        with TestClient(create_app(Picker())) as client:
            yield client


def cli_error(*args: str) -> str:
    """The one line `scaffold new` prints for these arguments, without its prefix."""
    result = CliRunner().invoke(cli, ["new", *args])
    assert result.exit_code == 2, result.output
    return result.output.strip().removeprefix("scaffold: error: ")


def test_catalog_lists_frameworks_questions_and_presets(client: TestClient) -> None:
    catalog = client.get("/api/catalog").json()
    assert [f["name"] for f in catalog["frameworks"]] == ["django", "fastapi", "flask", "pyramid"]
    questions = {q["name"]: q for q in catalog["questions"]}
    assert questions["api"]["frameworks"] == ["django"]
    assert {"label": "PostgreSQL", "value": "postgresql"} in questions["database"]["choices"]
    assert questions["database"]["details"]
    assert "secret_key" not in questions  # never chosen: made fresh for each project
    assert [p["name"] for p in catalog["presets"]] == ["minimal", "recommended", "production"]


def test_resolve_gives_defaults_and_the_command(client: TestClient) -> None:
    resolved = client.post("/api/resolve", json=CHOICE).json()
    fields = {f["name"]: f for f in resolved["fields"]}
    assert fields["project_name"]["value"] == "blog"  # from the folder, as the CLI does
    assert fields["api"]["value"] == "none"
    assert "template_language" not in fields  # Pyramid's question
    assert resolved["problem"] is None
    assert resolved["data"]["database"] == "postgresql"
    assert resolved["command"].startswith("scaffold new django blog --defaults ")


@pytest.mark.parametrize(
    ("answers", "args"),
    [
        ({"nope": "1"}, ["--data", "nope=1"]),
        ({"database": "mysql"}, ["--data", "database=mysql"]),
        ({"template_language": "chameleon"}, ["--data", "template_language=chameleon"]),
        (
            {"kubernetes": True, "docker": False},
            ["--data", "kubernetes=true", "--data", "docker=false"],
        ),
    ],
)
def test_refused_answers_get_the_cli_line(
    client: TestClient, tmp_path: Path, answers: dict[str, object], args: list[str]
) -> None:
    expected = cli_error("django", str(tmp_path / "blog"), "--defaults", *args)
    answer = client.post("/api/preview", json={**CHOICE, "answers": answers})
    assert answer.status_code == 422
    assert answer.json()["error"] == expected


def test_a_validator_message_shows_live_and_stops_the_preview(
    client: TestClient, tmp_path: Path
) -> None:
    choice = {**CHOICE, "answers": {"package_name": "import"}}
    resolved = client.post("/api/resolve", json=choice).json()
    field = next(f for f in resolved["fields"] if f["name"] == "package_name")
    assert field["error"] == '"import" is a Python keyword.'
    expected = cli_error(
        "django", str(tmp_path / "blog"), "--defaults", "--data", "package_name=import"
    )
    assert resolved["problem"] == expected
    answer = client.post("/api/preview", json=choice)
    assert (answer.status_code, answer.json()["error"]) == (422, expected)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{", 400, "the request body is not JSON"),
        (b'{"framework": "rails"}', 400, "unknown framework 'rails'"),
        (b'{"framework": "flask", "dest": "../out"}', 400, "must be one folder name"),
        (b'{"framework": "flask", "extra": 1}', 400, "unknown field 'extra'"),
        (b'{"framework": "flask", "answers": {"secret_key": "x"}}', 422, "unknown answer key"),
        (b" " * (MAX_BODY_BYTES + 1), 413, "request body over"),
    ],
)
def test_bad_bodies_are_4xx(client: TestClient, body: bytes, status: int, message: str) -> None:
    answer = client.post("/api/resolve", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == status
    assert message in answer.json()["error"]


def test_only_json_is_taken(client: TestClient) -> None:
    answer = client.post("/api/resolve", content=b"framework=flask")
    assert answer.status_code == 415


def test_an_unknown_file_is_404(client: TestClient) -> None:
    answer = client.post("/api/file", json={**CHOICE, "path": "../etc/passwd"})
    assert answer.status_code == 404


def run_command(command: str, where: Path, *extra: str) -> Path:
    """Run the page's command line with the CLI, in where."""
    words = shlex.split(command)
    assert words[:2] == ["scaffold", "new"]
    words[3] = str(where / words[3])
    result = CliRunner().invoke(cli, [*words[1:], *extra])
    assert result.exit_code == 0, result.output
    return where / shlex.split(command)[3]


def test_preview_and_files_equal_the_commands_project(client: TestClient, tmp_path: Path) -> None:
    choice = {
        **CHOICE,
        "answers": {"database": "postgresql", "api": "drf", "description": "A blog"},
    }
    command = client.post("/api/resolve", json=choice).json()["command"]
    made = run_command(command, tmp_path, "--no-git", "--no-lock")
    files = {p.relative_to(made).as_posix(): p for p in made.rglob("*") if p.is_file()}
    preview = client.post("/api/preview", json=choice).json()
    assert {f["path"]: f["size"] for f in preview["files"]} == {
        name: path.stat().st_size for name, path in files.items()
    }
    for name, path in files.items():
        shown = client.post("/api/file", json={**choice, "path": name}).json()["text"]
        if name == ".env":  # a fresh secret key each time
            assert shown.split("SECRET_KEY=")[0] == path.read_text().split("SECRET_KEY=")[0]
            continue
        assert shown == path.read_text(encoding="utf-8"), name


def head_tree(project: Path) -> str:
    result = subprocess.run(
        ["git", "rev-parse", "HEAD^{tree}"], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_zip_is_the_commands_project_with_its_first_commit(
    client: TestClient, tmp_path: Path
) -> None:
    command = client.post("/api/resolve", json=CHOICE).json()["command"]
    made = run_command(command, tmp_path / "cli")
    answer = client.post("/api/zip", json=CHOICE)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="blog.zip"'
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        archive.extractall(tmp_path / "zip")
        env_mode = archive.getinfo("blog/.env").external_attr >> 16
    unzipped = tmp_path / "zip" / "blog"
    assert head_tree(unzipped) == head_tree(made)  # the same first commit, file for file
    assert (unzipped / "uv.lock").is_file()
    assert env_mode & 0o777 == 0o600
    secret = (unzipped / ".env").read_text().split("SECRET_KEY=")[1].split()[0]
    assert secret not in (made / ".env").read_text()  # fresh for each project
    assert len(secret) >= 40


def test_on_loopback_only_its_own_host_names_are_answered() -> None:
    picker = Picker()
    try:
        app = create_app(picker, allowed_hosts("127.0.0.1"))
        client = TestClient(app, base_url="http://127.0.0.1:8765")  # no lifespan: no render
        page = client.get("/")
        assert page.status_code == 200
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 400
    finally:
        picker.close()


def test_it_writes_only_in_its_temporary_directory_and_removes_it() -> None:
    picker = Picker()
    assert picker.workdir.parent == Path(tempfile.gettempdir())
    picker.close()
    assert not picker.workdir.exists()


def test_without_git_the_zip_has_no_git_and_the_catalog_says_so(tmp_path: Path) -> None:
    picker = Picker()
    picker.has_git = False  # as on a machine without git
    with TestClient(create_app(picker)) as client:
        assert client.get("/api/catalog").json()["git"] is False
        choice = {"framework": "flask", "dest": "svc", "answers": {"docker": False}}
        answer = client.post("/api/zip", json=choice)
    assert answer.status_code == 200
    assert answer.headers["x-git"] == "false"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = archive.namelist()
    assert "svc/pyproject.toml" in names and "svc/.env" in names
    assert not any(name.startswith("svc/.git/") for name in names)
