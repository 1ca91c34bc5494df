"""The clinician report in a real browser (headless Chromium): it renders, prints and fetches nothing.

Chromium loads the report from a file with a network log on: every request the page makes is listed
there, so "no request leaves the file" is checked by the browser itself (a page that leaks is caught,
see the control test). Console messages go to stderr; the report has no script, so any console line
(a blocked load, a CSP violation) is an error. The PDF's outline holds the section headings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from journal.clinician.page import SECTIONS
from tests.report_helpers import TONUS, build_demo_home

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
#: Quiet the browser's own background traffic; what is left in the log comes from the page.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-pdf-header-footer",
)
TITLES = (
    "Profile",
    "Latest test against the first and last week",
    "Resting asymmetry per region",
    "Movement per pose",
    "Synkinesis",
    "Timeline: tonus, movement, sensations and events",
    "Do the sensations come before tone and movement?",
    "Photos: first and latest, every pose",
    "Capture conditions",
    "Safety notes",
    "Method",
)


@pytest.fixture(scope="module")
def browser() -> str:
    found = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if found is None:
        if os.environ.get("TONUS_REQUIRE_SHARED") == "1":
            pytest.fail("TONUS_REQUIRE_SHARED=1 but no Chromium is installed (.ci/run installs it)")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = build_demo_home(tmp_path_factory.mktemp("browser-home"))
    out = home / "report.html"
    env = {**os.environ, "TONUS_HOME": str(home)}
    run = subprocess.run([str(TONUS), "report", "--out", str(out)], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    return out


def _chromium(browser: str, page: Path, work: Path, *extra: str) -> tuple[str, str, set[str]]:
    """Open `page`; return (stdout, stderr, URLs the page itself requested)."""
    net = work / f"net-{len(list(work.iterdir()))}.json"
    args = [browser, *FLAGS, f"--user-data-dir={work / 'profile'}", f"--log-net-log={net}"]
    args += ["--enable-logging=stderr", "--v=0", *extra, page.as_uri()]
    run = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr, _page_requests(json.loads(net.read_text()))


def _page_requests(log: dict[str, Any]) -> set[str]:
    """URLs of the requests started on behalf of a file:// page (not the browser's own traffic)."""
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = set()
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] == start and "file://" in str(params.get("network_isolation_key", "")):
            urls.add(params["url"])
    return urls


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


@pytest.mark.slow
def test_the_report_renders_offline_with_every_section(browser: str, report: Path, tmp_path: Path) -> None:
    dom, stderr, requests = _chromium(browser, report, tmp_path, "--dump-dom")
    ids = re.findall(r'<section id="([a-z]+)"', dom)
    assert ids == list(SECTIONS)
    assert dom.count("<svg") == 4 and dom.count("data:image/jpeg;base64,") == 2
    assert _console(stderr) == []
    assert requests <= {report.as_uri()}, requests


@pytest.mark.slow
def test_the_report_prints_to_pdf_with_every_heading(browser: str, report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    _, stderr, requests = _chromium(
        browser, report, tmp_path, f"--print-to-pdf={pdf}", "--generate-pdf-document-outline"
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 3
    outline = " ".join(_pdf_titles(data))
    for title in TITLES:
        assert title in outline, (title, outline)
    assert _console(stderr) == [] and requests <= {report.as_uri()}


@pytest.mark.slow
def test_a_screenshot_of_the_report(browser: str, report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    _chromium(browser, report, tmp_path, f"--screenshot={shot}", "--window-size=1000,1400")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


@pytest.mark.slow
def test_the_checks_catch_a_page_that_fetches_or_errs(browser: str, tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text('<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>')
    _, stderr, requests = _chromium(browser, page, tmp_path, "--dump-dom")
    assert "http://127.0.0.1:9/x.png" in requests
    assert any("boom" in line for line in _console(stderr))


def _pdf_titles(data: bytes) -> list[str]:
    """The /Title strings of a PDF (its outline), literal or UTF-16 hex."""
    titles = []
    for raw in re.findall(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", data):
        if raw.startswith(b"<"):
            text = bytes.fromhex(raw[1:-1].decode())
            titles.append(text.decode("utf-16") if text[:2] == b"\xfe\xff" else text.decode("latin-1"))
        else:
            titles.append(re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1"))
    return titles
