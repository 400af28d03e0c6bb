"""The tracing option (issue 15): `none` renders no trace of OpenTelemetry, `opentelemetry`
renders the module, its dependencies, its tests and its configuration, in every framework."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.catalog import load_catalog
from tests.render.rendered import compose, dependency_names, render, texts
from tests.support import REPO

CATALOG = load_catalog(REPO)
# Every option whose files tracing touches, on.
WITH_EVERYTHING = {"docker": True, "kubernetes": True, "background_tasks": "celery"}


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_no_tracing_renders_no_opentelemetry(framework: str, tmp_path: Path) -> None:
    project = render(tmp_path, framework, {**WITH_EVERYTHING, "tracing": "none"})
    for name, text in texts(project).items():
        for word in ("opentelemetry", "OTEL_", "trace_id", "tracing.py", "otel-collector"):
            assert word.lower() not in text.lower(), f"{name} mentions {word}"
    assert not (project / "src" / "sample_app" / "tracing.py").exists()
    assert not (project / "tests" / "test_tracing.py").exists()


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_opentelemetry_renders_the_module_its_dependencies_and_configuration(
    framework: str, tmp_path: Path
) -> None:
    project = render(tmp_path, framework, {**WITH_EVERYTHING, "tracing": "opentelemetry"})
    module = (project / "src" / "sample_app" / "tracing.py").read_text()
    assert "def setup_tracing() -> TracerProvider:" in module
    assert (project / "tests" / "test_tracing.py").is_file()
    assert "from opentelemetry import trace" in (project / "src/sample_app/logging.py").read_text()

    names = dependency_names(project)
    assert {
        "opentelemetry-api",
        "opentelemetry-sdk",
        "opentelemetry-exporter-otlp-proto-http",
        f"opentelemetry-instrumentation-{framework}",
        "opentelemetry-instrumentation-urllib",
        "opentelemetry-instrumentation-celery",
    } <= names
    driver = "sqlite3" if framework == "django" else "sqlalchemy"
    assert f"opentelemetry-instrumentation-{driver}" in names
    # One exporter, over HTTP: no gRPC (grpcio) in the project.
    assert not any("grpc" in name for name in names)

    readme = (project / "README.md").read_text()
    assert "## Tracing" in readme
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" in readme
    example = (project / ".env.example").read_text().splitlines()
    assert "# OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318" in example
    assert "# OTEL_SERVICE_NAME=sample-app" in example

    services = compose(project)["services"]
    assert services["otel-collector"]["profiles"] == ["tracing"]
    # Only the collector is behind a profile: a plain `docker compose up` starts what it did.
    assert [name for name, service in services.items() if "profiles" in service] == [
        "otel-collector"
    ]
    configmap = yaml.safe_load((project / "k8s" / "configmap.yaml").read_text())
    assert configmap["data"]["OTEL_SERVICE_NAME"] == "sample-app"
    assert configmap["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == ""


def test_django_with_postgresql_traces_psycopg(tmp_path: Path) -> None:
    project = render(tmp_path, "django", {"tracing": "opentelemetry", "database": "postgresql"})
    names = dependency_names(project)
    assert "opentelemetry-instrumentation-psycopg" in names
    assert "opentelemetry-instrumentation-sqlite3" not in names
    assert "PsycopgInstrumentor()" in (project / "src/sample_app/tracing.py").read_text()
