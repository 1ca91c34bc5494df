"""Due status outside the app: when the next weekly test is due, the latest scores, today's sensations.

`status_from_store` reads the journal (no MediaPipe, no Textual) and returns a plain dict, the
`tonus status --json` contract; `status_cache.status_text` says the same in a few lines. Exit codes
are decided by the CLI from `due`: 0 when nothing is due, 10 when the weekly test is due.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from journal.services.dashboard import ScoreSummary, build_dashboard, noise_of, recovery_from_store
from journal.services.status_cache import compose, entries_part
from journal.signals.safety import safety_from_store

if TYPE_CHECKING:
    from journal.store import Store


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _score(summary: ScoreSummary) -> dict[str, Any]:
    change = summary.since_last
    return {
        "latest": _round(summary.latest),
        "change_since_last": _round(change.delta) if change else None,
        "beyond_noise": change.beyond_noise if change else None,
        "noise": _round(change.noise) if change else None,
        "noise_is_typical": change.typical if change else None,
    }


def snapshot_from_store(store: Store, now: datetime) -> dict[str, Any]:
    """Read what the status needs from the journal: the status cache's snapshot (see status_cache)."""
    rows = store.history()
    profile = store.get_profile()
    signal = recovery_from_store(store, rows)
    noise = noise_of(signal)
    board = build_dashboard(rows, now, noise)
    return {
        "fingerprint": store.status_fingerprint(),
        "last_test": board.last_test.isoformat() if board.last_test else None,
        "onset": profile.onset.isoformat() if profile.onset else None,
        "affected_side": profile.affected_side,
        "tests": board.tests,
        "tonus": _score(board.tonus),
        "movement": _score(board.movement),
        "recovery": {"state": signal.state, "text": signal.message()},
        "safety": [note.line() for note in safety_from_store(store, noise_by_score=noise)],
        **entries_part(store, now),
    }


def status_from_store(store: Store, now: datetime) -> dict[str, Any]:
    """Return the status as a JSON-ready dict (dates as ISO text, numbers rounded to 0.1)."""
    return compose(snapshot_from_store(store, now), now)


def empty_status(now: datetime) -> dict[str, Any]:
    """The status when there is no journal yet: the first test is due (same keys as a real one)."""
    none = {"latest": None, "change_since_last": None, "beyond_noise": None, "noise": None}
    return {
        "due": True,
        "due_text": "No journal yet: take your first weekly test.",
        "next_test_due": now.date().isoformat(),
        "last_test": None,
        "days_since_last_test": None,
        "onset": None,
        "days_since_onset": None,
        "affected_side": None,
        "tests": 0,
        "tonus": {**none, "noise_is_typical": None},
        "movement": {**none, "noise_is_typical": None},
        "recovery": {"state": "too_few_tests", "text": "No tests yet."},
        "today": [],
        "safety": [],
    }
