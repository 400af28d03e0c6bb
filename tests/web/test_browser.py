"""The picker in a real browser: Debian's chromium driven by its chromedriver (Selenium).

The page is served by a real `scaffold web` process on 127.0.0.1 (a free port). The test picks
Django with PostgreSQL, sees Django's `api` question appear, opens a file in the preview, takes
the share link to a new window and finds the same answers there. Screenshots (desktop and
phone width) go to $SCAFFOLD_ARTIFACTS or tests/artifacts/, printed at the end. The time from
each change on the page to its updated preview is measured by the page and printed.
"""

from __future__ import annotations

import os
import select
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaffold.source import SOURCE_ENV
from tests.support import REPO

CHROMIUM = os.environ.get("SCAFFOLD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SCAFFOLD_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(os.environ.get("SCAFFOLD_ARTIFACTS", REPO / "tests" / "artifacts"))
TIMEOUT = 90  # seconds for one preview on a busy 2-core machine


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `scaffold web --port 0` process; its address from the line it prints when ready.

    It serves a clean clone of the templates, as an installed release serves its bundle (a
    checkout with uncommitted changes is snapshotted for every render, which no user waits for).
    """
    template = tmp_path_factory.mktemp("web") / "template"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(template)], check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "web", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, SOURCE_ENV: str(template)},
    )
    assert process.stderr is not None
    try:
        deadline, url = time.monotonic() + TIMEOUT, ""
        while not url and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 1)
            line = process.stderr.readline() if ready else ""
            if "serving http://" in line:
                url = line.split("serving ")[1].split()[0]
            assert process.poll() is None, f"scaffold web exited: {line}"
        assert url.startswith("http://127.0.0.1:"), "scaffold web never said where it serves"
        yield url
    finally:
        process.terminate()
        code = process.wait(timeout=30)
        rest = process.stderr.read()
        process.stderr.close()
        # Stopped by SIGTERM, as the CLI reports a stop: 143, one line, no traceback.
        assert code == 143, rest
        assert "Traceback" not in rest, rest


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test needs chromium under CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--disable-gpu",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: Any, condition: Any, what: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT, poll_frequency=0.1).until(condition, what)


def preview_count(driver: Any) -> int:
    return int(driver.execute_script("return window.previewTimes.length"))


def change_and_wait(driver: Any, action: Any) -> None:
    """Do one change on the page, then wait for the preview that shows it."""
    before = preview_count(driver)
    action()
    wait(driver, lambda d: preview_count(d) > before, "an updated preview")


def value(driver: Any, element_id: str) -> str:
    return str(driver.find_element("id", element_id).get_attribute("value"))


def test_pick_preview_share_in_chromium(page_url: str, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get(page_url)
    wait(driver, lambda d: preview_count(d) >= 1, "the first preview")
    api = driver.find_element("id", "field-api")
    assert not api.is_displayed()  # FastAPI is the default: Django's question is not asked

    django = driver.find_element("css selector", "input[name=framework][value=django]")
    change_and_wait(driver, lambda: django.send_keys(Keys.SPACE))  # by keyboard
    assert api.is_displayed()
    database = Select(driver.find_element("id", "q-database"))
    change_and_wait(driver, lambda: database.select_by_value("postgresql"))
    change_and_wait(
        driver, lambda: Select(driver.find_element("id", "q-api")).select_by_value("drf")
    )
    # Kubernetes, then no container: the Kubernetes question goes, and its answer with it.
    kubernetes = driver.find_element("id", "q-kubernetes")
    change_and_wait(driver, kubernetes.click)
    docker = driver.find_element("id", "q-docker")
    change_and_wait(driver, docker.click)
    assert not kubernetes.is_displayed()
    change_and_wait(driver, docker.click)
    assert not kubernetes.is_selected()
    folder = driver.find_element("id", "dest")
    change_and_wait(driver, lambda: folder.send_keys("blog"))

    pyproject = driver.find_element("css selector", "#tree button[data-path='pyproject.toml']")
    pyproject.click()
    wait(driver, lambda d: d.find_element("id", "file-title").text == "pyproject.toml", "the file")
    code = driver.find_element("css selector", "#file code")
    assert "psycopg" in code.text and "djangorestframework" in code.text
    assert code.find_elements("css selector", ".hl-s")  # highlighted in the page

    # A validator's message, live, as the CLI's prompt shows it; then fixed again.
    name = driver.find_element("id", "q-package_name")
    name.clear()
    name.send_keys("import")
    wait(driver, lambda d: "keyword" in d.find_element("id", "error-package_name").text, "error")
    assert driver.find_element("id", "download").get_attribute("disabled")
    change_and_wait(driver, lambda: (name.clear(), name.send_keys("blog_app")))
    assert "--data package_name=blog_app" in value(driver, "command")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    desktop = ARTIFACTS / "scaffold-web-desktop.png"
    driver.save_screenshot(str(desktop))
    times = driver.execute_script("return window.previewTimes")[1:]  # the first is the load

    driver.find_element("id", "copy-command").click()
    wait(driver, lambda d: d.find_element("id", "status").text == "Copied.", "copied")

    share = value(driver, "share")
    assert "database=postgresql" in share and "secret" not in share.lower()
    command = value(driver, "command")
    assert command.startswith("scaffold new django blog --defaults")
    driver.switch_to.new_window("window")
    driver.get(share)
    wait(driver, lambda d: preview_count(d) >= 1, "the shared page's preview")
    assert driver.find_element("css selector", "input[value=django]").is_selected()
    assert (
        Select(driver.find_element("id", "q-database")).first_selected_option.get_attribute("value")
        == "postgresql"
    )
    assert (
        Select(driver.find_element("id", "q-api")).first_selected_option.get_attribute("value")
        == "drf"
    )
    assert value(driver, "q-package_name") == "blog_app"
    assert value(driver, "dest") == "blog"
    assert value(driver, "command") == command

    driver.set_window_size(390, 844)  # a phone
    phone = ARTIFACTS / "scaffold-web-phone.png"
    driver.save_screenshot(str(phone))
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"

    timing = (
        f"change -> updated preview: median {statistics.median(times):.0f} ms "
        f"(min {min(times):.0f}, max {max(times):.0f}, n={len(times)})"
    )
    (ARTIFACTS / "scaffold-web-timing.txt").write_text(timing + "\n")
    print(f"\nscreenshots: {desktop} {phone}\n{timing}")  # shown with -s -n 0; also in the file
