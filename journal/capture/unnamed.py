"""Photos not named after a pose (IMG_0001.jpg, …): their order, which pose each shows, and the words.

A phone names photos by number. `tonus import FOLDER --poses rest,smile,…` gives the poses of such
photos in the order they were taken: by their EXIF DateTimeOriginal when they carry one, else by the
file's modification time, ties broken by name. Without `--poses` the command asks on a terminal
(`ask`), and refuses without one. The expression check then confirms or questions each photo
(`verdict`); the importer stores only the poses it confirms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal.capture.frames import FOLDER_IMAGE_EXTENSIONS
from journal.capture.photos import is_regular_file, photo_conditions
from journal.errors import UsageError
from journal.protocol import POSE_NAMES, is_pose_name

_POSES = ", ".join(POSE_NAMES)

#: What each pose looks like, for "IMG_0003.jpg → smile: looks like a smile".
LOOKS_LIKE: Mapping[str, str] = {
    "rest": "a relaxed face",
    "brow_raise": "raised eyebrows",
    "eyes_gentle": "gently closed eyes",
    "eyes_tight": "eyes squeezed shut",
    "smile": "a smile",
    "smile_teeth": "a big smile showing the teeth",
    "snarl": "a wrinkled nose with the upper lip lifted",
    "pucker": "puckered lips",
    "lower_teeth": "the lower teeth shown",
    "cheek_puff": "puffed-out cheeks",
}


@dataclass(frozen=True, slots=True)
class UnnamedPhoto:
    """A photo whose name is not a pose, with the time that orders it (EXIF, else the file's)."""

    path: Path
    taken_at: datetime
    from_exif: bool

    def describe(self) -> str:
        """One line of the listing: "IMG_0001.jpg  taken 2026-11-30 09:12:03" (or "file time …")."""
        what = "taken" if self.from_exif else "file time"
        return f"{self.path.name}  {what} {self.taken_at:%Y-%m-%d %H:%M:%S}"


def _photo_files(folder: Path) -> list[Path]:
    """The folder's photos (JPEG, PNG, HEIC, WebP) by name; hidden files and non-photos are left out."""
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        raise UsageError(f"cannot list {folder} ({exc.strerror}): check its permissions.") from exc
    return [
        e
        for e in entries
        if not e.name.startswith(".") and e.suffix.lower() in FOLDER_IMAGE_EXTENSIONS and is_regular_file(e)
    ]


def unnamed_photos(folder: Path) -> list[UnnamedPhoto]:
    """The folder's photos not named after a pose, in the order they were taken (ties by name)."""
    found = []
    for path in _photo_files(folder):
        if is_pose_name(path.stem.lower()):
            continue
        when = photo_conditions(path).taken_at
        if when is not None:
            found.append(UnnamedPhoto(path, when, True))
        else:
            found.append(UnnamedPhoto(path, datetime.fromtimestamp(path.stat().st_mtime), False))
    return sorted(found, key=lambda p: (p.taken_at, p.path.name))


def named_poses(folder: Path) -> dict[str, str]:
    """Poses already named by a file in the folder (pose → file name)."""
    return {p.stem.lower(): p.name for p in _photo_files(folder) if is_pose_name(p.stem.lower())}


def parse_poses(text: str, photos: Sequence[UnnamedPhoto], folder: Path) -> dict[str, str]:
    """Map the photos, in order, to the comma-separated poses in `text` (file name → pose).

    A blank, an unknown pose, a pose given twice or already named by a file, or a count that differs
    from the photos is refused with a sentence naming the value.
    """
    given = [re.sub(r"[\s-]+", "_", word.strip().lower()) for word in text.split(",")]
    if any(not word for word in given):
        raise UsageError(f"The poses {text!r} hold an empty name: separate the poses by single commas.")
    for word in given:
        if not is_pose_name(word):
            raise UsageError(f"{word!r} is not a pose of the protocol: use {_POSES}.")
        if given.count(word) > 1:
            raise UsageError(f"The pose {word} is given twice in {text!r}: each photo shows another pose.")
    already = named_poses(folder)
    for word in given:
        if word in already:
            raise UsageError(
                f"The pose {word} is already shown by {already[word]} in {folder}: leave it out of the poses."
            )
    if len(given) != len(photos):
        names = ", ".join(p.path.name for p in photos) or "none"
        raise UsageError(
            f"{len(given)} poses were given ({text!r}) for the {len(photos)} photos of {folder} not named "
            f"after a pose ({names}): give one pose per photo, in the order they were taken."
        )
    return {photo.path.name: pose for photo, pose in zip(photos, given, strict=True)}


def pose_mapping(
    folder: Path,
    poses: str | None,
    ask: Callable[[str], str] | None,
    say: Callable[[str], None],
) -> dict[str, str]:
    """Which pose each photo not named after one shows (file name → pose); {} when all are named.

    `poses` is `--poses`; without it the photos are listed through `say` and `ask` asks (again after
    an answer that cannot be used); with neither, the import is refused with one sentence.
    """
    photos = unnamed_photos(folder)
    if poses is not None:
        return parse_poses(poses, photos, folder)
    if not photos:
        return {}
    if ask is None:
        raise UsageError(
            f"{folder} holds {len(photos)} photos not named after a pose ({photos[0].path.name}, …): "
            "pass --poses with the pose of each, in the order they were taken (e.g. --poses rest,smile)."
        )
    say(f"{folder} holds {len(photos)} photos not named after a pose. In the order they were taken:")
    for number, photo in enumerate(photos, 1):
        say(f"  {number}. {photo.describe()}")
    say(f"The poses of the protocol: {_POSES}.")
    while True:
        answer = ask("Which pose does each photo show? Give them in this order, separated by commas: ")
        if not answer.strip():
            raise UsageError(f"No poses were given for the photos of {folder}: nothing was imported.")
        try:
            return parse_poses(answer, photos, folder)
        except UsageError as exc:
            say(str(exc))


def verdict(name: str, pose: str, confirmed: bool) -> str:
    """The expression check's word on one photo: "IMG_0003.jpg → smile: looks like a smile"."""
    looks = LOOKS_LIKE.get(pose, pose.replace("_", " "))
    if confirmed:
        return f"{name} → {pose}: looks like {looks}"
    return (
        f"{name} → {pose}: does not look like {looks} (the face did not show the pose asked for); "
        f"{pose} is not stored"
    )
