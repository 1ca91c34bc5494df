"""The stored frames of many tests in one query, as arrays: what re-scoring reads.

Reading a test's frames one `FrameRecord` at a time cost about 18 ms a test (a query, a `decode` and a
blendshape dict a frame); here a batch of tests is one query, every landmark blob of a batch is
unpacked by one array operation, and the blendshapes become one matrix. The values are those of
`read_frames`: the landmarks exactly as `landmarks.decode` gives them, blendshapes as float32 read
into float64.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np

from journal.scoring.batch import FrameArrays
from journal.store import landmarks as lm
from journal.store.sessions import N_LANDMARKS

Cursor = duckdb.DuckDBPyConnection

_PACKED = np.dtype([("bounds", "<f4", (6,)), ("points", "<u8", (N_LANDMARKS,))])
assert _PACKED.itemsize == lm.PACKED_BYTES

#: Ordered here (lexsort), not by DuckDB, whose ORDER BY moves every blob: for ten years' 11 batches
#: 0.33 CPU s (0.7 s wall) instead of 0.78 (2.6 s wall).
_QUERY = (
    "SELECT session_id, pose, idx, landmarks, blendshapes, yaw, pitch, width, height FROM frames "
    "WHERE session_id BETWEEN ? AND ?"
)


def decode_many(blobs: Sequence[bytes | bytearray], ids: Sequence[int] | None = None) -> np.ndarray:
    """`landmarks.decode` of many blobs at once (either stored form): an N×478×3 float32 array, or
    N×L×3 of the landmarks `ids` only (unpacking only those)."""
    keep = np.arange(N_LANDMARKS) if ids is None else np.asarray(ids, dtype=np.intp)
    out = np.empty((len(blobs), len(keep), 3), dtype=np.float32)
    sizes = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=len(blobs))
    packed = np.flatnonzero(sizes == lm.PACKED_BYTES)
    if len(packed):
        rows = np.frombuffer(b"".join(blobs[i] for i in packed.tolist()), dtype=_PACKED)
        bounds = rows["bounds"].astype(np.float64)
        low, span = bounds[:, None, :3], bounds[:, None, 3:] - bounds[:, None, :3]
        points = rows["points"] if ids is None else rows["points"][:, keep]
        steps = np.empty((len(rows), len(keep), 3), dtype=np.uint64)
        for axis in range(3):  # x in the low bits
            np.right_shift(points, np.uint64(axis * lm.BITS), out=steps[..., axis])
        steps &= np.uint64(lm.TOP)
        # `decode`'s low + steps / TOP * (high - low), operation by operation, in place.
        values = steps.astype(np.float64)
        values /= lm.TOP
        values *= span
        values += low
        if len(packed) == len(blobs):
            out[...] = values
        else:
            out[packed] = values
    for i in np.flatnonzero(sizes != lm.PACKED_BYTES).tolist():  # float32 frames of old journals
        out[i] = lm.decode(bytes(blobs[i]))[keep]
    return out


def _matrix(lists: np.ndarray, width: int) -> np.ndarray:
    """The blendshape lists of N frames as an N×width float64 matrix, NaN where a frame has none."""
    items = lists.tolist()
    plain = all(type(v) is np.ndarray and len(v) == width for v in items)
    if plain and items:
        return np.stack(items).astype(np.float64)
    out = np.full((len(lists), width), np.nan)
    for i, values in enumerate(items):
        if values is None:
            continue
        row = np.ma.filled(np.ma.asarray(values, dtype=np.float64), np.nan)
        out[i, : len(row)] = row
    return out


def _floats(column: np.ndarray) -> np.ndarray:
    """A nullable number column as float64, NaN for NULL."""
    filled: np.ndarray = np.ma.filled(np.ma.asarray(column, dtype=np.float64), np.nan)
    return filled


def read_frame_arrays(
    cur: Cursor, session_ids: Sequence[int], landmark_ids: Sequence[int] | None = None
) -> FrameArrays:
    """The frames of the tests `session_ids` (in one query over their id range), as `FrameArrays`,
    with all 478 landmarks or only `landmark_ids` (in that order)."""
    wanted = sorted({int(i) for i in session_ids})
    names_at = dict(cur.execute("SELECT position, name FROM blendshape_names").fetchall())
    names = tuple(names_at.get(i) for i in range(max(names_at, default=-1) + 1))
    if not wanted:
        columns: dict[str, np.ndarray] = {}
    else:
        columns = cur.execute(_QUERY, [wanted[0], wanted[-1]]).fetchnumpy()
    ids = np.asarray(columns.get("session_id", []), dtype=np.int64)
    poses = np.asarray(columns.get("pose", np.empty(0, dtype=object)), dtype=object)
    if len(ids):  # by test, pose (by name, as DuckDB orders text) and frame index
        names_order = np.unique(poses, return_inverse=True)[1]
        order = np.lexsort((np.asarray(columns["idx"], dtype=np.int64), names_order, ids))
    else:
        order = np.empty(0, dtype=np.intp)
    rows = order[np.isin(ids[order], np.asarray(wanted, dtype=np.int64))]
    blobs = columns.get("landmarks", np.empty(0, dtype=object))
    width = max([len(names)] + [len(b) for b in columns.get("blendshapes", []) if b is not None])
    return FrameArrays(
        session_ids=ids[rows],
        poses=poses[rows],
        landmarks=decode_many([blobs[i] for i in rows.tolist()], landmark_ids),
        blendshapes=_matrix(np.asarray(columns.get("blendshapes", np.empty(0, dtype=object)))[rows], width),
        names=names + (None,) * (width - len(names)),
        yaw=_floats(columns.get("yaw", np.empty(0)))[rows],
        pitch=_floats(columns.get("pitch", np.empty(0)))[rows],
        width=np.asarray(columns.get("width", []), dtype=np.int64)[rows],
        height=np.asarray(columns.get("height", []), dtype=np.int64)[rows],
        landmark_ids=tuple(range(N_LANDMARKS))
        if landmark_ids is None
        else tuple(int(i) for i in landmark_ids),
    )
