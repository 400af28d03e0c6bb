"""The files each option adds are valid for the tools that read them, checked offline:
hadolint (Dockerfile), actionlint with shellcheck (GitHub workflows), JSON schemas (GitHub
workflows, GitLab CI, compose), shellcheck (the GitLab update job's script),
kubernetes-validate (manifests) and pre-commit (its own config)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scaffold.catalog import load_catalog
from scaffold.generate import new_project
from tests.support import REPO, tool

FRAMEWORKS = tuple(load_catalog(REPO).frameworks)
# Two projects per framework cover every file: GitHub with the defaults, then GitLab with
# PostgreSQL, Celery and Kubernetes (compose then has every service).
OPTIONS = {
    "github": {},
    "gitlab": {
        "ci": "gitlab",
        "database": "postgresql",
        "background_tasks": "celery",
        "kubernetes": True,
    },
}


def check(project: Path, *command: str) -> None:
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize("variant", OPTIONS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_option_files_are_valid(framework: str, variant: str, tmp_path: Path) -> None:
    project = new_project(
        tmp_path / "svc", framework=framework, answers=OPTIONS[variant], defaults=True, lock=False
    ).path  # a git repository: actionlint wants one
    check(project, tool("hadolint"), "--failure-threshold", "info", "Dockerfile")
    check(
        project, tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "compose.yaml"
    )
    check(project, tool("pre-commit"), "validate-config", ".pre-commit-config.yaml")
    if variant == "github":
        workflows = project / ".github" / "workflows"
        assert {p.name for p in workflows.glob("*.yml")} == {"ci.yml", "update.yml"}
        check(project, tool("actionlint"), "-shellcheck", tool("shellcheck"))
        # The update job: weekly and on demand, nothing granted but what it needs.
        update = yaml.safe_load((workflows / "update.yml").read_text())
        assert set(update[True]) == {"schedule", "workflow_dispatch"}  # YAML 1.1 reads on: as True
        assert update["permissions"] == {}
        (job,) = update["jobs"].values()
        assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
        checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["persist-credentials"] is False
        check(
            project,
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, (project / ".github" / "workflows").glob("*.yml")),
        )
        check(
            project,
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.dependabot",
            ".github/dependabot.yml",
        )
        # Every action is pinned by a full commit, with its version in a comment.
        for workflow in (project / ".github" / "workflows").glob("*.yml"):
            for uses in re.findall(r"uses: (\S+)(.*)", workflow.read_text()):
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses[0]), uses
                assert re.fullmatch(r"\s+# v\d+(\.\d+)*", uses[1]), uses
    else:
        check(
            project,
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.gitlab-ci",
            ".gitlab-ci.yml",
        )
        # The update job's script, as the runner's bash runs it (actionlint does the same
        # for the GitHub workflows' run steps).
        update = yaml.safe_load((project / ".gitlab-ci.yml").read_text())["update"]
        script = project / "update-job.sh"
        script.write_text("#!/bin/bash\nset -eo pipefail\n" + "\n".join(update["script"]))
        check(project, tool("shellcheck"), str(script))
        manifests = sorted(
            str(p) for p in (project / "k8s").glob("*.yaml") if p.name != "kustomization.yaml"
        )
        assert manifests, "no Kubernetes manifests"
        check(project, tool("kubernetes-validate"), "--strict", "--quiet", *manifests)
