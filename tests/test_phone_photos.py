"""Phone photos as they come: HEIC (iPhone) and WebP are read upright, like JPEG and PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from journal.capture.photos import enable_heif
from journal.capture.sources import FolderSource, load_image


def _picture(h: int = 48, w: int = 64) -> np.ndarray:
    """A smooth RGB picture whose halves differ, so a transpose or a mix-up would show."""
    y, x = np.mgrid[0:h, 0:w]
    image = np.stack([x * 4, y * 5, (x + y) * 2], axis=-1).astype(np.uint8)
    image[:, : w // 2, 2] = 200
    return image


@pytest.mark.parametrize("suffix", [".heic", ".webp"])
def test_a_heic_or_webp_photo_reads_as_its_pixels(tmp_path: Path, suffix: str) -> None:
    from PIL import Image

    enable_heif()
    original = _picture()
    path = tmp_path / f"rest{suffix}"
    Image.fromarray(original).save(path, quality=95)
    image = load_image(path)
    assert image.shape == original.shape and image.dtype == np.uint8
    assert np.abs(image.astype(int) - original.astype(int)).mean() < 6  # lossy, but the same picture


def test_a_folder_of_phone_photos_is_read_by_pose(tmp_path: Path) -> None:
    from PIL import Image

    enable_heif()
    Image.fromarray(_picture()).save(tmp_path / "rest.HEIC", quality=90)
    Image.fromarray(_picture()).save(tmp_path / "smile.webp", quality=90)
    warnings: list[str] = []
    folder = FolderSource(tmp_path, warn=warnings.append)
    assert folder.poses == ("rest", "smile") and warnings == []


def test_heic_reads_in_a_fresh_interpreter_without_registering_anything(tmp_path: Path) -> None:
    """`load_image` registers the HEIC opener itself (a CLI run has nothing else that would)."""
    import subprocess
    import sys

    from PIL import Image

    enable_heif()
    path = tmp_path / "IMG_0001.heic"
    Image.fromarray(_picture()).save(path, quality=90)
    code = "import sys; from journal.capture.sources import load_image; print(load_image(sys.argv[1]).shape)"
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(48, 64, 3)"
