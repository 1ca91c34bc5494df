"""The chart kinds and ranges: names only, light enough for the `tonus` parser to import at start."""

from __future__ import annotations

from typing import Final, Literal

ChartKind = Literal["recovery", "regions", "poses"]
KINDS: Final[tuple[ChartKind, ...]] = ("recovery", "regions", "poses")
#: The range choices offered by the Charts screen: label and number of weeks (None: everything).
RANGES: Final[tuple[tuple[str, int | None], ...]] = (("4 weeks", 4), ("12 weeks", 12), ("all", None))
