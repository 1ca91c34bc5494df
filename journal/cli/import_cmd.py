"""`tonus import` before the journal opens: the paths checked, and the poses of photos not named after one."""

from __future__ import annotations

import sys
from pathlib import Path

from journal.errors import UsageError
from journal.text import printable


def _ask(prompt: str) -> str:
    """Ask on the terminal; an end of input (ctrl+d) is an empty answer."""
    try:
        return input(prompt)
    except EOFError:
        return ""


def say_line(line: str) -> None:
    """Print one line for the person, control characters shown as signs."""
    print(printable(line))


def import_plan(paths: list[str], poses: str | None) -> tuple[list[Path], dict[Path, dict[str, str]]]:
    """The folders and videos to import, and for each folder the pose of each photo not named after one.

    Everything is settled before the journal is opened: `poses` (`--poses`) names one folder's
    photos; without it a terminal is asked, and without a terminal the import is refused.
    """
    from journal.capture.sources import is_video_path
    from journal.capture.unnamed import pose_mapping

    folders = [Path(p) for p in paths]
    for folder in folders:
        if is_video_path(folder) and not folder.is_file():
            raise UsageError(f"cannot find the video {folder}: check its name and folder.")
        if not folder.is_dir() and not is_video_path(folder):
            raise UsageError(
                f"{folder} is not a folder or a video: give folders of photos named after poses "
                "(rest.jpg, …) or a video of the whole test."
            )

    if poses is not None:
        if len(folders) > 1:
            raise UsageError(
                "--poses names the photos of one folder: import one folder per call when you give it."
            )
        if is_video_path(folders[0]):
            raise UsageError(
                f"--poses names photos in a folder, and {folders[0]} is a video: its poses are found in it."
            )
    ask = _ask if sys.stdin is not None and sys.stdin.isatty() else None
    return folders, {
        folder: pose_mapping(folder, poses, ask, say_line) for folder in folders if folder.is_dir()
    }
