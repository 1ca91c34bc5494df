"""`tonus entries`, `edit`, `delete`, `delete-test`, duplicate imports, and dates as people write them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from journal.cli import main
from journal.cli.words import choice_word, friendly_time, parse_when
from journal.errors import EXIT_USAGE, UsageError
from journal.store import Store, journal_path

NOW = datetime(2026, 12, 1, 15, 40)  # a Tuesday


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def tonus(capfd: pytest.CaptureFixture[str], home: Path, *args: str | Path) -> tuple[int, str, str]:
    code = main(["--home", str(home), *map(str, args)])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today 21:30", datetime(2026, 12, 1, 21, 30)),
        ("Today", datetime(2026, 12, 1, 0, 0)),
        ("yesterday", datetime(2026, 11, 30, 0, 0)),
        ("yesterday 8:05", datetime(2026, 11, 30, 8, 5)),
        ("monday 9:00", datetime(2026, 11, 30, 9, 0)),
        ("tuesday", datetime(2026, 12, 1, 0, 0)),
        ("wed 7pm", datetime(2026, 11, 25, 19, 0)),
        ("Sunday at 10:15", datetime(2026, 11, 29, 10, 15)),
        ("2026-11-03", datetime(2026, 11, 3, 0, 0)),
        ("2026-11-03 21:30", datetime(2026, 11, 3, 21, 30)),
        ("3 Nov 2026 21:30", datetime(2026, 11, 3, 21, 30)),
    ],
)
def test_dates_are_read_as_people_write_them(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["soonish", "01/11/2026", "yesterday 25:00", "12", "mo"])
def test_dates_that_do_not_parse_say_how_to_write_them(text: str) -> None:
    with pytest.raises(UsageError, match="does not parse: write it like"):
        parse_when(text, now=NOW)


def test_names_and_times_in_peoples_words() -> None:
    assert choice_word("Dry-eye") == "dry_eye"
    assert choice_word(" Sound sensitivity ") == "sound_sensitivity"
    assert friendly_time(datetime(2026, 12, 1, 21, 30), NOW) == "today 21:30"
    assert friendly_time(datetime(2026, 11, 30, 8, 0), NOW) == "yesterday 08:00"
    assert friendly_time(datetime(2026, 11, 27, 9, 0), NOW) == "Fri 27 Nov 09:00"


def test_log_accepts_any_case_and_dashes(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert tonus(capfd, home, "log", "Twitching", "3", "--at", "yesterday 21:30")[0] == 0
    assert tonus(capfd, home, "log", "dry-eye", "2", "--side", "Left")[0] == 0
    assert tonus(capfd, home, "event", "Therapy", "physio")[0] == 0
    with Store.open(journal_path(str(home)), read_only=True) as store:
        entries = store.entries()
        assert [(e.sensation, e.side) for e in entries] == [("twitching", None), ("dry_eye", "left")]
        assert entries[0].at.strftime("%H:%M") == "21:30"
        assert [e.kind for e in store.events()] == ["therapy"]


def test_entries_lists_edits_and_deletes_entries_and_events(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    tonus(capfd, home, "log", "pain", "4", "--at", "2026-11-02 10:00", "--note", "after [dinner]")
    tonus(capfd, home, "log", "itching", "2", "--at", "2026-11-05 10:00")
    tonus(capfd, home, "event", "therapy", "physio starts", "--at", "2026-11-03")

    code, out, _ = tonus(capfd, home, "entries")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert "pain 4/10" in lines[0] and "“after [dinner]”" in lines[0]
    assert "E1" in lines[1] and "therapy: physio starts" in lines[1]
    assert "itching 2/10" in lines[2]

    code, out, _ = tonus(capfd, home, "entries", "--from", "2026-11-03", "--to", "2026-11-04", "--json")
    data = json.loads(out)
    assert data["entries"] == [] and [e["id"] for e in data["events"]] == ["E1"]
    code, out, _ = tonus(capfd, home, "entries", "--to", "2026-11-02", "--json")
    assert [e["sensation"] for e in json.loads(out)["entries"]] == ["pain"]

    assert tonus(capfd, home, "edit", "1", "--intensity", "6", "--note", "")[0] == 0
    assert tonus(capfd, home, "edit", "E1", "--label", "physio, week 1", "--kind", "Milestone")[0] == 0
    code, _, err = tonus(capfd, home, "edit", "E1", "--intensity", "3")
    assert code == EXIT_USAGE and "is an event" in err
    code, _, err = tonus(capfd, home, "edit", "9", "--intensity", "3")
    assert code == EXIT_USAGE and "no journal entry number 9" in err
    with Store.open(journal_path(str(home)), read_only=True) as store:
        pain = store.entries()[0]
        assert (pain.intensity, pain.note) == (6, None)
        event = store.events()[0]
        assert (event.kind, event.label) == ("milestone", "physio, week 1")

    assert tonus(capfd, home, "delete", "E1")[0] == 0
    assert tonus(capfd, home, "delete", "2")[0] == 0
    code, _, err = tonus(capfd, home, "delete", "x2")
    assert code == EXIT_USAGE and "not an entry number" in err
    with Store.open(journal_path(str(home)), read_only=True) as store:
        assert [e.id for e in store.entries()] == [1] and store.events() == []


def test_delete_test_asks_for_yes_and_deletes_the_test(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "ui"))
    from fakes import fixed_session

    home = tmp_path / "home"
    with Store.open(journal_path(str(home))) as store:
        first = store.add_session(fixed_session(datetime(2026, 11, 1, 9), 80, 60))
        store.add_session(fixed_session(datetime(2026, 11, 8, 9), 82, 62))
    code, _, err = tonus(capfd, home, "delete-test", str(first))
    assert code == EXIT_USAGE and "add --yes" in err
    code, out, _ = tonus(capfd, home, "delete-test", str(first), "--yes")
    assert code == 0 and "Deleted test" in out
    code, _, err = tonus(capfd, home, "delete-test", str(first), "--yes")
    assert code == EXIT_USAGE and f"no test {first}" in err
    with Store.open(journal_path(str(home)), read_only=True) as store:
        assert [s.taken_at.day for s in store.sessions()] == [8]


@pytest.mark.shared
def test_importing_the_same_photos_twice_is_refused_unless_again(
    tmp_path: Path,
    faces_dir: Path,
    model_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    home = tmp_path / "home"
    folder = faces_dir / "protocol" / "p3"
    assert tonus(capfd, home, "import", folder)[0] == 0
    code, out, err = tonus(capfd, home, "import", folder)
    assert code == EXIT_USAGE, out
    assert "already stored as test 1" in err and "--again" in err
    assert tonus(capfd, home, "import", faces_dir / "protocol" / "p1a")[0] == 0  # other photos: fine
    assert tonus(capfd, home, "import", folder, "--again")[0] == 0
    with Store.open(journal_path(str(home)), read_only=True) as store:
        assert len(store.sessions()) == 3


def test_analyze_of_a_missing_path_names_what_analyze_takes(capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "/nope"])
    err = capfd.readouterr().err
    assert code == EXIT_USAGE
    assert "cannot find /nope" in err and "a photo, a folder of pose photos or a video" in err
    assert "camera number" not in err


def test_the_no_face_message_gives_its_advice_once() -> None:
    from collections import Counter

    from journal.services.analysis import _no_face_message

    text = _no_face_message("rest.jpg", Counter({"no_face": 2}))
    assert text == (
        "no usable face in rest.jpg (no face found); "
        "to try again: face the camera, in good light, at arm's length"
    )
    assert text.count("arm's length") == 1
