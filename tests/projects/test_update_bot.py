"""The update bot (update_bot): the GitHub workflow's `run:` steps and the GitLab job's script,
executed here as the runners would, with the variables they give.

Two wheels are built from a clone of this repository (0.1.0, then 0.2.0 with a change to the
README the user also edits); 0.1.0 generates the project, pushed to a bare repository that
stands in for the forge's git remote; the job installs the 0.2.0 wheel (the repository
variable SCAFFOLD_SPEC), and a small local HTTP server stands in for the forge's API
(GITHUB_API_URL, CI_API_V4_URL) and records each request. Git reaches the bare repository only
through the URL with the token in it (`url.<bare>.insteadOf` in the environment), so a push
without the token, or with another, fails.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tests.projects.test_first_commit_ci import runs_in
from tests.projects.test_wheels import GIT, install, release, sh
from tests.support import REPO, project_env

# Meant to run both tests on one worker, the releases' wheels built once (see the note on
# loadgroup in pyproject.toml: not in effect with pytest 9.2).
pytestmark = [pytest.mark.project, pytest.mark.xdist_group("update_bot")]

TOKEN = "tok-3f9a"  # what the forge gives the job (GITHUB_TOKEN, SCAFFOLD_UPDATE_TOKEN)
BRANCH = "update/scaffold"
MARKER = "<<<<<<< before updating"
TEMPLATE_LINE = "{{ md_text(description) }}"
NEW_LINE = "{{ md_text(description) }} Operations notes: docs/operations.md."
USER_LINE = "The team's notes service, run by the platform group."


# --- the releases and the project --------------------------------------------------------


@dataclass(frozen=True)
class Releases:
    old: Path  # the scaffold command of 0.1.0
    new_wheel: Path  # 0.2.0, which the job installs


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    work = tmp_path_factory.mktemp("releases")
    repo = work / "repo"
    sh("git", "clone", "--quiet", str(REPO), str(repo), cwd=work)
    old_wheel = release(repo, "0.1.0", work / "wheels")
    readme = repo / "templates" / "fastapi" / "README.md.jinja"
    assert readme.read_text().count(TEMPLATE_LINE) == 1
    readme.write_text(readme.read_text().replace(TEMPLATE_LINE, NEW_LINE))
    new_wheel = release(repo, "0.2.0", work / "wheels")
    return Releases(install(old_wheel, work / "venv-old"), new_wheel)


def clean_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A machine with nothing of ours on it but uv's cache (PyPI is reached through it)."""
    env = {
        k: v for k, v in project_env().items() if not k.startswith(("SCAFFOLD_", "XDG_", "GIT_"))
    }
    cache = os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    return {
        **env,
        "HOME": str(home),
        "UV_CACHE_DIR": cache,
        "NO_PROXY": no_proxy,
        "no_proxy": no_proxy,
        **(extra or {}),
    }


def new_home(tmp_path: Path, name: str) -> Path:
    home = tmp_path / name
    home.mkdir()
    return home


def project_on_remote(releases: Releases, tmp_path: Path, ci: str) -> Path:
    """A project made by 0.1.0 with the user's own line in its README, pushed to a bare
    repository whose default branch is main; returns the bare repository."""
    env = clean_env(new_home(tmp_path, "home-dev"))
    sh(
        str(releases.old),
        "new",
        "fastapi",
        "svc",
        "--defaults",
        "--no-lock",
        "-d",
        f"ci={ci}",
        cwd=tmp_path,
        env=env,
    )
    project = tmp_path / "svc"
    readme = project / "README.md"
    description = yaml.safe_load((project / ".copier-answers.yml").read_text())["description"]
    assert readme.read_text().count(f"\n{description}\n") == 1
    readme.write_text(readme.read_text().replace(f"\n{description}\n", f"\n{USER_LINE}\n"))
    sh(*GIT, "commit", "--quiet", "-am", "Say what the service is", cwd=project, env=env)
    bare = tmp_path / "remote.git"
    sh("git", "init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    sh("git", "symbolic-ref", "HEAD", "refs/heads/main", cwd=bare)
    sh("git", "push", "--quiet", str(bare), "HEAD:refs/heads/main", cwd=project, env=env)
    return bare


def git_at(bare: Path, *args: str) -> str:
    return sh("git", *args, cwd=bare).strip()


# --- the forge's API -----------------------------------------------------------------------


@dataclass
class Forge:
    """GitHub's pulls or GitLab's merge_requests endpoints, in memory; records every request."""

    kind: str  # "github" or "gitlab"
    requests: list[dict[str, Any]] = field(default_factory=list)
    opened: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    @property
    def collection(self) -> str:
        if self.kind == "github":
            return "/repos/acme/svc/pulls"
        return "/api/v4/projects/42/merge_requests"

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        key = "number" if self.kind == "github" else "iid"
        link = "html_url" if self.kind == "github" else "web_url"
        if method == "GET" and path == self.collection:
            return 200, [request for request in self.opened if request["open"]]
        if method == "POST" and path == self.collection:
            opened = {**body, key: len(self.opened) + 1, "open": True}
            opened[link] = f"https://forge.test/acme/svc/{opened[key]}"
            self.opened.append(opened)
            return 201, opened
        found = re.fullmatch(rf"{re.escape(self.collection)}/(\d+)", path)
        if found and method == ("PATCH" if self.kind == "github" else "PUT"):
            existing = self.opened[int(found[1]) - 1]
            existing.update(body)
            return 200, existing
        return 404, {"message": "Not Found"}


@pytest.fixture
def forge_server() -> Iterator[Callable[[str], Forge]]:
    servers: list[ThreadingHTTPServer] = []

    def start(kind: str) -> Forge:
        forge = Forge(kind)

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                body = json.loads(raw) if raw else None
                forge.requests.append(
                    {
                        "method": self.command,
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status, answer = forge.answer(self.command, parts.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = _handle  # noqa: N815 (http.server names)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        forge.url = f"http://127.0.0.1:{server.server_address[1]}"
        return forge

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# --- the runners ---------------------------------------------------------------------------


def git_remote_through(url: str, bare: Path) -> dict[str, str]:
    """Git reaches the bare repository only through this URL (with its token)."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{bare}.insteadOf",
        "GIT_CONFIG_VALUE_0": url,
    }


def bash(script: str, cwd: Path, env: dict[str, str]) -> str:
    """A script as the runners run it: bash, stopping at the first failure."""
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, (
        f"{script}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result.stdout


def expression(text: str, contexts: dict[str, str]) -> str:
    """GitHub's `${{ a || 'b' }}`: the first operand that is set (contexts, quoted literals)."""

    def value(found: re.Match[str]) -> str:
        for operand in (part.strip() for part in found[1].split("||")):
            literal = re.fullmatch(r"'([^']*)'", operand)
            result = literal[1] if literal else contexts[operand]
            if result:
                return result
        return ""

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_github_workflow(
    bare: Path, tmp_path: Path, forge: Forge, contexts: dict[str, str]
) -> dict[str, str]:
    """One run of update.yml on a fresh runner; the printed output of each step run, by name."""
    run_dir = Path(sh("mktemp", "-d", "-p", str(tmp_path), cwd=tmp_path).strip())
    workspace = run_dir / "workspace"
    workflow_text = git_at(bare, "show", "main:.github/workflows/update.yml")
    (job,) = yaml.safe_load(workflow_text)["jobs"].values()
    temp, outputs_file, path_file = run_dir / "temp", run_dir / "output", run_dir / "path"
    temp.mkdir()
    env = clean_env(
        new_home(run_dir, "home"),
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_SERVER_URL": "https://github.test",
            "GITHUB_API_URL": forge.url,
            "GITHUB_REPOSITORY": "acme/svc",
            "GITHUB_REPOSITORY_OWNER": "acme",
            "RUNNER_TEMP": str(temp),
            "GITHUB_OUTPUT": str(outputs_file),
            "GITHUB_PATH": str(path_file),
            **git_remote_through(f"https://x-access-token:{TOKEN}@github.test/acme/svc.git", bare),
        },
    )
    env |= {k: expression(str(v), contexts) for k, v in job.get("env", {}).items()}
    outputs: dict[str, dict[str, str]] = {}
    printed: dict[str, str] = {}
    for step in job["steps"]:
        if "uses" in step:
            if step["uses"].startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
                assert expression(step["with"]["ref"], contexts) == "main"
                # checkout's default: the one commit; 0 is every branch with its history
                bare_checkout(bare, workspace, depth=int(step["with"].get("fetch-depth", 1)))
            if step["uses"].startswith("astral-sh/setup-uv"):
                env["UV_PYTHON"] = str(step["with"]["python-version"])
            continue
        if "if" in step:
            condition = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+) == '(\w+)'", step["if"])
            assert condition, f"a condition this test does not understand: {step['if']}"
            if outputs.get(condition[1], {}).get(condition[2]) != condition[3]:
                continue
        step_env = {
            **env,
            **{k: expression(str(v), contexts) for k, v in step.get("env", {}).items()},
        }
        outputs_file.write_text("")
        printed[step["name"]] = bash(step["run"], workspace, step_env)
        lines = outputs_file.read_text().splitlines()
        outputs[step.get("id", step["name"])] = dict(line.split("=", 1) for line in lines)
        for directory in path_file.read_text().splitlines() if path_file.exists() else []:
            env["PATH"] = f"{directory}:{env['PATH']}"
    assert TOKEN not in (workspace / ".git" / "config").read_text()  # never stored
    return printed


def bare_checkout(bare: Path, workspace: Path, depth: int = 0) -> Path:
    """main checked out from the remote, as a runner does: depth commits of main alone, or
    (0) every branch with its whole history."""
    shallow = ["--depth", str(depth), "--single-branch"] if depth else []
    source = f"file://{bare}"  # git makes shallow clones of URLs only
    sh(
        "git",
        "clone",
        "--quiet",
        *shallow,
        "--branch",
        "main",
        source,
        str(workspace),
        cwd=bare.parent,
    )
    return workspace


# --- GitHub --------------------------------------------------------------------------------


def test_github_workflow_opens_then_refreshes_one_pull_request(
    releases: Releases, tmp_path: Path, forge_server: Callable[[str], Forge]
) -> None:
    bare = project_on_remote(releases, tmp_path, "github")
    forge = forge_server("github")
    contexts = {
        "vars.SCAFFOLD_SPEC": str(releases.new_wheel),  # the repository variable, set
        "github.event.repository.default_branch": "main",
        "secrets.UPDATE_BOT_TOKEN": "",  # not set: the workflow's own token
        "github.token": TOKEN,
    }
    main = git_at(bare, "rev-parse", "main")

    printed = run_github_workflow(bare, tmp_path, forge, contexts)

    # The update is on the branch, with the conflict committed as it is, on top of main.
    pushed = git_at(bare, "rev-parse", BRANCH)
    assert git_at(bare, "rev-parse", f"{BRANCH}~1") == main
    readme = git_at(bare, "show", f"{BRANCH}:README.md")
    assert MARKER in readme and USER_LINE in readme and "docs/operations.md" in readme
    answers = yaml.safe_load(git_at(bare, "show", f"{BRANCH}:.copier-answers.yml"))
    assert answers["_commit"] == "v0.2.0"
    assert git_at(bare, "log", "-1", "--format=%an|%s", BRANCH) == (
        "github-actions[bot]|Update to scaffold 0.2.0"
    )
    # One list, then one pull request opened, whose body holds what update and check printed.
    assert [(r["method"], r["path"]) for r in forge.requests] == [
        ("GET", "/repos/acme/svc/pulls"),
        ("POST", "/repos/acme/svc/pulls"),
    ]
    listed, opened = forge.requests
    assert listed["query"] == {"state": ["open"], "head": [f"acme:{BRANCH}"]}
    assert all(r["headers"]["authorization"] == f"Bearer {TOKEN}" for r in forge.requests)
    body = opened["body"]
    assert (body["title"], body["head"], body["base"]) == (
        "Update to scaffold 0.2.0",
        BRANCH,
        "main",
    )
    update_output = printed["Update on a branch"].strip()
    assert update_output and update_output in body["body"]
    assert printed["Check for a newer version"].strip() in body["body"]
    assert "**Conflicts to resolve**" in body["body"] and "- `README.md`" in body["body"]

    # A week later, nothing new: the same commit, and the open pull request is refreshed.
    run_github_workflow(bare, tmp_path, forge, contexts)
    assert git_at(bare, "rev-parse", BRANCH) == pushed
    assert [(r["method"], r["path"]) for r in forge.requests[2:]] == [
        ("GET", "/repos/acme/svc/pulls"),
        ("PATCH", "/repos/acme/svc/pulls/1"),
    ]
    assert forge.requests[-1]["body"]["body"] == body["body"]
    assert len(forge.opened) == 1

    # Someone resolves the conflict on the branch: the next run leaves their commit alone.
    resolution = resolve_on_the_branch(bare, tmp_path / "resolve")
    requests = len(forge.requests)
    printed = run_github_workflow(bare, tmp_path, forge, contexts)
    assert "has commits by someone else" in printed["Update on a branch"]
    assert "Push the branch" not in printed
    assert git_at(bare, "rev-parse", BRANCH) == resolution
    assert len(forge.requests) == requests

    # Merged: the next run finds the project current and stops there.
    sh("git", "push", "--quiet", "origin", f"{BRANCH}:main", cwd=tmp_path / "resolve")
    printed = run_github_workflow(bare, tmp_path, forge, contexts)
    assert list(printed) == ["Install the latest scaffold", "Check for a newer version"]
    assert len(forge.requests) == requests
    assert git_at(bare, "rev-parse", BRANCH) == resolution


def resolve_on_the_branch(bare: Path, clone: Path) -> str:
    """What a person does in the pull request: take the update's side, commit, push."""
    bare_checkout(bare, clone)
    sh("git", "checkout", "--quiet", BRANCH, cwd=clone)
    lines = (clone / "README.md").read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    middle = next(i for i, line in enumerate(lines) if line.startswith("======="))
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    kept = lines[:start] + lines[middle + 1 : end] + lines[end + 1 :]
    (clone / "README.md").write_text("".join(kept))
    sh(*GIT, "commit", "--quiet", "-am", "Take the update's README", cwd=clone)
    sh("git", "push", "--quiet", "origin", f"HEAD:refs/heads/{BRANCH}", cwd=clone)
    return git_at(bare, "rev-parse", BRANCH)


# --- GitLab --------------------------------------------------------------------------------


def run_gitlab_job(bare: Path, tmp_path: Path, forge: Forge, wheel: Path) -> str:
    """One scheduled pipeline: the update job's script, in one shell as the runner runs it."""
    run_dir = Path(sh("mktemp", "-d", "-p", str(tmp_path), cwd=tmp_path).strip())
    pipeline = yaml.safe_load(git_at(bare, "show", "main:.gitlab-ci.yml"))
    job = pipeline["update"]
    # The runner fetches GIT_DEPTH commits (20 unless the job says) and checks out the commit.
    depth = int(job["variables"].get("GIT_DEPTH", 20))
    workspace = bare_checkout(bare, run_dir / "workspace", depth=depth)
    sh("git", "checkout", "--quiet", "--detach", cwd=workspace)
    assert runs_in(pipeline, job, "schedule") and not runs_in(pipeline, job, "push")
    others = [
        name
        for name, other in pipeline.items()
        if isinstance(other, dict) and "script" in other and name != "update"
    ]
    assert others and not any(runs_in(pipeline, pipeline[name], "schedule") for name in others)
    python = re.search(r"[:-]python(\d+\.\d+)-", job["image"])
    assert python, job["image"]
    env = clean_env(
        new_home(run_dir, "home"),
        {
            "CI": "true",
            "GITLAB_CI": "true",
            **{k: str(v) for k, v in {**pipeline.get("variables", {}), **job["variables"]}.items()},
            "UV_PYTHON": python[1],
            "CI_PIPELINE_SOURCE": "schedule",
            "CI_PROJECT_URL": "https://gitlab.test/acme/svc",
            "CI_API_V4_URL": f"{forge.url}/api/v4",
            "CI_PROJECT_ID": "42",
            "CI_COMMIT_REF_NAME": "main",
            "CI_DEFAULT_BRANCH": "main",
            "CI_SERVER_HOST": "gitlab.test",
            "GITLAB_USER_NAME": "Ada Admin",
            "GITLAB_USER_EMAIL": "ada@example.com",
            **git_remote_through(f"https://oauth2:{TOKEN}@gitlab.test/acme/svc.git", bare),
        },
    )
    # CI/CD variables of the project, which win over the file's: the token, the wheel to
    # install, and uv's cache on this machine.
    env |= {
        "SCAFFOLD_UPDATE_TOKEN": TOKEN,
        "SCAFFOLD_SPEC": str(wheel),
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
    }
    assert job["before_script"] == []
    printed = bash("\n".join(job["script"]), workspace, env)
    assert TOKEN not in (workspace / ".git" / "config").read_text()
    return printed


def test_gitlab_job_opens_then_refreshes_one_merge_request(
    releases: Releases, tmp_path: Path, forge_server: Callable[[str], Forge]
) -> None:
    bare = project_on_remote(releases, tmp_path, "gitlab")
    forge = forge_server("gitlab")
    main = git_at(bare, "rev-parse", "main")

    printed = run_gitlab_job(bare, tmp_path, forge, releases.new_wheel)

    pushed = git_at(bare, "rev-parse", BRANCH)
    assert git_at(bare, "rev-parse", f"{BRANCH}~1") == main
    readme = git_at(bare, "show", f"{BRANCH}:README.md")
    assert MARKER in readme and USER_LINE in readme and "docs/operations.md" in readme
    assert git_at(bare, "log", "-1", "--format=%an <%ae>", BRANCH) == (
        "Update bot <update-bot@gitlab.test>"
    )
    collection = "/api/v4/projects/42/merge_requests"
    assert [(r["method"], r["path"]) for r in forge.requests] == [
        ("GET", collection),
        ("POST", collection),
    ]
    listed, opened = forge.requests
    assert listed["query"] == {"state": ["opened"], "source_branch": [BRANCH]}
    assert all(r["headers"]["private-token"] == TOKEN for r in forge.requests)
    body = opened["body"]
    assert (body["source_branch"], body["target_branch"]) == (BRANCH, "main")
    assert body["title"] == "Update to scaffold 0.2.0"
    assert "**Conflicts to resolve**" in body["description"]
    assert "- `README.md`" in body["description"]
    assert "Opened https://forge.test/acme/svc/1" in printed
    # What update printed is in the description (it is between the check's and the link).
    update_output = printed.split("Opened")[0].strip().splitlines()[-1]
    assert update_output in body["description"]

    printed = run_gitlab_job(bare, tmp_path, forge, releases.new_wheel)
    assert git_at(bare, "rev-parse", BRANCH) == pushed
    assert [(r["method"], r["path"]) for r in forge.requests[2:]] == [
        ("GET", collection),
        ("PUT", f"{collection}/1"),
    ]
    assert forge.requests[-1]["body"]["description"] == body["description"]
    assert "Refreshed https://forge.test/acme/svc/1" in printed
    assert len(forge.opened) == 1

    # Someone resolves the conflict on the branch: the next run leaves their commit alone.
    resolution = resolve_on_the_branch(bare, tmp_path / "resolve")
    requests = len(forge.requests)
    printed = run_gitlab_job(bare, tmp_path, forge, releases.new_wheel)
    assert f"{BRANCH} has commits by someone else: left as it is" in printed
    assert git_at(bare, "rev-parse", BRANCH) == resolution
    assert len(forge.requests) == requests
