"""`tonus import` of photos not named after a pose: --poses, the question on a terminal, the refusals,
the expression check's word on each photo, and the photos' EXIF capture conditions.

Synthetic photos are written to tmp_path; the real protocol photos are copied INTO tmp_path under
phone names (IMG_0001.jpg, …) at test time, never into the repository.
"""

from __future__ import annotations

import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from journal.capture.photos import photo_conditions
from journal.capture.unnamed import pose_mapping, unnamed_photos
from journal.cli import main
from journal.errors import EXIT_USAGE
from journal.store import JOURNAL_FILENAME, Store

_EXIF_IFD, _ORIGINAL, _ORIENTATION, _MAKE, _MODEL = 0x8769, 36867, 274, 271, 272


@pytest.fixture(autouse=True)
def _never_the_real_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default location into tmp_path, and give no terminal unless a test gives one."""
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "env-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


class _Terminal(io.StringIO):
    """Typed answers on a terminal (stdin that says it is a tty)."""

    def isatty(self) -> bool:
        return True


def run_main(capfd: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `tonus ARGS` in-process; return (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def one_sentence(err: str) -> str:
    """stderr's only line: one sentence from tonus."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("tonus: ") and lines[0].rstrip().endswith("."), lines[0]
    return lines[0]


def exif(
    when: str | None = None, orientation: int | None = None, make: str | None = None, model: str | None = None
) -> Image.Exif:
    """EXIF with DateTimeOriginal, Orientation, Make and Model as given."""
    data = Image.Exif()
    if when is not None:
        data.get_ifd(_EXIF_IFD)[_ORIGINAL] = when
    for tag, value in ((_ORIENTATION, orientation), (_MAKE, make), (_MODEL, model)):
        if value is not None:
            data[tag] = value
    return data


def photo(path: Path, data: Image.Exif | None = None, mtime: float | None = None) -> Path:
    """A small synthetic JPEG (no face), with EXIF and a file time when given."""
    pixels = np.full((40, 30, 3), 120, dtype=np.uint8)
    Image.fromarray(pixels).save(path, format="JPEG", exif=data if data is not None else Image.Exif())
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def three_unnamed(folder: Path) -> Path:
    """IMG_0001–3.jpg whose order by time (EXIF, else file time) is 3, 1, 2: not their names' order."""
    folder.mkdir()
    base = datetime(2026, 11, 30, 9, 0).timestamp()
    photo(folder / "IMG_0001.jpg", exif("2026:11:30 09:05:00"))
    photo(folder / "IMG_0002.jpg", mtime=base + 3600)  # no EXIF: its file time, 10:00
    photo(folder / "IMG_0003.jpg", exif("2026:11:30 08:55:00"))
    return folder


# --- order, mapping and refusals (no face model needed: all is settled before it loads) -------------


def test_unnamed_photos_are_ordered_by_exif_time_else_file_time_ties_by_name(tmp_path: Path) -> None:
    folder = three_unnamed(tmp_path / "week")
    photo(folder / "rest.jpg")  # named after a pose: not one of them
    photo(folder / "IMG_0000.jpg", exif("2026:11:30 09:05:00"))  # same time as IMG_0001: by name
    (folder / "notes.txt").write_text("not a photo")
    found = unnamed_photos(folder)
    assert [p.path.name for p in found] == ["IMG_0003.jpg", "IMG_0000.jpg", "IMG_0001.jpg", "IMG_0002.jpg"]
    assert [p.from_exif for p in found] == [True, True, True, False]
    assert found[0].describe() == "IMG_0003.jpg  taken 2026-11-30 08:55:00"


def test_the_question_lists_the_photos_in_order_and_asks_again_after_a_bad_answer(tmp_path: Path) -> None:
    folder = three_unnamed(tmp_path / "week")
    said: list[str] = []
    answers = iter(["rest, smile", "rest, Brow raise, smile"])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    got = pose_mapping(folder, None, ask, said.append)
    assert got == {"IMG_0003.jpg": "rest", "IMG_0001.jpg": "brow_raise", "IMG_0002.jpg": "smile"}
    assert said[1:4] == [
        "  1. IMG_0003.jpg  taken 2026-11-30 08:55:00",
        "  2. IMG_0001.jpg  taken 2026-11-30 09:05:00",
        "  3. IMG_0002.jpg  file time 2026-11-30 10:00:00",
    ]
    assert "rest, brow_raise, eyes_gentle" in said[4]  # the protocol's pose names are shown
    assert "2 poses were given" in said[5]  # the bad answer's sentence, then the question again
    assert len(asked) == 2


def test_no_terminal_and_no_poses_is_refused_in_one_sentence_and_nothing_is_written(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = three_unnamed(tmp_path / "week")
    home = tmp_path / "home"
    code, out, err = run_main(capfd, "--home", home, "import", folder)
    assert code == EXIT_USAGE and out == ""
    line = one_sentence(err)
    assert "--poses" in line and "IMG_0003.jpg" in line and "not named after a pose" in line
    assert not (home / JOURNAL_FILENAME).exists()


@pytest.mark.parametrize(
    ("poses", "named"),
    [
        ("rest,smile", "'rest,smile'"),  # two poses for three photos
        ("rest,smile,pucker,snarl", "'rest,smile,pucker,snarl'"),
        ("rest,grin,smile", "'grin'"),  # not a pose of the protocol
        ("rest,smile,rest", "rest"),  # the same pose twice
        ("rest,,smile", "'rest,,smile'"),
    ],
)
def test_a_wrong_poses_value_is_refused_naming_it(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], poses: str, named: str
) -> None:
    folder = three_unnamed(tmp_path / "week")
    home = tmp_path / "home"
    code, out, err = run_main(capfd, "--home", home, "import", folder, "--poses", poses)
    assert code == EXIT_USAGE and out == ""
    assert named in one_sentence(err)
    assert not (home / JOURNAL_FILENAME).exists()


def test_poses_already_named_by_a_file_and_poses_for_two_folders_are_refused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = three_unnamed(tmp_path / "week")
    photo(folder / "smile.jpg")
    home = tmp_path / "home"
    code, _, err = run_main(capfd, "--home", home, "import", folder, "--poses", "rest,smile,pucker")
    assert code == EXIT_USAGE and "smile.jpg" in one_sentence(err)
    other = three_unnamed(tmp_path / "week2")
    code, _, err = run_main(capfd, "--home", home, "import", folder, other, "--poses", "rest,pucker,snarl")
    assert code == EXIT_USAGE and "one folder per call" in one_sentence(err)
    assert not (home / JOURNAL_FILENAME).exists()


def test_a_blank_answer_on_the_terminal_imports_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = three_unnamed(tmp_path / "week")
    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", _Terminal("\n"))
    code, out, err = run_main(capfd, "--home", home, "import", folder)
    assert code == EXIT_USAGE
    assert "1. IMG_0003.jpg" in out and "The poses of the protocol: rest, brow_raise" in out
    assert "nothing was imported" in one_sentence(err)
    assert not (home / JOURNAL_FILENAME).exists()


def test_photo_conditions_read_time_orientation_and_camera(tmp_path: Path) -> None:
    path = photo(tmp_path / "IMG_0001.jpg", exif("2026:11:30 09:05:07", 6, "Apple", "iPhone 13"))
    got = photo_conditions(path)
    assert (got.taken_at, got.orientation, got.camera) == (
        datetime(2026, 11, 30, 9, 5, 7),
        6,
        "Apple iPhone 13",
    )
    same = photo(tmp_path / "b.jpg", exif(make="Canon", model="Canon EOS R6"))
    assert photo_conditions(same).camera == "Canon EOS R6"  # the make is not said twice
    bare = photo_conditions(photo(tmp_path / "c.jpg"))
    assert (bare.taken_at, bare.orientation, bare.camera) == (None, None, None)


# --- the real protocol photos under phone names -----------------------------------------------------


def phone_folder(faces_dir: Path, dest: Path, poses: list[str]) -> Path:
    """p1a's photos of `poses`, copied into `dest` as IMG_0001.jpg, … taken a minute apart (EXIF)."""
    dest.mkdir()
    for n, pose in enumerate(poses, 1):
        with Image.open(faces_dir / "protocol" / "p1a" / f"{pose}.jpg") as img:
            img.load()
            data = exif(f"2026:11:30 09:{n:02d}:00", 1, "Apple", "iPhone 13")
            img.save(dest / f"IMG_{n:04d}.jpg", format="JPEG", quality=95, exif=data)
    return dest


def history(capfd: pytest.CaptureFixture[str], home: Path) -> list[dict[str, Any]]:
    code, out, err = run_main(capfd, "--home", home, "history", "--json")
    assert code == 0, err
    sessions: list[dict[str, Any]] = json.loads(out)["sessions"]
    return sessions


@pytest.mark.shared
def test_the_right_mapping_is_confirmed_stored_and_its_conditions_kept(
    tmp_path: Path,
    faces_dir: Path,
    model_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    folder = phone_folder(faces_dir, tmp_path / "week", ["rest", "brow_raise", "smile_teeth"])
    home = tmp_path / "home"
    code, out, err = run_main(
        capfd, "--home", home, "import", folder, "--poses", "rest,brow_raise,smile_teeth"
    )
    assert code == 0, err
    assert "IMG_0001.jpg → rest: looks like a relaxed face" in out
    assert "IMG_0002.jpg → brow_raise: looks like raised eyebrows" in out
    assert "IMG_0003.jpg → smile_teeth: looks like a big smile showing the teeth" in out
    assert "Imported" in out and "of 2026-11-30" in out
    [session] = history(capfd, home)
    assert set(session["poses"]) == {"rest", "brow_raise", "smile_teeth"}
    assert session["taken_at"] == "2026-11-30T09:01"
    assert session["capture"] == {
        "photos_taken_from": "2026-11-30T09:01:00",
        "photos_taken_to": "2026-11-30T09:03:00",
        "orientations": [1],
        "cameras": ["Apple iPhone 13"],
    }
    with Store.open(home / JOURNAL_FILENAME, read_only=True) as store:
        poses = {p.pose: p for p in store.poses(session["id"])}
    assert poses["brow_raise"].photo_taken_at == datetime(2026, 11, 30, 9, 2)
    # The same photos again are refused, as for photos named after poses.
    code, _, err = run_main(capfd, "--home", home, "import", folder, "--poses", "rest,brow_raise,smile_teeth")
    assert code == EXIT_USAGE and "--again" in err


@pytest.mark.shared
def test_a_wrong_mapping_is_questioned_and_those_poses_are_not_stored(
    tmp_path: Path,
    faces_dir: Path,
    model_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    folder = phone_folder(faces_dir, tmp_path / "week", ["rest", "eyes_tight", "smile_teeth"])
    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", _Terminal("rest, smile_teeth, eyes_tight\n"))  # the last two swapped
    code, out, err = run_main(capfd, "--home", home, "import", folder)
    assert code == 0, err
    assert "IMG_0001.jpg → rest: looks like a relaxed face" in out
    assert (
        "IMG_0002.jpg → smile_teeth: does not look like a big smile showing the teeth "
        "(the face did not show the pose asked for); smile_teeth is not stored"
    ) in out
    assert "IMG_0003.jpg → eyes_tight: does not look like eyes squeezed shut" in out
    [session] = history(capfd, home)
    assert set(session["poses"]) == {"rest"}


def test_a_file_name_with_terminal_controls_is_listed_as_signs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "week"
    folder.mkdir()
    photo(folder / "IMG_\x1b[2J0001.jpg")
    monkeypatch.setattr("sys.stdin", _Terminal("\n"))
    code, out, err = run_main(capfd, "--home", tmp_path / "home", "import", folder)
    assert code == EXIT_USAGE
    assert "0001.jpg" in out and "\x1b" not in out + err


@pytest.mark.shared
def test_a_photo_turned_by_its_exif_orientation_is_read_upright_and_its_orientation_kept(
    tmp_path: Path,
    faces_dir: Path,
    model_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    folder = tmp_path / "week"
    folder.mkdir()
    with Image.open(faces_dir / "protocol" / "p1a" / "rest.jpg") as img:
        # Stored a quarter turn anticlockwise, as a phone held sideways stores it; EXIF 6 says
        # "turn a quarter clockwise to show it".
        turned = img.transpose(Image.Transpose.ROTATE_90)
        turned.save(
            folder / "IMG_0001.jpg", quality=95, exif=exif("2026:11:30 09:00:00", 6, "Google", "Pixel 8")
        )
    home = tmp_path / "home"
    code, out, err = run_main(capfd, "--home", home, "import", folder, "--poses", "rest")
    assert code == 0, err
    assert "IMG_0001.jpg → rest: looks like a relaxed face" in out
    [session] = history(capfd, home)
    assert session["capture"]["orientations"] == [6]
    assert session["capture"]["cameras"] == ["Google Pixel 8"]
