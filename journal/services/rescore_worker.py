"""A re-scoring worker: `python -m journal.services.rescore_worker`, fed by `journal.services.rescore`.

It reads tasks from stdin, each a pickle of (frames, canonical mesh, affected side, mm scale), and
writes each task's scores (`journal.scoring.batch.score_tests`) as a pickle to stdout, until stdin
closes. It loads numpy and the scorer only: no DuckDB, no journal, nothing of its parent's state
(a worker started by `multiprocessing` would run the parent's main script again, and a fork would
copy DuckDB's threads). The pickles only ever come from the `tonus` process that started it.
"""

from __future__ import annotations

import pickle
import sys
from typing import BinaryIO

from journal.scoring.batch import score_tests


def serve(tasks: BinaryIO, results: BinaryIO) -> None:
    """Score each task read from `tasks` and write its result to `results`, until `tasks` ends."""
    while True:
        try:
            frames, canonical, affected, scale = pickle.load(tasks)
        except EOFError:
            return
        pickle.dump(
            score_tests(frames, canonical, affected, scale), results, protocol=pickle.HIGHEST_PROTOCOL
        )
        results.flush()


if __name__ == "__main__":
    try:
        serve(sys.stdin.buffer, sys.stdout.buffer)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the parent says what happened
        raise SystemExit(130) from None
