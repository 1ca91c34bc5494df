"""The journal's schema: the DDL of every version and the ordered migrations between them.

Version 1 was the first cut (profile, sessions, poses, frames, scores, entries). Version 2 records
where a test came from (`sessions.source`) and adds the `events` table that marks charts. Version 3
keys `region_scores` (re-scoring deletes and inserts by key). Version 4 keeps what an imported
photo's EXIF says of how it was taken (`poses.photo_taken_at`, `orientation`, `camera`). Version 5
records how each test's landmarks were measured (`sessions.landmarks`: 'model' for the face model's
points alone, every test before, or 'refined/1' with the lower lid and brow refined from the image;
journal.scoring.version), because a stored test keeps landmarks, not images, and can never be refined
afterwards: brow and eye millimetres are compared only between tests measured the same way. Old DDL
stays here so tests can build an old journal and check that a migration keeps every row.

Landmarks are stored as a BLOB (478×3): up to version 2 little-endian float32 (5.7 KB a frame),
from version 3 21 bits a coordinate within the face's box (3.8 KB: see landmarks.py). A BLOB was
the smallest and fastest form measured (FLOAT[] lists took 4× longer to insert and were larger).
Old float32 frames stay readable; `tonus compact` rewrites them. Blendshapes are a FLOAT[] whose
positions are named by `blendshape_names`, a list that only grows, so old frames stay readable when
new names appear.

Large values make DuckDB checkpoints slow: a checkpoint rewrites the row groups that changed and
merges small appended ones, and with DuckDB's default row groups those merges grew with the journal
(spikes of 2.5-2.9 s after a simulated ten years of weekly tests). So key photos are stored as 6 KiB
parts, `frames` has a primary key, the journal is attached with 2048-row row groups (connect.py) and
the Store runs its own checkpoints (store.py). Over the same ten years: a test import p50 70 ms,
closing the journal after one p50 0.16 s (worst 1.1 s), the file 0.7 GB.
"""

from __future__ import annotations

from typing import Final

APP: Final[str] = "tonus"
CURRENT_VERSION: Final[int] = 5

_META: Final[str] = "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"

_COMMON: Final[tuple[str, ...]] = (
    _META,
    """CREATE TABLE profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        affected_side VARCHAR,
        onset DATE,
        camera VARCHAR,
        mm_per_unit DOUBLE,
        updated_at TIMESTAMP
    )""",
    "CREATE SEQUENCE session_ids START 1",
    "CREATE SEQUENCE entry_ids START 1",
)

_SESSIONS_V1: Final[str] = """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY DEFAULT nextval('session_ids'),
        taken_at TIMESTAMP NOT NULL,
        protocol VARCHAR NOT NULL,
        scorer_version VARCHAR NOT NULL,
        tiredness SMALLINT CHECK (tiredness BETWEEN 0 AND 10),
        note VARCHAR
    )"""

_SESSIONS_V2: Final[str] = """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY DEFAULT nextval('session_ids'),
        taken_at TIMESTAMP NOT NULL,
        protocol VARCHAR NOT NULL,
        scorer_version VARCHAR NOT NULL,
        tiredness SMALLINT CHECK (tiredness BETWEEN 0 AND 10),
        note VARCHAR,
        source VARCHAR DEFAULT 'import'
    )"""

_REGION_SCORES_V1: Final[str] = """CREATE TABLE region_scores (
        session_id INTEGER NOT NULL,
        scorer_version VARCHAR NOT NULL,
        pose VARCHAR NOT NULL,
        region VARCHAR NOT NULL,
        left_mm DOUBLE,
        right_mm DOUBLE
    )"""
#: Version 3 keys region_scores like the other score tables, so re-scoring deletes by key.
_REGION_KEY: Final[str] = "PRIMARY KEY (session_id, scorer_version, pose, region)"
_REGION_SCORES_V3: Final[str] = _REGION_SCORES_V1.removesuffix("\n    )") + f",\n        {_REGION_KEY}\n    )"

_REST: Final[tuple[str, ...]] = (
    """CREATE TABLE poses (
        session_id INTEGER NOT NULL,
        pose VARCHAR NOT NULL,
        frames_seen INTEGER NOT NULL,
        frames_used INTEGER NOT NULL,
        rejected MAP(VARCHAR, INTEGER),
        PRIMARY KEY (session_id, pose)
    )""",
    """CREATE TABLE key_photos (
        session_id INTEGER NOT NULL,
        pose VARCHAR NOT NULL,
        part SMALLINT NOT NULL,
        jpeg BLOB NOT NULL,
        PRIMARY KEY (session_id, pose, part)
    )""",
    "CREATE TABLE blendshape_names (position INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE)",
    """CREATE TABLE frames (
        session_id INTEGER NOT NULL,
        pose VARCHAR NOT NULL,
        idx INTEGER NOT NULL,
        landmarks BLOB NOT NULL,
        blendshapes FLOAT[],
        yaw DOUBLE,
        pitch DOUBLE,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        PRIMARY KEY (session_id, pose, idx)
    )""",
    """CREATE TABLE session_scores (
        session_id INTEGER NOT NULL,
        scorer_version VARCHAR NOT NULL,
        scored_at TIMESTAMP NOT NULL,
        tonus DOUBLE,
        movement DOUBLE,
        synkinesis DOUBLE,
        affected_side VARCHAR,
        affected_side_source VARCHAR NOT NULL,
        mm_per_unit DOUBLE NOT NULL,
        side_evidence DOUBLE,
        PRIMARY KEY (session_id, scorer_version)
    )""",
    """CREATE TABLE pose_scores (
        session_id INTEGER NOT NULL,
        scorer_version VARCHAR NOT NULL,
        pose VARCHAR NOT NULL,
        symmetry DOUBLE,
        symmetry_low DOUBLE,
        symmetry_high DOUBLE,
        movement DOUBLE,
        movement_left DOUBLE,
        movement_right DOUBLE,
        note VARCHAR,
        PRIMARY KEY (session_id, scorer_version, pose)
    )""",
    _REGION_SCORES_V1,
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY DEFAULT nextval('entry_ids'),
        occurred_at TIMESTAMP NOT NULL,
        sensation VARCHAR NOT NULL,
        intensity SMALLINT NOT NULL CHECK (intensity BETWEEN 0 AND 10),
        side VARCHAR,
        region VARCHAR,
        note VARCHAR
    )""",
)

_EVENTS_V2: Final[tuple[str, ...]] = (
    "CREATE SEQUENCE event_ids START 1",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY DEFAULT nextval('event_ids'),
        occurred_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL,
        label VARCHAR NOT NULL
    )""",
)

#: Version 1, the first cut (kept so tests can create an old journal).
DDL_V1: Final[tuple[str, ...]] = (*_COMMON, _SESSIONS_V1, *_REST)

#: Version 2, as created fresh. `sessions.source` comes last, where ALTER TABLE puts it on a migrated
#: journal, so fresh and migrated journals have the same columns in the same order.
DDL_V2: Final[tuple[str, ...]] = (
    *_COMMON,
    _SESSIONS_V2,
    *_REST,
    *_EVENTS_V2,
)

#: Version 3: region_scores keyed; landmarks written packed (landmarks.py), the older float32
#: ones still read, made compact by `tonus compact` (compact.py) rather than on opening.
DDL_V3: Final[tuple[str, ...]] = tuple(_REGION_SCORES_V3 if s == _REGION_SCORES_V1 else s for s in DDL_V2)

#: Version 4: each pose keeps its photo's EXIF capture conditions (NULL for camera and video tests).
#: The columns come last, where ALTER TABLE puts them on a migrated journal.
_PHOTO_CONDITIONS: Final[tuple[str, ...]] = (
    "photo_taken_at TIMESTAMP",
    "orientation SMALLINT",
    "camera VARCHAR",
)
_POSES_V1: Final[str] = _REST[0]
_POSES_V4: Final[str] = _POSES_V1.replace(
    "rejected MAP(VARCHAR, INTEGER),",
    "rejected MAP(VARCHAR, INTEGER),\n        " + ",\n        ".join(_PHOTO_CONDITIONS) + ",",
)
DDL_V4: Final[tuple[str, ...]] = tuple(_POSES_V4 if s == _POSES_V1 else s for s in DDL_V3)

#: Version 5: how each test's landmarks were measured. The column comes last, where ALTER TABLE puts
#: it; its default is the older way, what every test stored before version 5 was measured with.
_LANDMARKS_COLUMN: Final[str] = "landmarks VARCHAR DEFAULT 'model'"
_SESSIONS_V5: Final[str] = _SESSIONS_V2.removesuffix("\n    )") + f",\n        {_LANDMARKS_COLUMN}\n    )"
DDL_V5: Final[tuple[str, ...]] = tuple(_SESSIONS_V5 if s == _SESSIONS_V2 else s for s in DDL_V4)

DDL: Final[dict[int, tuple[str, ...]]] = {1: DDL_V1, 2: DDL_V2, 3: DDL_V3, 4: DDL_V4, 5: DDL_V5}

#: MIGRATIONS[n] takes a journal from version n-1 to n. Tests made before v2 were all imports.
MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    2: (
        "ALTER TABLE sessions ADD COLUMN source VARCHAR DEFAULT 'import'",
        *_EVENTS_V2,
    ),
    3: (f"ALTER TABLE region_scores ADD {_REGION_KEY}",),
    4: tuple(f"ALTER TABLE poses ADD COLUMN {column}" for column in _PHOTO_CONDITIONS),
    5: (f"ALTER TABLE sessions ADD COLUMN {_LANDMARKS_COLUMN}",),
}

#: Every table of the current version, in export order.
TABLES: Final[tuple[str, ...]] = (
    "meta",
    "profile",
    "sessions",
    "poses",
    "key_photos",
    "blendshape_names",
    "frames",
    "session_scores",
    "pose_scores",
    "region_scores",
    "entries",
    "events",
)


def meta_rows(version: int) -> list[tuple[str, str]]:
    """Return the `meta` rows that mark a Tonus journal of `version`."""
    return [("app", APP), ("schema_version", str(version))]


def migrations_from(version: int) -> list[tuple[int, tuple[str, ...]]]:
    """Return the migrations to apply, in order, to bring `version` up to CURRENT_VERSION."""
    return [(v, MIGRATIONS[v]) for v in range(version + 1, CURRENT_VERSION + 1)]
