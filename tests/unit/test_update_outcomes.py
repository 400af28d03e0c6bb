"""What an update does to each file, and says: renames, kept files, the summary, --diff.

Release 0.2.0 of this history moves three files (one the user edits far from the template's
change, one the user edits on the same line, one untouched) and drops k8s/hpa.yaml, which
the user changed and which the new kustomization.yaml no longer lists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.source import SOURCE_ENV
from tests.unit.test_update import History, edit, generate, git, make_history, write

SERVICE_V1 = "".join(f"service line {n}\n" for n in range(1, 15))
SERVICE_V2 = SERVICE_V1.replace("service line 12\n", "service line 12 improved\n")
GUIDE_V1 = "".join(f"guide line {n}\n" for n in range(1, 11))
GUIDE_V2 = GUIDE_V1.replace("guide line 3\n", "guide line 3 from the template\n")
SCRIPT = "#!/bin/sh\necho one\necho two\necho three\n"
KUSTOMIZATION_V1 = "resources:\n  - deployment.yaml\n  - hpa.yaml\n"
KUSTOMIZATION_V2 = "resources:\n  - deployment.yaml\n"
HPA = "kind: HorizontalPodAutoscaler\nminReplicas: 2\nmaxReplicas: 5\n"
V1 = {
    "src/service.py": SERVICE_V1,
    "docs/guide.md": GUIDE_V1,
    "tools/run.sh": SCRIPT,
    "k8s/kustomization.yaml": KUSTOMIZATION_V1,
    "k8s/hpa.yaml": HPA,
    "k8s/deployment.yaml": "kind: Deployment\nreplicas: 1\n",
}


def release_moves(history: History) -> None:
    move_files(history)
    history.release("0.2.0")


def move_files(history: History) -> None:
    """The template changes of release_moves, not yet released (and a new question)."""
    questions = history.repo / "templates/_shared/questions/test.yml"
    questions.write_text(questions.read_text() + "colour:\n  type: str\n  default: blue\n")
    tpl = history.repo / "templates" / "fastapi"
    write(
        tpl,
        {
            "colour.txt.jinja": "{{ colour }}\n",
            "src/service.py": None,
            "src/notes/service.py": SERVICE_V2,
            "docs/guide.md": None,
            "guide/index.md": GUIDE_V2,
            "tools/run.sh": None,
            "scripts/run.sh": SCRIPT,
            "k8s/hpa.yaml": None,
            "k8s/kustomization.yaml": KUSTOMIZATION_V2,
        },
    )


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    made = make_history(tmp_path, extra=V1)
    monkeypatch.setenv(SOURCE_ENV, str(made.bundle))
    return made


def status(project: Path) -> list[str]:
    out = git(project, "status", "--porcelain", "--untracked-files=all", "--no-renames")
    return sorted(out.splitlines())


def summary_lines(output: str) -> list[str]:
    """The per-file lines of the summary (after --diff's diff, if any)."""
    lines = output.splitlines()
    start = max(i for i, line in enumerate(lines) if re.match(r"(Would u|U)pdated? from", line))
    return [line.strip() for line in lines[start:] if line.startswith("  ")]


def user_edits(project: Path, *, conflicting: bool) -> None:
    edit(project, "src/service.py", "service line 2\n", "service line 2 mine\n")
    edit(project, "k8s/hpa.yaml", "minReplicas: 2", "minReplicas: 3")
    if conflicting:
        edit(project, "docs/guide.md", "guide line 3\n", "guide line 3 as I like it\n")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "my edits")


def test_edits_follow_moved_files_and_the_summary_lists_every_file(
    history: History, tmp_path: Path
) -> None:
    project = generate(tmp_path)
    user_edits(project, conflicting=False)
    release_moves(history)

    result = CliRunner().invoke(app, ["update", str(project)])

    assert result.exit_code == 0, (result.stdout, result.stderr)
    service = (project / "src/notes/service.py").read_text()
    assert "service line 2 mine\n" in service and "service line 12 improved\n" in service
    assert not (project / "src/service.py").exists()  # its edit lives at the new path
    assert (project / "guide/index.md").read_text() == GUIDE_V2
    assert (project / "scripts/run.sh").read_text() == SCRIPT
    assert not (project / "tools").exists()
    assert (project / "k8s/hpa.yaml").read_text() == HPA.replace("2", "3", 1)
    assert summary_lines(result.stdout) == [
        "renamed     docs/guide.md -> guide/index.md",
        "renamed     tools/run.sh -> scripts/run.sh",
        "renamed     src/service.py -> src/notes/service.py",
        "changed     .copier-answers.yml",
        "changed     k8s/kustomization.yaml",
        "added       colour.txt",
        "kept        k8s/hpa.yaml; k8s/kustomization.yaml no longer refers to it",
    ]
    # The new question is answered with its default and recorded.
    assert (project / "colour.txt").read_text() == "blue\n"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["colour"] == "blue"
    # The count is what git status shows: a rename is a removal and an addition; the kept
    # file did not change.
    seen = status(project)
    assert len(seen) == 9, seen
    assert f"{len(seen)} file(s) changed." in result.stdout
    assert "Updated from template version v0.1.0 to v0.2.0" in result.stdout
    assert "git add -A && git diff --cached" in result.stdout


def test_a_conflict_in_a_moved_file_names_both_paths_and_exits_1(
    history: History, tmp_path: Path
) -> None:
    project = generate(tmp_path)
    user_edits(project, conflicting=True)
    release_moves(history)

    result = CliRunner().invoke(app, ["update", str(project)])

    assert result.exit_code == 1, (result.stdout, result.stderr)
    guide = (project / "guide/index.md").read_text()
    assert "<<<<<<< before updating: docs/guide.md (yours)\nguide line 3 as I like it\n" in guide
    assert "=======\nguide line 3 from the template\n>>>>>>> after updating: guide/index.md\n" in (
        guide
    )
    assert not (project / "docs/guide.md").exists()
    assert (
        "conflicted  docs/guide.md -> guide/index.md; your edit of docs/guide.md conflicts at "
        "guide/index.md" in summary_lines(result.stdout)
    )
    assert result.stderr.strip() == (
        "scaffold: error: update left conflicts in 1 file(s): guide/index.md; "
        "resolve the <<<<<<< blocks, then commit"
    )


def test_diff_is_the_update_file_for_file(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    user_edits(project, conflicting=True)
    release_moves(history)
    head = git(project, "rev-parse", "HEAD")

    preview = CliRunner().invoke(app, ["update", str(project), "--diff"])

    assert preview.exit_code == 1, (preview.stdout, preview.stderr)  # the update would conflict
    assert "would leave conflicts in 1 file(s): guide/index.md" in preview.stderr
    assert status(project) == [] and git(project, "rev-parse", "HEAD") == head
    assert "Would update from template version v0.1.0 to v0.2.0" in preview.stdout
    # Kept files are shown as kept, never as deleted.
    assert "diff --git a/k8s/hpa.yaml" not in preview.stdout
    assert "kept        k8s/hpa.yaml" in preview.stdout

    real = CliRunner().invoke(app, ["update", str(project)])

    assert real.exit_code == 1
    assert summary_lines(preview.stdout) == summary_lines(real.stdout)
    git(project, "add", "--all")
    diff = git(project, "diff", "--cached", "--no-color", "--no-renames", "HEAD")
    assert preview.stdout.startswith(diff)


def test_switching_an_option_without_a_new_version_says_so(
    history: History, tmp_path: Path
) -> None:
    project = generate(tmp_path)
    result = CliRunner().invoke(app, ["update", str(project), "-d", "database=postgresql"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    first = result.stdout.splitlines()[0]
    assert first.startswith("Applied database=postgresql on template version v0.1.0: ")
    assert "from v0.1.0 to v0.1.0" not in result.stdout
    assert result.stdout.splitlines()[1:2] == ["  changed     .copier-answers.yml"]


def test_check_and_update_exit_codes(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    assert CliRunner().invoke(app, ["check", str(project)]).exit_code == 0
    release_moves(history)
    behind = CliRunner().invoke(app, ["check", str(project)])
    assert behind.exit_code == 1 and "an update is available" in behind.stdout
    (project / "stray.txt").write_text("uncommitted\n")
    refused = CliRunner().invoke(app, ["update", str(project)])
    assert refused.exit_code == 2 and "uncommitted changes (stray.txt)" in refused.stderr
    bad = CliRunner().invoke(app, ["update", str(project), "-d", "database=oracle"])
    assert bad.exit_code == 2 and "database" in bad.stderr
    for command in ("check", "update"):
        helped = CliRunner().invoke(app, [command, "--help"])
        assert re.search(r"Exit codes:\s+0 ", helped.stdout), helped.stdout


def test_the_old_version_is_rendered_once(
    history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old render copier makes for its merge is the one scaffold reads (speed)."""
    import scaffold.workcopy

    def render_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the old version was rendered a second time")

    monkeypatch.setattr(scaffold.workcopy, "render_version", render_again)
    project = generate(tmp_path)
    user_edits(project, conflicting=False)
    release_moves(history)
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert "renamed     src/service.py -> src/notes/service.py" in result.stdout
