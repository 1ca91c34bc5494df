"""The weekly test protocol: pose names (a CLI and file contract), instructions and regions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Side = Literal["left", "right"]
SIDES: Final[tuple[Side, Side]] = ("left", "right")

Region = Literal["brow", "eye", "midface", "mouth"]
REGIONS: Final[tuple[Region, ...]] = ("brow", "eye", "midface", "mouth")


@dataclass(frozen=True, slots=True)
class Pose:
    """One expression of the weekly test."""

    name: str
    instruction: str
    item: str
    measure: str


POSES: Final[tuple[Pose, ...]] = (
    Pose("rest", "Relax, eyes open, look at the lens", "resting symmetry", "resting position"),
    Pose("brow_raise", "Raise both eyebrows", "brow lift", "brow height gain"),
    Pose("eyes_gentle", "Close your eyes gently", "gentle eye closure", "eye closure"),
    Pose("eyes_tight", "Squeeze your eyes shut", "full eye closure", "eye closure"),
    Pose("smile", "Smile with your mouth closed", "commissure with smile", "mouth-corner travel"),
    Pose("smile_teeth", "Give a big smile showing your teeth", "open-mouth smile", "mouth-corner travel"),
    Pose("snarl", "Wrinkle your nose and lift your upper lip", "snarl", "ala and upper-lip rise"),
    Pose("pucker", "Pucker your lips as if to whistle", "lip pucker", "mouth-corner medial travel"),
    Pose("lower_teeth", 'Show your lower teeth ("eee")', "lower lip depressor", "lower-lip descent"),
    Pose("cheek_puff", "Puff out your cheeks", "buccinator", "cheek outward travel"),
)

POSE_NAMES: Final[tuple[str, ...]] = tuple(p.name for p in POSES)
POSES_BY_NAME: Final[dict[str, Pose]] = {p.name: p for p in POSES}


def is_pose_name(name: str) -> bool:
    """Tell whether `name` is one of the protocol's pose names."""
    return name in POSES_BY_NAME


def other_side(side: Side) -> Side:
    """Return the opposite anatomical side."""
    return "right" if side == "left" else "left"
