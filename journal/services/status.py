"""Due status outside the app: when the next weekly test is due, the latest scores, today's sensations.

`status_from_store` reads the journal (no MediaPipe, no Textual) and returns a plain dict, the
`tonus status --json` contract; `status_text` says the same in a few lines. Exit codes are decided by the
CLI from `due`: 0 when nothing is due, 10 when the weekly test is due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from journal.services.dashboard import (
    TEST_INTERVAL_DAYS,
    ScoreSummary,
    build_dashboard,
    noise_of,
    recovery_from_store,
)
from journal.signals.safety import safety_from_store

if TYPE_CHECKING:
    from journal.store import Store

#: `tonus status` exits with this when the weekly test is due (0 otherwise): for cron and shell prompts.
EXIT_DUE: Final = 10


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


def status_from_store(store: Store, now: datetime) -> dict[str, Any]:
    """Return the status as a JSON-ready dict (dates as ISO text, numbers rounded to 0.1)."""
    rows = store.history()
    profile = store.get_profile()
    signal = recovery_from_store(store, rows)
    noise = noise_of(signal)
    board = build_dashboard(rows, now, noise)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = store.entries(since=start)
    next_due = (board.last_test + timedelta(days=TEST_INTERVAL_DAYS)).date() if board.last_test else None
    return {
        "due": board.due,
        "due_text": board.due_text.replace(" (press t)", ""),
        "next_test_due": next_due.isoformat() if next_due else now.date().isoformat(),
        "last_test": board.last_test.isoformat(timespec="minutes") if board.last_test else None,
        "days_since_last_test": board.days_since,
        "onset": profile.onset.isoformat() if profile.onset else None,
        "days_since_onset": (now.date() - profile.onset).days if profile.onset else None,
        "affected_side": profile.affected_side,
        "tests": board.tests,
        "tonus": _score(board.tonus),
        "movement": _score(board.movement),
        "recovery": {"state": signal.state, "text": signal.message()},
        "today": [
            {"at": e.at.strftime("%H:%M"), "sensation": e.sensation, "intensity": e.intensity} for e in today
        ],
        "safety": [note.line() for note in safety_from_store(store, noise_by_score=noise)],
    }


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


def _score_line(name: str, score: dict[str, Any]) -> str:
    if score["latest"] is None:
        return f"{name}: no score yet"
    line = f"{name}: {score['latest']:.1f} / 100"
    if score["change_since_last"] is not None:
        verdict = "beyond" if score["beyond_noise"] else "within"
        kind = "typical noise" if score["noise_is_typical"] else "your noise"
        change = f"{score['change_since_last']:+.1f}"
        line += f", {change} since the last test ({verdict} {kind} ±{score['noise']:.1f})"
    return line


def status_text(status: dict[str, Any]) -> str:
    """Say the status in a few plain lines."""
    lines = [str(status["due_text"])]
    if not status["due"]:
        lines[0] += f" (due {status['next_test_due']})"
    if status["days_since_onset"] is not None:
        lines.append(f"{status['days_since_onset']} days since the palsy began.")
    if status["tests"]:
        lines.append(_score_line("Tonus", status["tonus"]))
        lines.append(_score_line("Movement", status["movement"]))
        lines.append(f"Recovery: {status['recovery']['text']}")
    today = status["today"]
    if today:
        felt = ", ".join(
            f"{e['sensation'].replace('_', ' ')} {e['intensity']}/10 at {e['at']}" for e in today
        )
        lines.append(f"Today: {felt}.")
    else:
        lines.append("Today: nothing logged yet.")
    lines.extend(f"! {note}" for note in status["safety"])
    return "\n".join(lines)
