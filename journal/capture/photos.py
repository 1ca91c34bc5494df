"""Photo helpers: the key photo as a small JPEG, the date a photo was taken (EXIF), and input limits.

Limits on photos read from disk, checked from the file's header before any pixel is decoded:
an image may hold at most `MAX_PIXELS` (50 megapixels, e.g. 8660×5773) once decoded. A JPEG larger
than `JPEG_READ_SIDE` on its long side is decoded reduced (by 1/2, 1/4 or 1/8, which JPEG gives
for free), so a 48-megapixel phone photo is read at about 4000×3000 at most and even a huge JPEG
stays within the limit; any other image above the limit is refused with a sentence. Files that are
not regular files (a FIFO, a device) are never opened.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from journal.errors import UsageError

if TYPE_CHECKING:
    from PIL import Image

#: The most pixels an image may have once decoded (50 megapixels: 150 MB as RGB, 300 MB at 16 bits).
MAX_PIXELS = 50_000_000
#: A JPEG longer than this on its long side is decoded reduced (DCT scaling) to at least this.
JPEG_READ_SIDE = 4096

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_DATETIME = 306
_ORIENTATION = 274
_MAKE = 271
_MODEL = 272


#: Key photos are shown at most 16 terminal rows high (Results, Compare: about 320 px with image
#: support, 32 with half-cells) and as thumbnails in the report, so 400 px on the long side at
#: JPEG quality 75 shows all there is to see: 9-19 KB for the protocol photos in ../shared, against
#: 33-76 KB at 720 px and quality 85, and the photos were 44 % of a ten-year journal.
PHOTO_MAX_SIDE = 400
PHOTO_QUALITY = 75


def encode_jpeg(image: np.ndarray, max_side: int = PHOTO_MAX_SIDE, quality: int = PHOTO_QUALITY) -> bytes:
    """Encode an RGB frame as a JPEG no larger than `max_side` pixels on its long side."""
    from PIL import Image

    picture = Image.fromarray(np.ascontiguousarray(image))
    picture.thumbnail((max_side, max_side))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def shrink_jpeg(data: bytes, max_side: int = PHOTO_MAX_SIDE, quality: int = PHOTO_QUALITY) -> bytes | None:
    """Return a stored photo re-encoded at the key-photo size, or None when it is no larger already."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            if max(picture.size) <= max_side:
                return None
            picture.draft("RGB", (max_side, max_side))  # decode at a fraction of the size: faster
            smaller = picture.convert("RGB")
    except (OSError, UnidentifiedImageError):
        return None  # not readable as an image: left as it is
    smaller.thumbnail((max_side, max_side))
    out = io.BytesIO()
    smaller.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def decode_jpeg(data: bytes) -> np.ndarray:
    """Decode JPEG bytes into an RGB array."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))


def is_regular_file(path: Path) -> bool:
    """True for a regular file (links followed); False for a FIFO, a device, a folder or nothing."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def limit_image(picture: Image.Image, path: Path) -> None:
    """Before decoding: read a large JPEG reduced, and refuse any image above MAX_PIXELS (one sentence)."""
    width, height = picture.size
    if picture.format == "JPEG" and max(width, height) > JPEG_READ_SIDE:
        scale = JPEG_READ_SIDE / max(width, height)
        picture.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        width, height = picture.size
    if width * height > MAX_PIXELS:
        raise UsageError(
            f"{path} is {width}×{height} pixels, more than the {MAX_PIXELS // 1_000_000} megapixels Tonus "
            "reads: resize it (a few megapixels is plenty) or save it as JPEG."
        )


def exif_datetime(path: Path) -> datetime | None:
    """Return when a photo was taken according to its EXIF data, or None (never opens a non-regular file)."""
    from PIL import Image, UnidentifiedImageError

    if not is_regular_file(path):
        return None
    if path.suffix.lower() in (".heic", ".heif"):
        enable_heif()
    try:
        with Image.open(path) as picture:
            exif = picture.getexif()
            raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        return None
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class PhotoConditions:
    """What a photo's EXIF says about how it was taken: when, which way up, and with which camera."""

    taken_at: datetime | None = None
    #: The EXIF orientation, 1–8 (1 upright, 3 upside down, 6 and 8 turned a quarter); the photo is
    #: read upright whatever it says.
    orientation: int | None = None
    #: The camera's make and model as written by it ("Apple iPhone 13"), or None.
    camera: str | None = None


def _exif_text(value: object) -> str | None:
    """An EXIF text value stripped of padding and control characters, or None when empty."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    text = "".join(ch for ch in value if ch.isprintable()).strip()
    return text[:80] or None


def camera_name(make: str | None, model: str | None) -> str | None:
    """Join EXIF Make and Model ("Apple" + "iPhone 13"), without repeating a make the model names."""
    if make and model and model.lower().startswith(make.lower()):
        return model
    return " ".join(part for part in (make, model) if part) or None


def photo_conditions(path: Path) -> PhotoConditions:
    """Read a photo's EXIF time (DateTimeOriginal), orientation and camera; empty when it has none."""
    from PIL import Image, UnidentifiedImageError

    if not is_regular_file(path):
        return PhotoConditions()
    if path.suffix.lower() in (".heic", ".heif"):
        enable_heif()
    try:
        with Image.open(path) as picture:
            exif = picture.getexif()
            raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL)
            orientation = exif.get(_ORIENTATION)
            make, model = _exif_text(exif.get(_MAKE)), _exif_text(exif.get(_MODEL))
    except (
        OSError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        SyntaxError,
        ValueError,
        EOFError,
        KeyError,
        TypeError,
    ):
        return PhotoConditions()
    taken_at = None
    if isinstance(raw, str):
        try:
            taken_at = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken_at = None
    turned = orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else None
    return PhotoConditions(taken_at, turned, camera_name(make, model))


def enable_heif() -> None:
    """Let Pillow open iPhone HEIC/HEIF photos (pillow-heif's opener; registering twice is harmless)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
