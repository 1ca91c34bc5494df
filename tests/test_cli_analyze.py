"""`tonus analyze` on bad inputs: exit codes 2 (bad usage or unreadable file) and 3 (no usable face),
messages that name the file and say what to do, and never a traceback.

Every input here is generated into tmp_path, except one real face photo copied into tmp_path for the
folder test. Most cases run in-process through `journal.cli.main` (stderr captured at the file
descriptor, so MediaPipe's own logging would show); a few run the installed `tonus` script in a
subprocess to check the real exit code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from journal.cli import main
from journal.errors import EXIT_NO_FACE, EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
TONUS = ROOT / ".venv" / "bin" / "tonus"


# --- generated inputs -----------------------------------------------------------------------------


def _noise_image(h: int = 240, w: int = 320, seed: int = 0) -> np.ndarray:
    """A colour gradient with noise: an image with no face in it."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), np.full_like(x, 90)], -1)
    noisy = base + rng.normal(0, 25, size=(h, w, 3))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _write_image(path: Path, **save: object) -> Path:
    Image.fromarray(_noise_image()).save(path, **save)
    return path


def _write_noise_video(path: Path, frames: int = 10) -> Path:
    cv2 = pytest.importorskip("cv2")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 15.0, (320, 240))
    if not writer.isOpened():
        pytest.skip("OpenCV cannot write mp4v videos here")
    try:
        for i in range(frames):
            writer.write(_noise_image(seed=i)[..., ::-1].copy())
    finally:
        writer.release()
    assert path.stat().st_size > 0
    return path


# --- running the command ----------------------------------------------------------------------------


@pytest.fixture
def model_env(model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The face model from ../shared and an empty journal directory, for this process and children."""
    env = {"TONUS_FACE_MODEL": str(model_path), "TONUS_HOME": str(tmp_path / "home")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, **env}


def run_main(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `tonus ARGS` in-process; return (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capfd.readouterr()
    assert "Traceback" not in err, err
    return code, out, err


def run_tonus(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `tonus` script (or `python -m journal`) in a subprocess."""
    cmd = [str(TONUS)] if TONUS.exists() else [sys.executable, "-m", "journal"]
    done = subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


# --- unreadable files: exit 2 -------------------------------------------------------------------------


def test_missing_file_exits_2_and_names_it(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "rest.jpg"
    code, out, err = run_main(capfd, "analyze", str(missing))
    assert code == EXIT_USAGE
    assert str(missing) in err
    assert out == ""


def test_missing_file_exit_code_in_a_subprocess(model_env: dict[str, str], tmp_path: Path) -> None:
    done = run_tonus(model_env, "analyze", "--json", "missing.jpg", cwd=tmp_path)
    assert done.returncode == EXIT_USAGE
    assert "missing.jpg" in done.stderr
    assert done.stdout == ""


def test_text_file_named_jpg_exits_2_and_names_it(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "x.jpg"
    fake.write_text("these are notes, not a photo\n")
    code, _, err = run_main(capfd, "analyze", "--pose", "rest", str(fake))
    assert code == EXIT_USAGE
    assert str(fake) in err
    assert "JPEG, PNG, HEIC or WebP" in err


def test_truncated_jpeg_exits_2(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    whole = _write_image(tmp_path / "whole.jpg", format="JPEG", quality=90)
    data = whole.read_bytes()
    cut = tmp_path / "rest.jpg"
    cut.write_bytes(data[: len(data) * 2 // 5])
    code, out, err = run_main(capfd, "analyze", str(cut))
    assert code == EXIT_USAGE
    assert str(cut) in err
    assert "truncated" in err or "damaged" in err
    assert out == ""


# --- no usable face: exit 3 ---------------------------------------------------------------------------


def test_image_without_a_face_exits_3_and_says_what_to_try(model_env: dict[str, str], tmp_path: Path) -> None:
    photo = _write_image(tmp_path / "rest.png", format="PNG")
    done = run_tonus(model_env, "analyze", str(photo))
    assert done.returncode == EXIT_NO_FACE
    assert str(photo) in done.stderr
    assert "no usable face" in done.stderr
    assert "try" in done.stderr  # what to do: light, distance, facing the camera


def test_image_without_a_face_in_process(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    photo = _write_image(tmp_path / "rest.png", format="PNG")
    code, _, err = run_main(capfd, "analyze", "--json", str(photo))
    assert code == EXIT_NO_FACE
    assert str(photo) in err and "try" in err


def test_video_without_a_face_exits_3(model_env: dict[str, str], tmp_path: Path) -> None:
    video = _write_noise_video(tmp_path / "noise.mp4")
    done = run_tonus(model_env, "analyze", "--pose", "rest", str(video))
    assert done.returncode == EXIT_NO_FACE
    assert str(video) in done.stderr
    assert "no usable face" in done.stderr


# --- bad usage: exit 2 -----------------------------------------------------------------------------------


def test_video_without_pose_is_a_protocol_and_without_a_face_exits_3(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Without --pose a video is a whole protocol; with no face in it, it says so and exits 3."""
    video = _write_noise_video(tmp_path / "clip.mp4")
    code, out, err = run_main(capfd, "analyze", str(video))
    assert code == EXIT_NO_FACE
    assert str(video) in err
    assert "no usable face" in err
    assert "Found in" not in out


def test_unknown_pose_exits_2(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    photo = _write_image(tmp_path / "face.png", format="PNG")
    code, _, err = run_main(capfd, "analyze", "--pose", "frown", str(photo))
    assert code == EXIT_USAGE
    assert "frown" in err
    assert "rest" in err and "smile" in err  # lists the poses to choose from


def test_unknown_pose_exit_code_in_a_subprocess(model_env: dict[str, str], tmp_path: Path) -> None:
    photo = _write_image(tmp_path / "face.png", format="PNG")
    done = run_tonus(model_env, "analyze", "--pose", "frown", str(photo))
    assert done.returncode == EXIT_USAGE
    assert "frown" in done.stderr


def test_image_not_named_after_a_pose_exits_2(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    photo = _write_image(tmp_path / "holiday.jpg", format="JPEG")
    code, _, err = run_main(capfd, "analyze", str(photo))
    assert code == EXIT_USAGE
    assert str(photo) in err
    assert "--pose" in err


def test_folder_with_a_stray_file_warns_and_succeeds(
    model_env: dict[str, str], faces_dir: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "week1"
    folder.mkdir()
    shutil.copyfile(faces_dir / "protocol" / "p2" / "rest.jpg", folder / "rest.jpg")  # tmp_path only
    (folder / "notes.txt").write_text("felt tired today\n")
    code, out, err = run_main(capfd, "analyze", "--json", str(folder))
    assert code == 0, err
    assert "warning" in err
    assert "notes.txt" in err
    assert '"rest"' in out


def test_rest_folder_is_not_blamed_on_pose(
    model_env: dict[str, str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    photo = _write_image(tmp_path / "eyes_gentle.png", format="PNG")
    folder = tmp_path / "baseline"
    folder.mkdir()
    _write_image(folder / "rest.png", format="PNG")
    code, _, err = run_main(capfd, "analyze", str(photo), "--rest", str(folder))
    assert code != 0
    assert "--pose cannot be used" not in err, err


@pytest.mark.shared
def test_rest_folder_gives_the_rest_reference(
    model_env: dict[str, str], faces_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import json

    person = faces_dir / "protocol" / "p2"
    code, out, err = run_main(
        capfd, "analyze", "--json", str(person / "smile_teeth.jpg"), "--rest", str(person)
    )
    assert code == 0, err
    result = json.loads(out)
    assert list(result["poses"]) == ["smile_teeth"]
    assert result["poses"]["smile_teeth"]["movement"]["score"] > 50


# --- no face model ----------------------------------------------------------------------------------------


def _no_model_env(tmp_path: Path, model: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TONUS_FACE_MODEL"}
    env["TONUS_HOME"] = str(tmp_path / "home")
    if model is not None:
        env["TONUS_FACE_MODEL"] = model
    return env


@pytest.mark.parametrize("model", ("points-to-missing-file", None), ids=("env-missing", "not-installed"))
def test_without_the_model_says_how_to_install_it(tmp_path: Path, model: str | None) -> None:
    photo = _write_image(tmp_path / "rest.png", format="PNG")
    env = _no_model_env(tmp_path, None if model is None else str(tmp_path / "missing.task"))
    done = run_tonus(env, "analyze", str(photo))
    assert done.returncode != 0
    assert done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr  # one sentence, no traceback, no MediaPipe log
    assert "`tonus model install`" in lines[0]
    assert lines[0].rstrip().endswith(".")


# --- --help stays light ------------------------------------------------------------------------------

_HEAVY = ("mediapipe", "cv2")

_PROBE = """
import sys
import journal.cli
journal.cli.build_parser()
for argv in ({argvs}):
    try:
        journal.cli.main(argv)
    except SystemExit:
        pass
print("HEAVY=" + ",".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
"""


def test_help_does_not_import_mediapipe_or_cv2() -> None:
    code = _PROBE.format(argvs="['--help'], ['analyze', '--help'], ['model', '--help'],", heavy=_HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "usage: tonus" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY=", done.stdout


def test_help_in_a_subprocess_imports_nothing_heavy() -> None:
    """`python -X importtime -m journal --help` lists every module the real command imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "journal", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "analyze" in done.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line
    }
    assert "journal" in imported
    assert not imported & set(_HEAVY), sorted(imported & set(_HEAVY))
    if TONUS.exists():
        script = subprocess.run(
            [str(TONUS), "--help"], capture_output=True, text=True, timeout=60, check=False
        )
        assert script.returncode == 0 and "analyze" in script.stdout
        assert "Traceback" not in script.stderr
