"""Limits on input: huge or hostile images, FIFOs, dates before 1900, absurd --weeks, invalid UTF-8."""

from __future__ import annotations

import os
import struct
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hostile_helpers import tonus
from PIL import Image

from journal.capture.photos import JPEG_READ_SIDE, MAX_PIXELS, exif_datetime
from journal.capture.sources import load_image
from journal.errors import UsageError
from journal.store import Store, journal_path


def png_declaring(path: Path, width: int, height: int, depth: int = 8) -> Path:
    """A tiny PNG whose header declares width×height (its data is a few bytes of zeros)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, depth, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("side", "depth"), [(13000, 8), (13000, 16), (30000, 8)])
def test_a_png_declaring_too_many_pixels_is_refused_from_its_header(
    tmp_path: Path, side: int, depth: int
) -> None:
    photo = png_declaring(tmp_path / "rest.png", side, side, depth)
    assert photo.stat().st_size < 1000
    with pytest.raises(UsageError, match="megapixels"):
        load_image(photo)
    assert exif_datetime(photo) is None


def test_the_import_of_a_pixel_bomb_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "week"
    folder.mkdir()
    png_declaring(folder / "rest.png", 30000, 30000)
    result = tonus("import", str(folder), home=tmp_path / "home", TONUS_FACE_MODEL=str(tmp_path / "none"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "DecompressionBomb" not in result.stderr


def test_a_large_jpeg_is_read_reduced(tmp_path: Path) -> None:
    photo = tmp_path / "rest.jpg"
    Image.fromarray(np.full((3000, 9000, 3), 128, np.uint8)).save(photo, quality=70)
    image = load_image(photo)
    assert max(image.shape[:2]) < 9000 and max(image.shape[:2]) >= JPEG_READ_SIDE
    assert image.shape[0] * image.shape[1] <= MAX_PIXELS


def test_a_fifo_is_skipped_with_a_warning_and_never_opened(tmp_path: Path) -> None:
    folder = tmp_path / "week"
    folder.mkdir()
    os.mkfifo(folder / "snarl.jpg")
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "rest.jpg")
    assert exif_datetime(folder / "snarl.jpg") is None  # returns at once: a FIFO is never opened
    result = tonus(
        "import", str(folder), home=tmp_path / "home", timeout=60, TONUS_FACE_MODEL=str(tmp_path / "x")
    )
    assert "snarl.jpg" in result.stderr and "Traceback" not in result.stderr
    assert result.returncode in (1, 2, 3)


@pytest.mark.parametrize("when", ["0001-01-01", "1899-12-31 23:59"])
def test_dates_before_1900_are_refused(tmp_path: Path, when: str) -> None:
    result = tonus("log", "pain", "3", "--at", when, home=tmp_path / "home")
    assert result.returncode == 2 and "before 1900" in result.stderr
    with Store.open(journal_path(tmp_path / "h2")) as store, pytest.raises(UsageError, match="1900"):
        store.add_entry(datetime(1, 1, 1), "pain", 3)


@pytest.mark.parametrize("weeks", ["1000000", "99999999999999999999"])
def test_absurd_weeks_are_refused(tmp_path: Path, weeks: str) -> None:
    with Store.open(journal_path(tmp_path / "home")) as store:
        store.add_entry(datetime(2025, 1, 1), "pain", 3)
    result = tonus("chart", "--weeks", weeks, home=tmp_path / "home")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--weeks" in result.stderr
