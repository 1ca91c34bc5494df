"""Still photos as frame sources: one photo, or a folder of photos named after the poses."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from journal.capture.frames import (
    _POSE_LIST,
    FOLDER_IMAGE_EXTENSIONS,
    Frame,
    PathArg,
    Warn,
    _check_file,
    _check_pose,
    _pose_from_stem,
    _SourceBase,
    _warn_stderr,
)
from journal.capture.photos import enable_heif, limit_image
from journal.errors import UsageError
from journal.protocol import POSE_NAMES

if TYPE_CHECKING:
    from PIL import Image


def _to_rgb_array(im: Image.Image) -> NDArray[np.uint8]:
    """Convert a loaded Pillow image of any mode to an H×W×3 uint8 C-contiguous RGB array."""
    mode = im.mode
    if mode.startswith("I"):  # 16- or 32-bit grayscale: scale down to 8 bits
        gray = np.asarray(im).astype(np.int64)
        if gray.size and int(gray.max()) > 255:
            gray = gray >> 8
        gray8 = np.clip(gray, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray8[:, :, None], 3, axis=2))
    if mode != "RGB":
        if "A" in mode or "transparency" in im.info:
            im = im.convert("RGBA")
        im = im.convert("RGB")
    return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))


def load_image(path: PathArg) -> NDArray[np.uint8]:
    """Read a photo (JPEG, PNG or anything Pillow reads) as upright H×W×3 uint8 RGB."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    p = Path(path)
    _check_file(p, "a photo (JPEG, PNG, HEIC or WebP)")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise UsageError(f"cannot read {p} ({exc.strerror}): check its permissions") from exc
    if size == 0:
        raise UsageError(f"{p} is empty (0 bytes): copy it again from the camera")
    if p.suffix.lower() in (".heic", ".heif"):
        enable_heif()
    try:
        with Image.open(p) as im:
            limit_image(im, p)  # from the header, before any pixel is decoded
            try:
                im.load()
            except Image.DecompressionBombError as exc:
                raise UsageError(f"{p} is too large for Tonus: resize it to a few megapixels") from exc
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                raise UsageError(f"{p} is truncated or damaged: copy it again from the camera") from exc
            if im.width == 0 or im.height == 0:
                raise UsageError(f"{p} is an image with no pixels: take the photo again")
            try:
                upright = ImageOps.exif_transpose(im)
            except (OSError, SyntaxError, ValueError, KeyError, TypeError):
                upright = im  # unreadable EXIF: keep the pixels as stored
            return _to_rgb_array(upright)
    except UnidentifiedImageError as exc:
        raise UsageError(
            f"{p} is not an image Tonus can read (JPEG, PNG, HEIC or WebP): export it again as JPEG"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise UsageError(f"{p} is too large for Tonus: resize it to a few megapixels") from exc
    except (SyntaxError, ValueError, EOFError) as exc:
        raise UsageError(f"{p} is truncated or damaged: copy it again from the camera") from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot read {p} ({reason}): check it is a readable file") from exc


class ImageSource(_SourceBase):
    """One photo as one frame; its pose is `pose`, else its file stem when that names a pose."""

    is_stream = False

    def __init__(self, path: PathArg, pose: str | None = None) -> None:
        self.path = Path(path)
        _check_file(self.path, "a photo (JPEG, PNG, HEIC or WebP)")
        self.pose = _check_pose(pose) or _pose_from_stem(self.path)
        self.name = str(path)

    def frames(self) -> Iterator[Frame]:
        """Yield the photo as a single frame (index 0, timestamp 0)."""
        image = load_image(self.path)
        yield Frame(image=image, index=0, timestamp_ms=0, source=self.name, pose=self.pose)


class FolderSource(_SourceBase):
    """A folder of photos named after poses (rest.jpg, smile.png, …), read in protocol order.

    `given` gives the pose of photos not named after one (file name → pose, e.g. from
    `tonus import --poses`).
    """

    is_stream = False

    def __init__(
        self, path: PathArg, warn: Warn = _warn_stderr, given: Mapping[str, str] | None = None
    ) -> None:
        self.path = Path(path)
        self.name = str(path)
        if not self.path.exists():
            raise UsageError(f"cannot find the folder {self.path}: check its name")
        if not self.path.is_dir():
            raise UsageError(f"{self.path} is not a folder: pass a folder of photos named after poses")
        by_pose: dict[str, list[Path]] = {}
        try:
            entries = sorted(self.path.iterdir(), key=lambda e: e.name)
        except OSError as exc:
            raise UsageError(f"cannot list {self.path} ({exc.strerror}): check its permissions") from exc
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files (.DS_Store, ._rest.jpg) are never photos of the user
            pose = _pose_from_stem(entry) or _check_pose((given or {}).get(entry.name))
            if entry.is_file() and pose is not None and entry.suffix.lower() in FOLDER_IMAGE_EXTENSIONS:
                by_pose.setdefault(pose, []).append(entry)
            else:
                warn(
                    f"skipping {entry.name}: not a JPEG, PNG, HEIC or WebP named after a pose ({_POSE_LIST})"
                )
        for pose, paths in by_pose.items():
            if len(paths) > 1:
                names = " and ".join(p.name for p in paths)
                raise UsageError(
                    f"{self.path} has {len(paths)} photos for the pose {pose} ({names}): keep only one"
                )
        if not by_pose:
            raise UsageError(
                f"{self.path} has no photos named after a pose: name each one after its pose, "
                f"e.g. rest.jpg or smile.png ({_POSE_LIST})"
            )
        self.items: tuple[tuple[str, Path], ...] = tuple(
            (pose, by_pose[pose][0]) for pose in POSE_NAMES if pose in by_pose
        )

    @property
    def poses(self) -> tuple[str, ...]:
        """The poses found in the folder, in protocol order."""
        return tuple(pose for pose, _ in self.items)

    def frames(self) -> Iterator[Frame]:
        """Yield one frame per pose photo, in protocol order (timestamp_ms = index)."""
        for index, (pose, path) in enumerate(self.items):
            image = load_image(path)
            yield Frame(image=image, index=index, timestamp_ms=index, source=str(path), pose=pose)
