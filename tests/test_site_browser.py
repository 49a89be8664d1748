"""The documentation site, as a reader sees it in a real browser.

The site is built with `mkdocs build --strict`, served on the loopback interface, and opened
in headless Debian Chromium through Selenium. The test checks that the generated matrix and
comparison pages show the cells and citations the engine gives, and that ```rules code is
highlighted; it saves full-page screenshots under `test-artifacts/` for review.

Without /usr/bin/chromium and /usr/bin/chromedriver (Debian's `chromium` and
`chromium-driver`) the test is skipped, unless the environment variable CI is set: then it
fails, so that CI cannot skip it silently. `./scripts/test.sh` installs both when it can.
"""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.bundle import load_bundle
from engine.interfaces.site.build import DOCS_AS_OF
from engine.presentation.wording import (
    HOME_LICENCE,
    ROUTE_LABEL,
    VERDICT_LABEL,
    cell_counts_text,
    column_label,
    row_label,
)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Flags that keep Chromium off the network: it is driven over loopback only.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1600,1000",
)
BUILD_TIMEOUT = 300  # seconds for `mkdocs build`
SERVE_TIMEOUT = 20  # seconds for the HTTP server to answer
PAGE_TIMEOUT = 30  # seconds for a page to load in the browser
SCREENSHOT_LIMIT = 16000  # CSS pixels: Chromium's capture stops near this height anyway


def _browser_or_skip() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = (
        f"{' and '.join(missing)} missing: install Debian's chromium and chromium-driver "
        "(./scripts/test.sh does so when run as root)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser test cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVE_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the HTTP server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the HTTP server did not answer at {url} within {SERVE_TIMEOUT}s")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The base URL of the freshly built site, served on 127.0.0.1."""
    _browser_or_skip()
    with tempfile.TemporaryDirectory(prefix="jawaz-site-") as out:
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", out],
            cwd=ROOT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            check=True,
            timeout=BUILD_TIMEOUT,
        )
        port = _free_port()
        serve = ["http.server", str(port), "--bind", "127.0.0.1", "--directory", out]
        server = subprocess.Popen(
            [sys.executable, "-m", *serve],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}/"
            _wait_until_serving(base, server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    """Headless Chromium, with a fresh profile, driven by Selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="jawaz-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        # An explicit driver path: Selenium Manager must not try to download one.
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.set_page_load_timeout(PAGE_TIMEOUT)
            driver.set_script_timeout(PAGE_TIMEOUT)
            yield driver
        finally:
            driver.quit()


def _open(driver: Any, url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, PAGE_TIMEOUT).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    assert driver.find_elements(By.CSS_SELECTOR, "article h1"), f"no page at {url}"


def _screenshot(driver: Any, name: str) -> Path:
    """Save a full-page PNG of the current page under test-artifacts/."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {
                "x": 0,
                "y": 0,
                "width": width,
                "height": min(height, SCREENSHOT_LIMIT),
                "scale": 1,
            },
        },
    )
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 0
    return path


def _text(element: Any) -> str:
    """An element's text with whitespace (including <br> breaks) collapsed."""
    raw: str = element.get_property("innerText")
    return re.sub(r"\s+", " ", raw).strip()


def _table_after(driver: Any, heading_id: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//h2[@id='{heading_id}']/following::table[1]")


def _cell(table: Any, row_label: str, column: int) -> Any:
    from selenium.webdriver.common.by import By

    for row in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if _text(cells[0]) == row_label:
            return cells[column]
    raise AssertionError(f"no row {row_label!r}")


def test_status_quo_matrix_shows_the_engines_cells(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    result = load_bundle().matrix("exchange", as_of=DOCS_AS_OF, framework="status_quo")
    _open(browser, site + "generated/matrix/status_quo/")
    table = _table_after(browser, "exchange")
    headers = [_text(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["home → host", HOME_LICENCE, *result.hosts]
    body_rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [_text(r.find_element(By.TAG_NAME, "td")) for r in body_rows] == [
        row.home for row in result.rows
    ]

    checked = 0
    for cell in result.cells[:: max(1, len(result.cells) // 8)]:
        # Columns: home, its licence, then the hosts (exchange: one licence per home).
        shown = _text(_cell(table, cell.home, result.hosts.index(cell.host) + 2))
        expected = f"{VERDICT_LABEL[cell.verdict]} {ROUTE_LABEL[cell.route]}"
        if cell.route != "unavailable":
            expected += f" {cell_counts_text(cell)}"
        assert shown.endswith(expected), (cell, shown)
        checked += 1
    assert checked >= 4
    # The diagonal (a home against itself) is a dash.
    home = result.homes[0]
    assert _text(_cell(table, home, result.hosts.index(home) + 2)) == "—"
    _screenshot(browser, "matrix-status-quo.png")


def test_comparison_shows_requirements_and_citations(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    page = (ROOT / "docs" / "generated" / "compare" / "exchange.md").read_text()
    listed = re.search(r"^- \*\*Jurisdictions:\*\* (.+)$", page, re.M)
    assert listed is not None
    codes = listed.group(1).split(", ")
    result = load_bundle().compare(codes, "exchange", as_of=DOCS_AS_OF, currency="USD")

    _open(browser, site + "generated/compare/exchange/")
    table = browser.find_element(By.CSS_SELECTOR, "article table")
    headers = [_text(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[1:] == [column_label(c) for c in result.columns]

    cited = [
        (row, column, cell)
        for row in result.rows
        for column, cell in enumerate(row.cells)
        if cell is not None and cell.citation.url
    ]
    assert len(cited) >= 5
    for row, column, cell in cited[:: max(1, len(cited) // 6)]:
        label = row_label(row.category, row.attribute, row.variant)
        element = _cell(table, label, column + 1)
        shown = _text(element)
        assert f"confidence: {cell.confidence}" in shown, (label, shown)
        links = [
            _text(a)
            for a in element.find_elements(By.TAG_NAME, "a")
            if a.get_attribute("href") == cell.citation.url
        ]
        assert any(cell.citation.provision in text for text in links), (label, links)
    _screenshot(browser, "compare-exchange.png")


def test_rules_code_is_highlighted(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site + "reference/language/")
    blocks = browser.find_elements(By.CSS_SELECTOR, ".highlight code")
    rules_blocks = [b for b in blocks if "vocabulary {" in _text(b)]
    assert rules_blocks, "no ```rules block with a vocabulary on the page"
    classes = {
        cls
        for span in rules_blocks[0].find_elements(By.CSS_SELECTOR, "span[class]")
        for cls in span.get_attribute("class").split()
    }
    # Pygments token classes: keywords (k, kd, …) and strings (s, s2, …).
    assert any(c.startswith("k") for c in classes), classes
    assert any(c.startswith("s") for c in classes), classes
    keyword = rules_blocks[0].find_element(By.CSS_SELECTOR, "span[class^='k']")
    color = keyword.value_of_css_property("color")
    plain = rules_blocks[0].value_of_css_property("color")
    assert color != plain, "keywords are not coloured differently from plain code"
    _screenshot(browser, "language-rules-highlight.png")


def test_printed_comparison_keeps_every_column_on_every_page_and_no_navigation(
    site: str, browser: Any, tmp_path: Path
) -> None:
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext (Debian: poppler-utils)")
    _open(browser, site + "generated/compare/exchange/")
    codes = browser.execute_script(
        "return [...document.querySelectorAll('article table thead th')]"
        ".slice(1).map(th => th.innerText.split(' ')[0])"
    )
    assert len(codes) >= 5, codes
    printed = browser.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False}
    )
    pdf = tmp_path / "compare.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    with_rows = [p for p in pages if "no such requirement" in p]
    assert len(with_rows) >= 2  # the table runs over pages: the header row must repeat
    for page in with_rows:
        heads = next(line for line in page.splitlines() if "Category / attribute" in line)
        assert [c for c in codes if f"{c} (" not in heads] == [], heads
    assert "Getting started" not in text and "Skip to content" not in text
