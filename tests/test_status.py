"""`tonus status`: due or not (exit 10 or 0), the latest scores and today, without MediaPipe or Textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from journal.services.demo import load_samples
from journal.services.status import status_from_store
from journal.services.status_cache import EXIT_DUE, status_text
from journal.store import Store, journal_path
from tests.report_helpers import SAMPLES, TONUS


def _journal(home: Path, today: date) -> Path:
    with Store.open(journal_path(home)) as store:
        load_samples(store, SAMPLES, None, today=today, photos=False)
        store.add_entry(
            datetime.combine(date.today(), datetime.min.time()) + timedelta(hours=7), "twitching", 4
        )
    return home


def _status(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TONUS_HOME": str(home)}
    return subprocess.run([str(TONUS), "status", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal with its last test in the past week: nothing due."""
    return _journal(tmp_path_factory.mktemp("fresh"), date.today())


@pytest.fixture(scope="module")
def overdue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal with its last test about a month ago: the weekly test is due."""
    return _journal(tmp_path_factory.mktemp("overdue"), date.today() - timedelta(days=30))


def test_nothing_due_exits_0_and_says_when(fresh: Path) -> None:
    run = _status(fresh)
    assert run.returncode == 0, run.stderr
    assert "next one in" in run.stdout and "(due " in run.stdout
    assert "days since the palsy began" in run.stdout
    latest = json.loads((SAMPLES / "scores.json").read_text(encoding="utf-8"))["tests"][-1]
    assert f"Tonus: {latest['tonus']:.1f} / 100" in run.stdout
    assert f"Movement: {latest['movement']:.1f} / 100" in run.stdout
    assert "Today: twitching 4/10 at 07:00." in run.stdout
    assert "Your left eye does not fully close" in run.stdout


def test_due_exits_10_and_json_holds_the_contract(overdue: Path) -> None:
    run = _status(overdue, "--json")
    assert run.returncode == EXIT_DUE == 10, run.stderr
    data = json.loads(run.stdout)
    assert data["due"] is True and data["days_since_last_test"] >= 28
    assert data["next_test_due"] < date.today().isoformat()
    assert data["tests"] == 14 and data["affected_side"] == "left"
    tests = json.loads((SAMPLES / "scores.json").read_text(encoding="utf-8"))["tests"]
    assert (
        data["tonus"]["latest"] == round(tests[-1]["tonus"], 1) and data["tonus"]["noise_is_typical"] is False
    )
    change = tests[-1]["movement"] - tests[-2]["movement"]
    assert data["movement"]["change_since_last"] == pytest.approx(change, abs=0.05)
    assert data["movement"]["beyond_noise"] is True
    assert data["recovery"]["state"] == "tone_and_movement_returning"
    assert data["today"] == [{"at": "07:00", "sensation": "twitching", "intensity": 4}]
    assert data["days_since_onset"] == (date.today() - date.fromisoformat(data["onset"])).days


def test_no_journal_yet_is_due(tmp_path: Path) -> None:
    run = _status(tmp_path / "nothing", "--json")
    assert run.returncode == 10 and json.loads(run.stdout)["due"] is True
    assert not (tmp_path / "nothing").exists()  # looking creates nothing


def test_status_loads_neither_mediapipe_nor_textual(fresh: Path) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from journal.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--home', {str(fresh)!r}, 'status', '--json'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'mediapipe', 'cv2', 'PIL'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_text_and_the_dict_agree(fresh: Path) -> None:
    with Store.open(journal_path(fresh), read_only=True) as store:
        status = status_from_store(store, datetime.now())
    text = status_text(status)
    assert status["due"] is False and status["tests"] == 14
    assert f"{status['tonus']['noise']:.1f}" in text and status["recovery"]["text"] in text
