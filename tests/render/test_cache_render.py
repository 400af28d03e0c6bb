"""The cache option (issue 15): `none` renders no cache, `redis` renders the module, its
dependencies, its tests, CACHE_URL and one Redis service (shared with Celery), in every
framework."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffold.catalog import load_catalog
from tests.render.rendered import compose, dependency_names, render, texts
from tests.support import REPO

CATALOG = load_catalog(REPO)
# Every file the cache touches: compose, Kubernetes, CI.
DELIVERY = {"docker": True, "kubernetes": True, "ci": "github"}
# The library of each framework's cache idiom, as the project imports it.
IDIOM = {
    "django": "django.core.cache.backends.redis.RedisCache",
    "fastapi": "class RedisStore",
    "flask": "from flask_caching import Cache as FlaskCaching",
    "pyramid": "class RedisStore",
}


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_no_cache_renders_no_cache(framework: str, tmp_path: Path) -> None:
    project = render(tmp_path, framework, {**DELIVERY, "cache": "none"})
    for name, text in texts(project).items():
        for word in ("CACHE_URL", "cache.py", "flask_caching", "RedisCache", "## Cache"):
            assert word not in text, f"{name} mentions {word}"
    assert not (project / "src" / "sample_app" / "cache.py").exists()
    assert not (project / "tests" / "test_cache.py").exists()
    assert "redis" not in dependency_names(project)
    assert "redis" not in compose(project)["services"]


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_redis_renders_the_module_its_dependencies_and_configuration(
    framework: str, tmp_path: Path
) -> None:
    project = render(tmp_path, framework, {**DELIVERY, "cache": "redis"})
    files = texts(project)
    module = files["src/sample_app/cache.py"]
    assert "def check_cache(url: str) -> None:" in module
    assert "SOCKET_TIMEOUT_SECONDS = 0.25" in module
    assert IDIOM[framework] in "\n".join(files.values())
    assert (
        "def test_a_second_read_of_the_list_is_served_from_the_cache("
        in files["tests/test_cache.py"]
    )
    assert '"cache": ' in files["src/sample_app/health.py"]

    names = dependency_names(project)
    assert "redis" in names
    assert ("flask-caching" in names) == (framework == "flask")
    assert not any(name.startswith("celery") for name in names)

    assert "## Cache" in files["README.md"]
    assert "CACHE_URL=redis://localhost:6379/0" in files[".env.example"].splitlines()
    # The cache's Redis is the one service compose adds, and the app waits for it.
    services = compose(project)["services"]
    assert "redis" in services
    assert "worker" not in services
    assert services["app"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert services["app"]["environment"]["CACHE_URL"] == "redis://redis:6379/0"
    configmap = yaml.safe_load((project / "k8s" / "configmap.yaml").read_text())
    assert configmap["data"]["CACHE_URL"] == "redis://redis:6379/0"
    # The project's CI runs its cache tests against a Redis service.
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    assert "redis" in workflow["jobs"]["checks"]["services"]


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_with_celery_the_cache_shares_its_redis(framework: str, tmp_path: Path) -> None:
    project = render(
        tmp_path, framework, {**DELIVERY, "cache": "redis", "background_tasks": "celery"}
    )
    services = compose(project)["services"]
    assert [name for name in services if "redis" in name] == ["redis"]
    environment = services["app"]["environment"]
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    # Unset, CACHE_URL takes REDIS_URL's value (settings.py): one variable, one Redis.
    assert "CACHE_URL" not in environment
    configmap = yaml.safe_load((project / "k8s" / "configmap.yaml").read_text())
    assert "CACHE_URL" not in configmap["data"]
    module = "settings/__init__.py" if framework == "django" else "settings.py"
    settings = (project / "src" / "sample_app" / module).read_text()
    assert "self.cache_url = self.redis_url" in settings
    assert "CACHE_URL=" in (project / ".env.example").read_text().splitlines()
