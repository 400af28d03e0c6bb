"""scaffold diff: the template's change between two releases, rendered with a project's answers.

The history (tests/unit/test_update.py) has two releases: 0.2.0 changes app.py and
config.yml, adds added.txt, removes old.txt and renames the greeting question (greeting.txt
goes, salutation.txt comes).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.generate import new_project
from scaffold.source import SOURCE_ENV, bundle_source
from scaffold.template_diff import known_versions, template_diff
from tests.answers import text
from tests.unit.test_update import History, git, make_history, release_v2


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> History:
    made = make_history(tmp_path_factory.mktemp("history"))
    release_v2(made)
    return made


@pytest.fixture
def installed(two_releases: History, monkeypatch: pytest.MonkeyPatch) -> History:
    """scaffold as installed with both releases: its templates are the bundle's 0.2.0."""
    monkeypatch.setenv(SOURCE_ENV, str(two_releases.bundle))
    return two_releases


def make_project(history: History, where: Path, **answers: str) -> Path:
    source = bundle_source(history.bundle, url=str(history.bundle), ref="v0.1.0")
    return new_project(
        where / "proj", framework="fastapi", answers=answers, defaults=True, source=source
    ).path


def fingerprint(*roots: Path) -> dict[str, str]:
    """Every file under the roots (a git directory included) with its content's hash."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for root in roots
        for path in ([root] if root.is_file() else sorted(root.rglob("*")))
        if path.is_file()
    }


def section(diff: str, old_path: str) -> list[str]:
    """The lines of one file's part of the diff, found by its path before the change."""
    (part,) = [p for p in diff.split("diff --git ")[1:] if p.startswith(f"a/{old_path} ")]
    return part.splitlines()


def test_the_change_between_the_project_and_the_installed_version(
    installed: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(installed, tmp_path)
    before = fingerprint(project, installed.repo, installed.bundle)
    monkeypatch.chdir(project)  # run inside the project, as users do
    result = CliRunner().invoke(app, ["diff"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    out = result.stdout
    assert "diff --git a/app.py b/app.py\n" in out
    assert "-line 10\n+line 10 improved\n" in out
    assert "-workers: 2\n+workers: 4\n" in out
    assert "--- /dev/null\n+++ b/added.txt\n@@ -0,0 +1 @@\n+new in 0.2.0\n" in out
    assert "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a file 0.2.0 drops\n" in out
    # The default greeting is the default salutation: the same file under a new name.
    assert "rename from greeting.txt\nrename to salutation.txt\n" in out
    assert "\n-_commit: v0.1.0\n" in out and "\n+_commit: v0.2.0\n" in out
    assert "+++ b/.env" not in out  # ignored by the project's git, as its secrets are
    assert "scaffold-" not in out  # no temporary directory of the renders shows
    assert f" _src_path: {installed.bundle}\n" in out  # the source the project records
    assert result.stderr.strip() == "the template's change from v0.1.0 to v0.2.0"
    assert fingerprint(project, installed.repo, installed.bundle) == before


def test_versions_can_be_named_either_way_round(installed: History, tmp_path: Path) -> None:
    project = make_project(installed, tmp_path)
    backwards = CliRunner().invoke(app, ["diff", "0.2.0", "v0.1.0", "--project", str(project)])
    assert backwards.exit_code == 0, backwards.output
    assert "-line 10 improved\n+line 10\n" in backwards.stdout
    assert "--- a/added.txt\n+++ /dev/null\n" in backwards.stdout
    same = CliRunner().invoke(app, ["diff", "v0.1.0", "v0.1.0", "--project", str(project)])
    assert same.exit_code == 0
    assert same.stdout == ""
    assert same.stderr.strip() == "no change from v0.1.0 to v0.1.0"


def test_an_unknown_version_exits_2_listing_the_known_ones(
    installed: History, tmp_path: Path
) -> None:
    project = make_project(installed, tmp_path)
    for args in (["0.9.0"], ["v0.1.0", "main"]):
        result = CliRunner().invoke(app, ["diff", *args, "--project", str(project)])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            f"scaffold: error: unknown template version {args[-1]!r}; "
            "known versions: v0.1.0, v0.2.0"
        ]


def test_outside_a_project_it_says_so(installed: History, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", "--project", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a generated project" in result.stderr


def test_a_checkout_knows_its_releases_by_version(two_releases: History) -> None:
    from scaffold.source import TemplateSource

    checkout = TemplateSource(url=str(two_releases.repo), root=two_releases.repo, vcs_ref="HEAD")
    releases = known_versions(checkout)
    assert list(releases) == ["v0.1.0", "v0.2.0"]
    head = git(two_releases.repo, "rev-parse", "HEAD").strip()
    assert releases["v0.2.0"] == head


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example renders three times
)
@given(greeting=text.filter(lambda drawn: drawn != "hello"))
def test_the_project_answers_are_rendered(two_releases: History, greeting: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(two_releases, Path(tmp), greeting=greeting)
        source = bundle_source(two_releases.bundle, url=str(two_releases.bundle), ref="v0.2.0")
        result = template_diff(project, source=source)
        assert (result.from_version, result.to_version) == ("v0.1.0", "v0.2.0")
        # greeting.txt goes (or becomes salutation.txt, when git finds them alike).
        assert "-" + greeting in section(result.diff, "greeting.txt")


def test_a_checkout_renders_its_working_tree_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.source import TemplateSource

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    history = make_history(tmp_path)
    release_v2(history)
    project = make_project(history, tmp_path)
    app_py = history.repo / "templates/fastapi/app.py"
    app_py.write_text(app_py.read_text() + "line 13, not committed\n")
    checkout = TemplateSource(url=str(history.repo), root=history.repo, vcs_ref="HEAD")
    before = git(history.repo, "status", "--porcelain")
    working = template_diff(project, source=checkout)
    assert "+line 13, not committed\n" in working.diff
    assert "+line 10 improved\n" in working.diff
    released = template_diff(project, "v0.1.0", "0.2.0", source=checkout)
    assert "not committed" not in released.diff
    assert "+line 10 improved\n" in released.diff
    assert git(history.repo, "status", "--porcelain") == before  # the checkout is only read
