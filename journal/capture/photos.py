"""Photo helpers: the key photo as a small JPEG, and the date a photo was taken (EXIF)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import numpy as np

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_DATETIME = 306


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


def exif_datetime(path: Path) -> datetime | None:
    """Return when a photo was taken according to its EXIF data, or None."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            exif = picture.getexif()
            raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except (OSError, UnidentifiedImageError):
        return None
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
