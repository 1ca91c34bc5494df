"""The clinician report: every section, a person's text escaped, one private self-contained file."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from journal.clinician.data import read_report
from journal.clinician.page import SECTIONS, render
from journal.clinician.text import esc, strip_controls
from journal.clinician.write import write_private, write_report
from journal.store import Store, journal_path
from tests.report_helpers import TONUS, build_demo_home

NOW = datetime(2026, 11, 5, 18, 0)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_home(tmp_path_factory.mktemp("report-home"))


@pytest.fixture(scope="module")
def page(demo_home: Path) -> str:
    with Store.open(journal_path(demo_home), read_only=True) as store:
        return render(read_report(store, None, NOW))


def test_every_section_is_there_in_order(page: str) -> None:
    found = re.findall(r'<section id="([a-z]+)"', page)
    assert found == list(SECTIONS)
    for words in (
        "Affected side",
        "left (given)",
        "Weeks since onset",
        "First test",
        "Last week",
        "Noise band",
        "Travel left / right",
        "Synkinesis",
        "Red flags",
        "not a diagnosis",
        "tonus-scorer/",
        "Tonus report",
    ):
        assert words in page, words


def test_the_sample_findings_and_safety_notes_are_in_it(page: str) -> None:
    assert "Your left eye does not fully close" in page
    assert "Twitching rose about 3 weeks before movement started to return." in page
    assert page.count("data:image/jpeg;base64,") == 2  # the demo draws rest photos only: first and latest
    assert page.count("<svg") == 4  # recovery, timeline, rest regions, movement per pose


def test_a_persons_text_is_escaped_and_stripped_of_control_characters(page: str) -> None:
    assert "<script" not in page and "\x1b" not in page and "\x07" not in page
    assert (
        "physio &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:9" in page
    )
    assert strip_controls("a\x1b[31mb\u202ec\td\ne") == "a[31mbc d e"
    assert esc("<b>'&'</b>") == "&lt;b&gt;&#x27;&amp;&#x27;&lt;/b&gt;"


def test_nothing_in_the_page_points_outside_it(page: str) -> None:
    # Only data: URIs and the SVG namespace; a CSP forbids any fetch besides inline data.
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs and all(r.startswith("data:image/jpeg;base64,") for r in refs)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page)) - {"http://www.w3.org/2000/svg"}
    assert all("127.0.0.1:9" in u for u in urls), urls  # only inside the escaped hostile label
    assert "default-src 'none'" in page and "<link" not in page and "@import" not in page


def test_weeks_narrow_the_report(demo_home: Path) -> None:
    with Store.open(journal_path(demo_home), read_only=True) as store:
        data = read_report(store, 4, NOW)
    assert len(data.tests) == 4 and data.weeks == 4
    assert "the last 4 weeks" in render(data)


def test_the_file_is_private_and_replaced_whole(tmp_path: Path, demo_home: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old")
    out.chmod(0o644)
    with Store.open(journal_path(demo_home), read_only=True) as store:
        write_report(store, out, None, NOW)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left behind
    write_private(tmp_path / "s.txt", "x")
    assert stat.S_IMODE((tmp_path / "s.txt").stat().st_mode) == 0o600


def test_tonus_report_cli_writes_under_15_mb_and_says_where(tmp_path: Path, demo_home: Path) -> None:
    out = tmp_path / "report.html"
    env = {**os.environ, "TONUS_HOME": str(demo_home)}
    run = subprocess.run([str(TONUS), "report", "--out", str(out)], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert str(out) in run.stdout
    assert out.stat().st_size < 15_000_000
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    bad = subprocess.run([str(TONUS), "report", "--weeks", "0"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "--weeks 0" in bad.stderr
    missing = subprocess.run(
        [str(TONUS), "report", "--out", str(tmp_path / "no" / "r.html")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_the_recovery_chart_is_the_terminals_recovery_chart_as_svg(page: str) -> None:
    """Tone and movement in % of recovery over weeks since onset, with bands and the signal's onsets."""
    section = page[page.index('<section id="recovery"') : page.index('<section id="timeline"')]
    assert section.count("<polyline") == 2  # tone and movement
    assert section.count('fill-opacity="0.10"') == 2  # a noise band for each
    assert "weeks since onset" in section
    # The sample recovery: tone returns around week 6, movement around week 8 (as `tonus chart` says).
    weeks = {w: int(n) for w, n in re.findall(r"(tone|movement) returns, week (\d+)", section)}
    assert 5 <= weeks["tone"] <= 7 and 7 <= weeks["movement"] <= 9 and weeks["tone"] < weeks["movement"]


def test_imported_photos_capture_conditions_are_in_the_conditions_table(
    tmp_path: Path, demo_home: Path
) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    with Store.open(journal_path(home)) as store:
        latest = store.sessions()[-1].id
        store.cursor().execute(  # as `tonus import` of phone photos stores them (journal v4)
            "UPDATE poses SET photo_taken_at = TIMESTAMP '2026-11-02 08:01:05', orientation = 6, "
            "camera = 'Apple <b>iPhone</b> 13' WHERE session_id = ?",
            [latest],
        )
        page = render(read_report(store, None, NOW))
    conditions = page[page.index('<section id="conditions"') :]
    conditions = conditions[: conditions.index("</section>")]
    assert "<th>Photos</th>" in conditions
    assert (
        "Photos taken 02 Nov 2026 08:01, with Apple &lt;b&gt;iPhone&lt;/b&gt; 13, "
        "orientation turned a quarter clockwise (EXIF 6)." in conditions
    )
    assert conditions.count("Photos taken") == 1  # the other tests came from the camera: none
