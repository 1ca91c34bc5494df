"""Messages posted from worker threads to screens (small dataclasses, past-tense names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


@dataclass
class JournalLoaded(Message):
    """The home data (profile, history, today's entries) was read from the journal."""

    profile: Any
    history: list[Any]
    today: list[Any]
    first_run: bool
    signal: str = ""
    noise: dict[str, Any] = field(default_factory=dict)  # the signal's noise by score (one figure each)
    safety: list[str] = field(default_factory=list)  # safety prompts for the latest test
    leadlag: str = ""  # what the sensations foretold, when beyond chance
    notices: list[str] = field(default_factory=list)  # what opening the journal had to say (a kept log)


@dataclass
class JournalFailed(Message):
    """The journal could not be read or written; `text` says why in one sentence."""

    text: str


@dataclass
class FrameAnalysed(Message):
    """A preview frame and what the camera sees (replaceable: only the newest matters)."""

    image: Any
    advice: str
    ok: bool
    video_at_s: float | None = None  # where a video camera is, in seconds from its start


@dataclass
class PoseCaptured(Message):
    """A pose's burst ended."""

    result: Any


@dataclass
class CameraFailed(Message):
    """The camera or the model could not be used; `text` says why."""

    text: str


@dataclass
class SessionSaved(Message):
    """The weekly test was stored as session `session_id`."""

    session_id: int
