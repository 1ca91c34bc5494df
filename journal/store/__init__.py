"""The journal's storage: the only code that talks to DuckDB (see `Store`)."""

from journal.paths import JOURNAL_FILENAME
from journal.store.connect import (
    ForeignFileError,
    JournalLockedError,
    StoreError,
    journal_path,
)
from journal.store.export import FORMATS, ExportFormat
from journal.store.rows import (
    CaptureConditions,
    Entry,
    Event,
    FrameRecord,
    HistoryRow,
    NewFrame,
    NewPose,
    NewSession,
    PoseRecord,
    PoseScores,
    Profile,
    Scores,
    SensationDay,
    TestSession,
)
from journal.store.schema import CURRENT_VERSION
from journal.store.store import UNSET, Store
from journal.store.validate import (
    AFFECTED_SIDES,
    ENTRY_SIDES,
    EVENT_KINDS,
    REGIONS_WHERE,
    SENSATIONS,
    SESSION_SOURCES,
    SIDE_SOURCES,
)

__all__ = [
    "AFFECTED_SIDES",
    "CURRENT_VERSION",
    "ENTRY_SIDES",
    "EVENT_KINDS",
    "FORMATS",
    "JOURNAL_FILENAME",
    "REGIONS_WHERE",
    "SENSATIONS",
    "SESSION_SOURCES",
    "SIDE_SOURCES",
    "UNSET",
    "CaptureConditions",
    "Entry",
    "Event",
    "ExportFormat",
    "ForeignFileError",
    "FrameRecord",
    "HistoryRow",
    "JournalLockedError",
    "NewFrame",
    "NewPose",
    "NewSession",
    "PoseRecord",
    "PoseScores",
    "Profile",
    "Scores",
    "SensationDay",
    "Store",
    "StoreError",
    "TestSession",
    "journal_path",
]
