"""`tonus rescore`: every stored test scored again with this scorer, in batches, on every core.

The main process reads a batch of tests' frames (one query), hands it to a worker process that fits,
gates and scores them (`journal.scoring.batch`, pure numpy), and saves each batch's scores in one
transaction as they come back, in order; DuckDB is used from the main process only. A few batches
are read ahead, so reading, scoring and saving overlap. Stopping early (the caller stops iterating,
or Ctrl-C) keeps every batch already yielded; the workers are stopped before returning.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing

import numpy as np

from journal.protocol import Side
from journal.scoring.batch import LANDMARKS, FrameArrays, score_tests
from journal.scoring.session import SessionScores
from journal.services.importer import as_side, scores_row
from journal.store import Store

#: Tests re-scored between two saves: one transaction and six statements per batch, not per test.
RESCORE_BATCH = 16
#: Below this many batches the workers' start (about 0.3 s each) costs more than it saves.
MIN_BATCHES_FOR_WORKERS = 3

Scored = list[tuple[int, SessionScores | None]]


def default_workers() -> int:
    """Worker processes to use: one per core this process may run on (at most 4)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def _in_order(
    store: Store,
    chunks: Sequence[list[int]],
    canonical: np.ndarray,
    affected: Side | None,
    scale: float | None,
    workers: int,
) -> Generator[Scored, None, None]:
    """Each chunk's scores, in order: here, or in `workers` processes with a few chunks read ahead."""
    if workers <= 1 or len(chunks) < MIN_BATCHES_FOR_WORKERS:
        for chunk in chunks:
            yield score_tests(store.frame_arrays(chunk, LANDMARKS), canonical, affected, scale)
        return
    import multiprocessing

    # spawn: a fresh interpreter that loads numpy and the scorer only (no fork of DuckDB's threads).
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    pending: deque[Future[Scored]] = deque()
    try:
        upcoming = iter(chunks)
        for chunk in upcoming:
            frames: FrameArrays = store.frame_arrays(chunk, LANDMARKS)
            pending.append(pool.submit(score_tests, frames, canonical, affected, scale))
            if len(pending) > workers:  # keep every worker busy and one batch waiting
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def rescore_all(
    store: Store, canonical: np.ndarray, batch: int = RESCORE_BATCH, workers: int | None = None
) -> Generator[tuple[int, SessionScores | None], None, None]:
    """Re-score every stored test from its landmarks; yield (test id, new scores or None) once saved.

    Tests go by id in batches of `batch`; each batch's scores are saved in one transaction before its
    tests are yielded, so stopping early keeps every batch already yielded. None: no usable frame.
    """
    profile = store.get_profile()
    affected = as_side(profile.affected_side)
    ids = sorted(s.id for s in store.sessions())
    chunks = [ids[i : i + batch] for i in range(0, len(ids), max(1, batch))]
    count = default_workers() if workers is None else workers
    scored = _in_order(store, chunks, canonical, affected, profile.mm_per_unit, count)
    with closing(scored):  # stopping early stops the workers at once, not when collected
        for chunk, results in zip(chunks, scored, strict=False):
            found = dict(results)
            done = [(sid, found.get(sid)) for sid in chunk]
            store.replace_scores_many([(sid, scores_row(s)) for sid, s in done if s is not None])
            yield from done
