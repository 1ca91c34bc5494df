"""The journal commands: `tonus log`, `event`, `profile`, `import`, `history`, `rescore`, `export`.

Every test works in a temporary journal directory (given with --home, or TONUS_HOME), never the
user's own: an autouse fixture also points TONUS_HOME and XDG_DATA_HOME into tmp_path, so a command
that ignored --home would write there and the test would notice the missing rows.

Most commands run in-process through `journal.cli.main` (stderr captured at the file descriptor);
locks, exit codes of a real process and kill -9 run the installed `tonus` script in a subprocess.
Real photos are read in place from ../shared/faces; tests that alter photos copy them into tmp_path.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from PIL import Image

from journal.cli import main
from journal.errors import EXIT_NO_FACE, EXIT_USAGE
from journal.scoring.version import SCORER_VERSION
from journal.store import JOURNAL_FILENAME, Store
from journal.store.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
TONUS = ROOT / ".venv" / "bin" / "tonus"
WORKER = Path(__file__).resolve().parent / "cli_journal_worker.py"
SESSION_TABLES = ("poses", "key_photos", "frames", "session_scores", "pose_scores", "region_scores")


# --- helpers ----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _never_the_real_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default location into tmp_path, so no test can reach the user's own journal."""
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A journal directory that does not exist yet."""
    return tmp_path / "home"


@pytest.fixture
def model_env(model_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The face model from ../shared, for commands that need it (import, rescore)."""
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    return model_path


def run_main(capfd: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `tonus ARGS` in-process; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def run_tonus(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `tonus` script in a subprocess."""
    cmd = [str(TONUS)] if TONUS.exists() else [sys.executable, "-m", "journal"]
    done = subprocess.run(
        [*cmd, *map(str, args)],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def one_sentence(err: str) -> str:
    """Return stderr's only line, checking it is one sentence from tonus (no traceback, no log)."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    line = lines[0].rstrip()
    assert line.startswith("tonus: "), line
    assert line.endswith("."), line
    return line


def journal_file(home: Path) -> Path:
    """Where the journal lives in `home` (without creating anything, unlike `journal_path`)."""
    return home / JOURNAL_FILENAME


def tables(home: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of the journal in `home`, photos included, read through a read-only Store."""
    with Store.open(journal_file(home), read_only=True) as store:
        return store.export_tables(photos=True)


def rows_written(home: Path) -> dict[str, int]:
    """Row counts of every table but `meta` (which only marks the file as a Tonus journal)."""
    return {name: len(rows) for name, rows in tables(home).items() if name != "meta"}


def history(capfd: pytest.CaptureFixture[str], home: Path) -> list[dict[str, Any]]:
    """`tonus history --json` of `home`, as a list of sessions."""
    code, out, err = run_main(capfd, "--home", home, "history", "--json")
    assert code == 0, err
    sessions: list[dict[str, Any]] = json.loads(out)["sessions"]
    return sessions


def future(days: int = 3) -> str:
    """A time `days` ahead of now, as the CLI takes it."""
    return (datetime.now() + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def noise_jpeg(path: Path, h: int = 480, w: int = 360) -> None:
    """Write a JPEG of coloured noise: a photo with no face in it."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), np.full_like(x, 90)], -1)
    pixels = np.clip(base + rng.normal(0, 25, size=(h, w, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(pixels).save(path, format="JPEG", quality=90)


def copy_folder(src: Path, dest: Path) -> Path:
    """Copy a folder of pose photos into tmp_path (shared files are never altered in place)."""
    shutil.copytree(src, dest)
    return dest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


# --- log, event, profile ------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ("before", "after"), ids=("home-before-command", "home-after-command"))
def test_log_stores_the_entry_and_says_so(home: Path, where: str, capfd: pytest.CaptureFixture[str]) -> None:
    args = ["log", "vibration", "3", "--side", "left", "--where", "cheek", "--note", "after lunch"]
    args += ["--at", "2026-11-20 14:30"]
    argv = ["--home", str(home), *args] if where == "before" else [*args, "--home", str(home)]
    code, out, err = run_main(capfd, *argv)
    assert code == 0, err
    assert err == ""
    assert out.strip() == "Logged vibration 3/10 at 2026-11-20 14:30 (entry 1)."
    with Store.open(journal_file(home), read_only=True) as store:
        [entry] = store.entries()
    assert (entry.at, entry.sensation, entry.intensity) == (datetime(2026, 11, 20, 14, 30), "vibration", 3)
    assert (entry.side, entry.where, entry.note) == ("left", "cheek", "after lunch")


def test_log_defaults_to_now_and_tonus_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "from-env"
    monkeypatch.setenv("TONUS_HOME", str(home))
    before = datetime.now().replace(second=0, microsecond=0)
    code, out, err = run_main(capfd, "log", "twitching", "0")
    after = datetime.now()
    assert code == 0, err
    assert out.startswith("Logged twitching 0/10 at ")
    with Store.open(journal_file(home), read_only=True) as store:
        [entry] = store.entries()
    assert before <= entry.at <= after
    assert (entry.side, entry.where, entry.note) == (None, None, None)


def test_event_stores_the_event_and_says_so(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capfd, "event", "therapy", "first physio", "--at", "2026-11-01", "--home", home)
    assert code == 0, err
    assert out.strip() == "Added therapy “first physio” on 2026-11-01 (event 1)."
    code, out, err = run_main(capfd, "--home", home, "event", "medication", "prednisolone")
    assert code == 0, err
    assert "(event 2)" in out
    with Store.open(journal_file(home), read_only=True) as store:
        events = store.events()
    assert [(e.kind, e.label) for e in events] == [
        ("therapy", "first physio"),
        ("medication", "prednisolone"),
    ]
    assert events[0].at == datetime(2026, 11, 1)
    assert datetime.now() - events[1].at < timedelta(minutes=5)  # no --at: now


def test_profile_shows_sets_and_shows_again(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capfd, "profile", "--home", home)
    assert code == 0, err
    assert "Affected side: not set" in out
    assert "Onset:         not set" in out

    code, out, err = run_main(
        capfd, "--home", home, "profile", "--affected", "right", "--onset", "2026-03-01"
    )
    assert code == 0, err
    assert "Affected side: right" in out
    assert "Onset:         2026-03-01" in out
    assert "tonus rescore" in out  # a new side applies to earlier tests only after re-scoring

    code, out, err = run_main(capfd, "--home", home, "profile", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "affected_side": "right",
        "onset": "2026-03-01",
        "camera": None,
        "mm_per_unit": None,
    }
    # Changing one field keeps the other.
    code, out, _ = run_main(capfd, "--home", home, "profile", "--affected", "left", "--json")
    assert json.loads(out)["affected_side"] == "left"
    assert json.loads(out)["onset"] == "2026-03-01"
    assert rows_written(home)["profile"] == 1


def test_history_with_no_tests_says_how_to_add_one(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    run_main(capfd, "--home", home, "log", "pain", "2")
    code, out, _ = run_main(capfd, "--home", home, "history")
    assert code == 0
    assert "No tests yet" in out and "tonus import" in out
    assert history(capfd, home) == []


@pytest.mark.parametrize("command", (["history"], ["history", "--json"], ["export", "--out", "OUT"]))
def test_read_only_commands_on_a_fresh_home_create_nothing(
    home: Path, tmp_path: Path, command: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    code, out, err = run_main(capfd, "--home", home, *argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert "no journal" in one_sentence(err)
    assert not journal_file(home).exists()
    assert not (tmp_path / "out").exists()


# --- bad input: exit 2, one sentence, nothing written -------------------------------------------------

FUTURE = "<future>"
_BAD_INPUTS: dict[str, tuple[list[str], str]] = {
    "intensity-11": (["log", "vibration", "11"], "'11'"),
    "intensity-minus-1": (["log", "vibration", "-1"], "'-1'"),
    "intensity-4.5": (["log", "vibration", "4.5"], "'4.5'"),
    "intensity-x": (["log", "vibration", "x"], "'x'"),
    "unknown-sensation": (["log", "buzzing", "3"], "'buzzing'"),
    "unknown-side": (["log", "vibration", "3", "--side", "up"], "'up'"),
    "unknown-where": (["log", "vibration", "3", "--where", "nose"], "'nose'"),
    "unknown-event-kind": (["event", "party", "birthday"], "'party'"),
    "empty-event-label": (["event", "therapy", "  "], "label"),
    "log-at-unparsable": (["log", "vibration", "3", "--at", "soonish"], "'soonish'"),
    "log-at-bad-month": (["log", "vibration", "3", "--at", "2026-13-01 10:00"], "'2026-13-01 10:00'"),
    "event-at-unparsable": (["event", "therapy", "physio", "--at", "01/11/2026"], "'01/11/2026'"),
    "log-at-future": (["log", "vibration", "3", "--at", FUTURE], "future"),
    "event-at-future": (["event", "milestone", "smile", "--at", FUTURE], "future"),
    "onset-unparsable": (["profile", "--onset", "spring"], "'spring'"),
    "onset-future": (["profile", "--onset", FUTURE], "future"),
    "import-date-unparsable": (["import", "--date", "soon", "FOLDER"], "'soon'"),
}
#: Bad inputs that are refused only after a fresh journal file has been created (see the report).


def _bad_input_params() -> list[Any]:
    params = []
    for name in _BAD_INPUTS:
        for state in ("fresh", "existing"):
            params.append(pytest.param(name, state, id=f"{name}-{state}"))
    return params


def _prepare(home: Path, state: str) -> None:
    """Leave `home` without a journal (fresh), or with an empty journal (existing)."""
    if state == "existing":
        Store.open(home / JOURNAL_FILENAME).close()
        assert sum(rows_written(home).values()) == 0


def _assert_nothing_written(home: Path, state: str) -> None:
    if state == "fresh":
        assert not journal_file(home).exists(), "a refused command created the journal"
    else:
        assert sum(rows_written(home).values()) == 0, rows_written(home)


@pytest.mark.parametrize(("name", "state"), _bad_input_params())
def test_bad_input_exits_2_with_one_sentence_and_writes_nothing(
    name: str, state: str, home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    argv, named = _BAD_INPUTS[name]
    folder = tmp_path / "week"
    folder.mkdir()
    argv = [future() if a == FUTURE else str(folder) if a == "FOLDER" else a for a in argv]
    _prepare(home, state)
    code, out, err = run_main(capfd, "--home", home, *argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert named in one_sentence(err)
    _assert_nothing_written(home, state)


def test_bad_input_exit_code_in_a_subprocess(home: Path) -> None:
    done = run_tonus("--home", home, "log", "vibration", "11")
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert "'11'" in one_sentence(done.stderr)
    assert not journal_file(home).exists()


@pytest.mark.shared
@pytest.mark.parametrize(
    "state",
    (
        "fresh",
        "existing",
    ),
)
def test_import_with_a_future_date_exits_2_and_writes_nothing(
    state: str, home: Path, faces_dir: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _prepare(home, state)
    code, out, err = run_main(
        capfd, "--home", home, "import", "--date", future(), faces_dir / "protocol" / "p2"
    )
    assert code == EXIT_USAGE
    assert out == ""
    assert "future" in one_sentence(err)
    _assert_nothing_written(home, state)


def test_profile_affected_must_be_left_or_right(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:  # argparse's own choices check
        main(["--home", str(home), "profile", "--affected", "both"])
    assert exc.value.code == EXIT_USAGE
    assert "invalid choice" in capfd.readouterr().err
    assert not journal_file(home).exists()


# --- import -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, faces_dir: Path, model_path: Path) -> dict[str, Any]:
    """A journal holding p1a (2026-11-01) and p1b (2026-11-08), and `tonus analyze --json` of both.

    Built once for the module; tests that change it work on a copy (`imported_home`).
    """
    root = tmp_path_factory.mktemp("imported")
    home = root / "home"
    p1a, p1b = faces_dir / "protocol" / "p1a", faces_dir / "protocol" / "p1b"

    def cli(*args: str | Path) -> str:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        assert code == 0, err.getvalue()
        return out.getvalue()

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TONUS_FACE_MODEL", str(model_path))
        mp.setenv("TONUS_HOME", str(root / "env-home"))
        mp.setenv("XDG_DATA_HOME", str(root / "xdg"))
        said = [
            cli("--home", home, "import", p1a, "--date", "2026-11-01"),
            cli("import", "--date", "2026-11-08 09:30", p1b, "--home", home),
        ]
        analyses = [json.loads(cli("analyze", "--json", p)) for p in (p1a, p1b)]
        hist = json.loads(cli("--home", home, "history", "--json"))["sessions"]
    return {"home": home, "said": said, "analyses": analyses, "history": hist}


@pytest.fixture
def imported_home(imported: dict[str, Any], tmp_path: Path) -> Path:
    """A private copy of the module's imported journal."""
    home = tmp_path / "imported-home"
    home.mkdir(mode=0o700)
    shutil.copy2(imported["home"] / JOURNAL_FILENAME, home / JOURNAL_FILENAME)
    return home


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@pytest.mark.shared
def test_import_two_dates_gives_two_sessions_scored_like_analyze(imported: dict[str, Any]) -> None:
    assert "p1a as test 1 of 2026-11-01: tonus " in imported["said"][0]
    assert "p1b as test 2 of 2026-11-08: tonus " in imported["said"][1]
    sessions = imported["history"]
    assert [s["taken_at"] for s in sessions] == ["2026-11-01T00:00", "2026-11-08T09:30"]  # oldest first
    for session, analysis in zip(sessions, imported["analyses"], strict=True):
        assert session["source"] == "import"
        assert session["scorer_version"] == analysis["scorer_version"] == SCORER_VERSION
        for key in ("tonus", "movement", "synkinesis"):
            assert _r(session[key]) == _r(analysis[key]), key
        assert list(session["poses"]) == list(analysis["poses"])
        for pose, got in session["poses"].items():
            want = analysis["poses"][pose]
            move = want["movement"]["score"] if want["movement"] is not None else None
            assert _r(got["symmetry"]) == _r(want["symmetry"]), pose
            assert _r(got["movement"]) == _r(move), pose


@pytest.mark.shared
def test_import_stores_photos_landmarks_and_scores(imported: dict[str, Any]) -> None:
    rows = tables(imported["home"])
    analyses = imported["analyses"]
    for sid, analysis in zip((1, 2), analyses, strict=True):
        poses = {r["pose"] for r in rows["poses"] if r["session_id"] == sid}
        assert poses == set(analysis["poses"])
        photos = [r for r in rows["key_photos"] if r["session_id"] == sid]
        assert {r["pose"] for r in photos} == poses
        assert all(bytes(r["jpeg"])[:2] == b"\xff\xd8" for r in photos)  # JPEG
        frames = [r for r in rows["frames"] if r["session_id"] == sid]
        assert len(frames) == sum(p["frames_used"] for p in analysis["poses"].values())
        # Packed from schema v3: 6 float32 bounds, then one uint64 a point (journal/store/landmarks.py).
        assert all(len(bytes(r["landmarks"])) == 6 * 4 + 478 * 8 for r in frames)
        assert len([r for r in rows["session_scores"] if r["session_id"] == sid]) == 1
        assert len([r for r in rows["pose_scores"] if r["session_id"] == sid]) == len(poses)


@pytest.mark.shared
def test_several_folders_in_one_call_default_to_today(
    home: Path, faces_dir: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # Neither folder's photos carry an EXIF date, so each test is dated today.
    first = date.today()
    code, out, err = run_main(
        capfd, "--home", home, "import", faces_dir / "protocol" / "p1a", faces_dir / "protocol" / "p2"
    )
    assert code == 0, err
    assert out.count("Imported ") == 2
    sessions = history(capfd, home)
    assert len(sessions) == 2
    assert {datetime.fromisoformat(s["taken_at"]).date() for s in sessions} <= {first, date.today()}
    assert [set(s["poses"]) >= {"rest", "smile_teeth"} for s in sessions] == [True, True]


@pytest.mark.shared
def test_date_with_two_folders_exits_2_and_writes_nothing(
    home: Path, faces_dir: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    p = faces_dir / "protocol"
    code, out, err = run_main(capfd, "--home", home, "import", "--date", "2026-11-01", p / "p1a", p / "p1b")
    assert code == EXIT_USAGE
    assert out == ""
    assert "--date" in one_sentence(err)
    assert not journal_file(home).exists()


@pytest.mark.shared
def test_a_folder_without_a_face_imports_nothing_and_keeps_the_earlier_folder(
    home: Path, faces_dir: Path, tmp_path: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bad = copy_folder(faces_dir / "protocol" / "p2", tmp_path / "week-bad")
    noise_jpeg(bad / "smile_teeth.jpg")
    good = faces_dir / "protocol" / "p1a"
    code, out, err = run_main(capfd, "--home", home, "import", good, bad)
    assert code == EXIT_NO_FACE
    assert "Imported" in out and str(good) in out
    assert str(bad / "smile_teeth.jpg") in err
    assert f"nothing was imported from {bad}" in err
    assert f"imported {good} before this error" in err
    [session] = history(capfd, home)
    rows = tables(home)
    assert len(rows["sessions"]) == 1
    for table in SESSION_TABLES:  # nothing of the bad folder: every row belongs to the good test
        assert {r["session_id"] for r in rows[table]} == {session["id"]}, table


@pytest.mark.shared
def test_import_takes_the_exif_date(
    home: Path, faces_dir: Path, tmp_path: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = copy_folder(faces_dir / "protocol" / "p2", tmp_path / "week")
    with Image.open(folder / "rest.jpg") as img:
        img.load()
        exif = Image.Exif()
        exif.get_ifd(0x8769)[36867] = "2026:10:05 08:15:00"  # DateTimeOriginal
        img.save(folder / "rest.jpg", format="JPEG", quality=95, exif=exif)
    code, out, err = run_main(capfd, "--home", home, "import", folder)
    assert code == 0, err
    assert "of 2026-10-05" in out
    [session] = history(capfd, home)
    assert session["taken_at"] == "2026-10-05T08:15"


@pytest.mark.shared
def test_a_missing_folder_exits_2(
    home: Path, tmp_path: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-week"
    code, _, err = run_main(capfd, "--home", home, "import", missing)
    assert code == EXIT_USAGE
    assert str(missing) in one_sentence(err)
    assert not journal_file(home).exists()


# --- rescore ------------------------------------------------------------------------------------------


@pytest.mark.shared
def test_rescore_applies_the_profile_side_and_keeps_tonus(
    imported: dict[str, Any], imported_home: Path, model_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    before = history(capfd, imported_home)
    assert [s["affected_side"] for s in before] == [None, None]  # inferred: these faces are symmetric
    code, _, err = run_main(capfd, "--home", imported_home, "profile", "--affected", "left")
    assert code == 0, err
    code, out, err = run_main(capfd, "--home", imported_home, "rescore")
    assert code == 0, err
    assert out.strip() == f"Re-scored 2 test(s) with {SCORER_VERSION}."
    after = history(capfd, imported_home)
    assert [s["id"] for s in after] == [s["id"] for s in before]
    for old, new in zip(before, after, strict=True):
        assert new["affected_side"] == "left"
        assert new["scorer_version"] == SCORER_VERSION
        assert new["tonus"] == old["tonus"]  # the tonus score does not depend on the side
        assert new["taken_at"] == old["taken_at"]
    # One score row per session and scorer version: re-scoring replaced, it did not add.
    assert rows_written(imported_home)["session_scores"] == 2


def test_rescore_without_the_model_says_so_in_one_sentence(
    home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TONUS_FACE_MODEL", raising=False)
    run_main(capfd, "--home", home, "log", "tightness", "5")
    code, out, err = run_main(capfd, "--home", home, "rescore")
    assert code != 0
    assert out == ""
    assert "tonus model install" in one_sentence(err)
    assert rows_written(home)["session_scores"] == 0


# --- export -------------------------------------------------------------------------------------------


@pytest.fixture
def small_home(home: Path, capfd: pytest.CaptureFixture[str]) -> Path:
    """A journal with two entries, an event and a profile (no tests: no model needed)."""
    for argv in (
        ["log", "vibration", "3", "--at", "2026-11-20 08:00"],
        ["log", "itching", "6", "--side", "right", "--where", "eye", "--note", 'a, "quoted"\nline'],
        ["event", "therapy", "physio"],
        ["profile", "--affected", "right"],
    ):
        code, _, err = run_main(capfd, "--home", home, *argv)
        assert code == 0, err
    return home


def _read_export(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    with duckdb.connect() as con:
        result = con.execute(f"SELECT * FROM {reader}(?)", [str(path)])
        names = [d[0] for d in result.description or []]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


@pytest.mark.parametrize("fmt", ("csv", "parquet", "json"))
def test_export_writes_every_table_and_a_readme(
    small_home: Path, tmp_path: Path, fmt: str, capfd: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "export"
    with umask(0o022):
        code, out, err = run_main(capfd, "--home", small_home, "export", "--out", out_dir, "--format", fmt)
    assert code == 0, err
    assert "with photos" in out and "README.txt" in out
    files = {p.name for p in out_dir.iterdir()}
    assert files == {f"{t}.{fmt}" for t in TABLES} | {"README.txt"}
    readme = (out_dir / "README.txt").read_text(encoding="utf-8")
    assert "PHOTOS: INCLUDED" in readme
    assert all(f"{t}.{fmt}" in readme for t in TABLES)
    entries = _read_export(out_dir / f"entries.{fmt}", fmt)
    assert [(e["sensation"], e["intensity"]) for e in entries] == [("vibration", 3), ("itching", 6)]
    assert entries[1]["note"] == 'a, "quoted"\nline'
    assert [e["label"] for e in _read_export(out_dir / f"events.{fmt}", fmt)] == ["physio"]
    assert [p["affected_side"] for p in _read_export(out_dir / f"profile.{fmt}", fmt)] == ["right"]
    assert mode(out_dir) == 0o700
    for path in out_dir.iterdir():  # health data: private files
        assert mode(path) == 0o600, path.name


def test_export_without_photos_says_so_and_leaves_them_out(
    small_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "export"
    code, out, err = run_main(capfd, "--home", small_home, "export", "--out", out_dir, "--no-photos")
    assert code == 0, err
    assert "without photos" in out
    readme = (out_dir / "README.txt").read_text(encoding="utf-8")
    assert "PHOTOS: NOT included" in readme
    assert "PHOTOS: INCLUDED" not in readme
    assert "key_photos" not in readme
    assert not any(p.name.startswith("key_photos") for p in out_dir.iterdir())
    assert {p.name for p in out_dir.iterdir()} == {f"{t}.csv" for t in TABLES if t != "key_photos"} | {
        "README.txt"
    }


@pytest.mark.shared
def test_export_of_imported_tests_holds_the_photos_only_when_asked(
    imported: dict[str, Any], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    home = imported["home"]
    with_photos, without = tmp_path / "with", tmp_path / "without"
    assert run_main(capfd, "--home", home, "export", "--out", with_photos, "--format", "parquet")[0] == 0
    assert (
        run_main(capfd, "--home", home, "export", "--out", without, "--format", "json", "--no-photos")[0] == 0
    )
    photos = _read_export(with_photos / "key_photos.parquet", "parquet")  # which file is which photo
    stored = {(p["session_id"], p["pose"]): bytes(p["jpeg"]) for p in tables(home)["key_photos"]}
    assert len(photos) == len(stored) > 0
    for p in photos:  # each photo a JPEG file of its own, byte for byte the stored one
        assert (with_photos / p["file"]).read_bytes() == stored[(p["session_id"], p["pose"])]
        assert (with_photos / p["file"]).read_bytes()[:2] == b"\xff\xd8"
    assert not (without / "key_photos.json").exists()
    frames = _read_export(without / "frames.json", "json")
    assert len(frames) == len(tables(home)["frames"])
    assert "landmarks_base64" in frames[0]
    assert len(_read_export(without / "sessions.json", "json")) == 2


def test_export_into_a_folder_holding_an_export_exits_2_and_overwrites_nothing(
    small_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "export"
    assert run_main(capfd, "--home", small_home, "export", "--out", out_dir)[0] == 0
    run_main(capfd, "--home", small_home, "log", "pain", "7")  # the journal changed since
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out_dir.iterdir()}
    code, out, err = run_main(capfd, "--home", small_home, "export", "--out", out_dir)
    assert code == EXIT_USAGE
    assert out == ""
    line = one_sentence(err)
    assert str(out_dir) in line and "entries.csv" in line
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out_dir.iterdir()}
    assert after == before


def test_export_never_overwrites_a_readme_already_in_the_folder(
    small_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "notes"
    out_dir.mkdir()
    mine = out_dir / "README.txt"
    mine.write_text("my own notes\n")
    code, _, _ = run_main(capfd, "--home", small_home, "export", "--out", out_dir)
    assert mine.read_text() == "my own notes\n", f"exit {code}: the user's README.txt was overwritten"


# --- permissions, foreign files ---------------------------------------------------------------------


@pytest.mark.parametrize("mask", (0o022, 0o000), ids=("umask-022", "umask-000"))
def test_data_dir_is_0700_and_journal_0600(
    tmp_path: Path, mask: int, capfd: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "deep" / "home"
    with umask(mask):
        code, _, err = run_main(capfd, "--home", home, "log", "vibration", "3")
    assert code == 0, err
    assert mode(home) == 0o700
    assert mode(journal_file(home)) == 0o600
    assert not journal_file(home).with_name(JOURNAL_FILENAME + ".wal").exists()  # checkpointed on close


@pytest.mark.parametrize("command", (["log", "vibration", "3"], ["history"], ["profile"]))
def test_a_text_file_at_the_journal_path_is_never_overwritten(
    home: Path, command: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(mode=0o700)
    foreign = journal_file(home)
    foreign.write_bytes(b"my diary, not a database\n" * 40)
    before = foreign.read_bytes()
    code, out, err = run_main(capfd, "--home", home, *command)
    assert code != 0
    assert out == ""
    line = one_sentence(err)
    assert str(foreign) in line and "not a Tonus journal" in line
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == [JOURNAL_FILENAME]  # no .wal beside it either


def test_a_foreign_duckdb_database_is_never_modified(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    home.mkdir(mode=0o700)
    foreign = journal_file(home)
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE accounts (id INTEGER, amount DOUBLE)")
        con.execute("INSERT INTO accounts VALUES (1, 9.5)")
    before = foreign.read_bytes()
    code, _, err = run_main(capfd, "--home", home, "log", "vibration", "3")
    assert code != 0
    line = one_sentence(err)
    assert str(foreign) in line and "not a Tonus journal" in line
    assert foreign.read_bytes() == before


def test_a_subprocess_also_exits_non_zero_on_a_foreign_file(home: Path) -> None:
    home.mkdir(mode=0o700)
    journal_file(home).write_text("not a journal\n")
    done = run_tonus("--home", home, "event", "therapy", "physio")
    assert done.returncode != 0
    assert str(journal_file(home)) in one_sentence(done.stderr)
    assert journal_file(home).read_text() == "not a journal\n"


# --- a second process -------------------------------------------------------------------------------


@contextlib.contextmanager
def holder(path: Path, read_only: bool = False) -> Iterator[subprocess.Popen[str]]:
    """A second process holding the journal open (for writing, or read-only) until the block ends."""
    cmd = [sys.executable, str(WORKER), str(path), *(["ro"] if read_only else [])]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", (line, proc.stderr.read() if proc.stderr else "")
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_a_journal_held_for_writing_is_named_with_its_process(
    small_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    before = rows_written(small_home)
    with holder(journal_file(small_home)) as proc:
        done = run_tonus("--home", small_home, "log", "vibration", "4")
        assert done.returncode != 0
        line = one_sentence(done.stderr)
        assert f"PID {proc.pid}" in line
        assert str(journal_file(small_home)) in line
        # DuckDB here does not let a second process read a file another process has open for
        # writing (its file lock is exclusive), so the read-only commands say why instead of working.
        for argv in (["history"], ["export", "--out", str(tmp_path / "export")]):
            done = run_tonus("--home", small_home, *argv)
            assert done.returncode != 0, argv
            line = one_sentence(done.stderr)
            assert f"PID {proc.pid}" in line and "open for writing" in line, argv
        assert not (tmp_path / "export").exists()
    assert rows_written(small_home) == before  # nothing was written while it was held
    code, _, err = run_main(capfd, "--home", small_home, "log", "vibration", "4")
    assert code == 0, err  # once the other process is gone, logging works again
    assert rows_written(small_home)["entries"] == before["entries"] + 1


def test_a_journal_held_read_only_can_be_read_but_not_written(
    small_home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # Two readers may share the file (DuckDB allows concurrent read-only processes); a writer may not.
    with holder(journal_file(small_home), read_only=True) as proc:
        done = run_tonus("--home", small_home, "history")
        assert done.returncode == 0, done.stderr
        assert "No tests yet" in done.stdout
        done = run_tonus("--home", small_home, "export", "--out", tmp_path / "export", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "export" / "entries.json").exists()
        done = run_tonus("--home", small_home, "log", "vibration", "4")
        assert done.returncode != 0
        assert f"PID {proc.pid}" in one_sentence(done.stderr)
    assert rows_written(small_home)["entries"] == 2


# --- kill -9 in the middle of an import -------------------------------------------------------------


def _session_rows(rows: dict[str, list[dict[str, Any]]], sid: int) -> dict[str, list[dict[str, Any]]]:
    return {t: [r for r in rows[t] if r.get("session_id") == sid] for t in SESSION_TABLES}


def _shape(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What a complete import of the same folder must have: rows per table, poses, and scores."""
    return {
        "counts": {t: len(rs) for t, rs in rows.items()},
        "poses": sorted(r["pose"] for r in rows["poses"]),
        "photos": sorted(r["pose"] for r in rows["key_photos"]),
        "frames": sorted((r["pose"], r["idx"]) for r in rows["frames"]),
        "tonus": [round(r["tonus"], 6) for r in rows["session_scores"]],
        "pose_scores": sorted((r["pose"], _r(r["symmetry"]), _r(r["movement"])) for r in rows["pose_scores"]),
    }


def _wait_then_kill(proc: subprocess.Popen[bytes], trigger: Callable[[], bool], limit: float = 60.0) -> float:
    """Poll `trigger` every millisecond; SIGKILL the import when it fires (or now, if it has ended)."""
    start = time.monotonic()
    while proc.poll() is None and not trigger() and time.monotonic() - start < limit:
        time.sleep(0.001)
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return time.monotonic() - start


@pytest.mark.shared
@pytest.mark.slow
def test_kill_9_mid_import_leaves_the_whole_session_or_none(
    imported: dict[str, Any],
    imported_home: Path,
    faces_dir: Path,
    model_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    home = imported_home  # holds p1a (test 1) and p1b (test 2), imported in full
    code, _, err = run_main(capfd, "--home", home, "log", "vibration", "3", "--at", "2026-11-09 07:00")
    assert code == 0, err
    path = journal_file(home)
    wal = path.with_name(JOURNAL_FILENAME + ".wal")
    earlier = tables(home)
    reference = _shape(_session_rows(earlier, 2))  # p1b, the folder imported again below
    assert reference["counts"]["frames"] > 0 and reference["counts"]["key_photos"] > 0

    def after(seconds: float) -> Callable[[], bool]:
        deadline = time.monotonic() + seconds
        return lambda: time.monotonic() >= deadline

    def wal_exists() -> bool:  # the commit is being written
        return wal.exists()

    def file_grows() -> Callable[[], bool]:  # the checkpoint is copying the commit into the file
        size = path.stat().st_size
        return lambda: wal.exists() and path.exists() and path.stat().st_size != size

    # Kill at fixed moments (before, during and after the ~1.2 s import) and at the moments the
    # commit and the checkpoint start. Wherever the kill lands, the assertion is the same.
    triggers: list[tuple[str, Callable[[], Callable[[], bool]]]] = [
        ("0.5 s", lambda: after(0.5)),
        ("1.0 s", lambda: after(1.0)),
        ("1.5 s", lambda: after(1.5)),
        ("wal appears", lambda: wal_exists),
        ("file grows", file_grows),
    ]
    env = {**os.environ, "TONUS_FACE_MODEL": str(model_path)}
    cmd = [str(TONUS)] if TONUS.exists() else [sys.executable, "-m", "journal"]
    outcomes = []
    for n, (label, make_trigger) in enumerate(triggers):
        day = f"2026-11-{11 + n:02d}"
        trigger = make_trigger()
        proc = subprocess.Popen(
            [*cmd, "--home", str(home), "import", "--date", day, str(faces_dir / "protocol" / "p1b")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = _wait_then_kill(proc, trigger)

        with Store.open(path) as store:  # what the next `tonus` command does: replay any WAL
            rows = store.export_tables(photos=True)
        ids = {r["id"] for r in rows["sessions"]}
        # Every earlier row intact, byte for byte: the entry, the profile, every earlier test.
        assert rows["entries"] == earlier["entries"]
        assert rows["profile"] == earlier["profile"]
        for old in earlier["sessions"]:
            assert old in rows["sessions"], (label, old)
            assert _session_rows(rows, old["id"]) == _session_rows(earlier, old["id"]), (label, old["id"])
        # No orphans: every row of a test's tables belongs to a test that exists.
        for table in SESSION_TABLES:
            assert {r["session_id"] for r in rows[table]} <= ids, (label, table)
        new = [r for r in rows["sessions"] if r["taken_at"].date().isoformat() == day]
        assert len(new) <= 1, label
        if new:  # all of it: every pose, frame, photo and score
            assert _shape(_session_rows(rows, new[0]["id"])) == reference, label
        outcomes.append(f"{label}: {'whole' if new else 'absent'} after {elapsed:.2f} s")
        earlier = rows  # the next attempt must keep this one's test too
    print("\n".join(outcomes))
    # The CLI reads the journal afterwards as usual.
    done = run_tonus("--home", home, "history", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["sessions"]) == len(earlier["sessions"])
