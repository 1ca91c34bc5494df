"""`tonus rescore`: every stored test scored again with this scorer, in batches, on every core.

The main process reads a batch of tests' frames (one query), hands it to a worker process that fits,
gates and scores them (`journal.scoring.batch`, pure numpy), and saves each batch's scores in one
transaction as they come back, in order; DuckDB is used from the main process only. A few batches
are read ahead, so reading, scoring and saving overlap. Stopping early (the caller stops iterating,
or Ctrl-C) keeps every batch already yielded; the workers are stopped before returning. On a busy
machine it all runs in this process (see `default_workers`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Generator, Sequence
from contextlib import closing

import numpy as np

from journal.protocol import Side
from journal.scoring.batch import LANDMARKS, FrameArrays, score_tests
from journal.scoring.session import SessionScores
from journal.services.importer import as_side, scores_row
from journal.store import Store

#: Tests read, scored and saved together: one query, one task for a worker and one transaction of
#: six statements per batch. Each statement costs 3-7 ms of CPU whatever its size, so 16-test
#: batches spent 1.3 s of ten years' re-scoring saving; 48 spend a third of that and still keep
#: both workers busy (11 batches) with progress every half second or so.
RESCORE_BATCH = 48
#: Below this many batches the workers' start (about 0.3 s of CPU each) costs more than it saves.
MIN_BATCHES_FOR_WORKERS = 3

Scored = list[tuple[int, SessionScores | None]]


#: Worker processes pay off below this one-minute load average per core (see `default_workers`).
BUSY_LOAD_PER_CORE = 1.75


def default_workers(load: float | None = None) -> int:
    """Worker processes to use: one per core this process may run on (at most 4), unless the machine
    is busy (a one-minute load average of `BUSY_LOAD_PER_CORE` a core or more); then none (1: score
    in this process).

    Workers cost about 2.3 CPU s more over ten years (starting them, passing frames and scores
    between processes): about 4 CPU s here and 2.6 in each of two workers, against 7.3 in one
    process. Ten years on this shared 2-core machine, measured in turn: at a load of 3.0-3.5 workers
    took 5.5-6.5 s against 7.5 s in one process; at 4.7-4.9, 15.3 against 14.0 s; at 6.5-7, 18-19.5
    against 14-15 s. `load` is the one-minute load average (read when None).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    if load is None:
        try:
            load = os.getloadavg()[0]
        except OSError:  # pragma: no cover - no load average here
            load = 0.0
    if cores < 2 or load >= BUSY_LOAD_PER_CORE * cores:
        return 1
    return min(cores, 4)


class _Worker:
    """One `rescore_worker` process: a task sent, its result read back, one at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "journal.services.rescore_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def send(self, task: tuple[FrameArrays, np.ndarray, Side | None, float | None]) -> None:
        assert self.process.stdin is not None
        pickle.dump(task, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.flush()

    def receive(self) -> Scored:
        assert self.process.stdout is not None
        try:
            result: Scored = pickle.load(self.process.stdout)
        except EOFError:
            raise RuntimeError(f"a re-scoring worker stopped (exit code {self.process.wait()})") from None
        return result

    def stop(self) -> None:
        """Close its input (it exits when idle); kill it if it is still busy a moment later."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a worker stuck in a task
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _in_order(
    store: Store,
    chunks: Sequence[list[int]],
    canonical: np.ndarray,
    affected: Side | None,
    scale: float | None,
    workers: int,
) -> Generator[Scored, None, None]:
    """Each chunk's scores, in order: here, or in `workers` worker processes, chunk j on worker
    j mod workers, each sent its next chunk as soon as it hands one back (one task at a time, so a
    pipe never fills both ways), while this process saves the scores and reads the next frames."""
    if workers <= 1 or len(chunks) < MIN_BATCHES_FOR_WORKERS:
        for chunk in chunks:
            yield score_tests(store.frame_arrays(chunk, LANDMARKS), canonical, affected, scale)
        return
    pool: list[_Worker] = []
    try:
        pool = [_Worker() for _ in range(min(workers, len(chunks)))]
        for j, chunk in enumerate(chunks[: len(pool)]):
            pool[j].send((store.frame_arrays(chunk, LANDMARKS), canonical, affected, scale))
        for j in range(len(chunks)):
            worker = pool[j % len(pool)]
            result = worker.receive()
            if j + len(pool) < len(chunks):
                worker.send(
                    (store.frame_arrays(chunks[j + len(pool)], LANDMARKS), canonical, affected, scale)
                )
            yield result
    finally:
        for worker in pool:
            worker.stop()


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
