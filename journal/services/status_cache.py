"""The status cache: what `tonus status` needs, kept beside the journal so it answers without DuckDB or numpy.

`status.json` (0600, written atomically) holds a *snapshot*: the parts of the status that depend only on
the journal's content (the latest scores with their change, the recovery state, the safety prompts, the
last test's time, the profile) and the entries from the start of the day it was written. The parts that
depend on the day ("due", days since the last test and since onset, today's sensations) are computed from
those when the status is read, so a cache written yesterday still answers right today.

A snapshot is current only while the journal file and its write-ahead log have the size and
modification time (in ns) recorded in it, under this scorer and Tonus version and format; anything else
(a stale, foreign or corrupt file, a clock set back before the day it was written) makes the reader fall
back to the full read, which writes a new one. Every writing command refreshes the cache as it closes the
journal (see `journal.cli.status_cmd.refresh_cache`). The stamp is always taken while the journal is open
(after the checkpoint, for a writer): DuckDB's file lock keeps other writers out between the read and
the stamp, so a snapshot is never stamped with a newer file than the one it was read from.

This module is light on purpose: json, os and datetime only (no numpy, no DuckDB).
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import suppress
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from journal import __version__
from journal.scoring.version import SCORER_VERSION
from journal.services.due import TEST_INTERVAL_DAYS, due_text

if TYPE_CHECKING:
    from journal.store import Store

#: `tonus status` exits with this when the weekly test is due (0 otherwise): for cron and shell prompts.
EXIT_DUE: Final = 10
#: The cache file, in the journal's folder.
CACHE_FILENAME: Final = "status.json"
#: Bump when the snapshot's keys or meaning change.
FORMAT: Final = 1
#: The snapshot's keys copied as they are into the status.
_CONTENT_KEYS: Final = ("affected_side", "tests", "tonus", "movement", "recovery")


def cache_path(journal: Path) -> Path:
    """The cache file beside the journal file `journal`."""
    return journal.with_name(CACHE_FILENAME)


def stamp(journal: Path) -> list[int | None]:
    """Size and modification time (ns) of the journal file and of its write-ahead log (None when absent)."""
    out: list[int | None] = []
    for path in (journal, journal.with_name(journal.name + ".wal")):
        try:
            info = path.stat()
        except FileNotFoundError:
            out += [None, None]
        else:
            out += [info.st_size, info.st_mtime_ns]
    return out


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def entries_part(store: Store, now: datetime) -> dict[str, Any]:
    """The entries from the start of `now`'s day on, as the snapshot keeps them."""
    start = _day_start(now)
    return {
        "entries_from": start.date().isoformat(),
        "entries": [
            {"at": e.at.isoformat(), "sensation": e.sensation, "intensity": e.intensity}
            for e in store.entries(since=start)
        ],
    }


def keys() -> dict[str, Any]:
    """What a snapshot must carry to be read: the format, the scorer and the Tonus version."""
    return {"format": FORMAT, "scorer": SCORER_VERSION, "tonus_version": __version__}


def compose(snapshot: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The `tonus status --json` dict at `now` from a snapshot (the day-dependent parts computed here)."""
    last = datetime.fromisoformat(snapshot["last_test"]) if snapshot["last_test"] else None
    days = (now.date() - last.date()).days if last else None
    due, text = due_text(days)
    next_due = (last + timedelta(days=TEST_INTERVAL_DAYS)).date() if last else now.date()
    onset = date.fromisoformat(snapshot["onset"]) if snapshot["onset"] else None
    start = _day_start(now)
    timed = ((e, datetime.fromisoformat(e["at"])) for e in snapshot["entries"])
    today = [(e, at) for e, at in timed if at >= start]
    return {
        "due": due,
        "due_text": text.replace(" (press t)", ""),
        "next_test_due": next_due.isoformat(),
        "last_test": last.isoformat(timespec="minutes") if last else None,
        "days_since_last_test": days,
        "onset": snapshot["onset"],
        "days_since_onset": (now.date() - onset).days if onset else None,
        **{key: snapshot[key] for key in _CONTENT_KEYS},
        "today": [
            {"at": at.strftime("%H:%M"), "sensation": e["sensation"], "intensity": e["intensity"]}
            for e, at in today
        ],
        "safety": snapshot["safety"],
    }


def load(journal: Path) -> dict[str, Any] | None:
    """The snapshot in the cache when it is of this format, scorer and version (not checked: its stamp)."""
    try:
        data = json.loads(cache_path(journal).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in keys().items()):
        return None
    return data


def read(journal: Path, now: datetime) -> dict[str, Any] | None:
    """The status at `now` from the cache when the cache is current, else None (read the journal then)."""
    snapshot = load(journal)
    if snapshot is None or snapshot.get("stamp") != stamp(journal):
        return None
    try:
        if now.date() < date.fromisoformat(snapshot["entries_from"]):
            return None  # the clock went back: today's entries may be missing from the snapshot
        return compose(snapshot, now)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged or hand-edited cache: read the journal


def write(journal: Path, snapshot: dict[str, Any]) -> bool:
    """Write the snapshot atomically (0600 from the start); False when the folder cannot be written."""
    folder = journal.parent
    try:
        handle, name = tempfile.mkstemp(prefix=".status-", suffix=".tmp", dir=folder)  # mode 0600
    except OSError:
        return False  # e.g. a journal on read-only media: the full read still answers
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({**snapshot, **keys()}, out, ensure_ascii=False)
        os.replace(name, cache_path(journal))
    except OSError:
        with suppress(OSError):
            os.unlink(name)
        return False
    return True


def remove(journal: Path) -> None:
    """Remove the cache (the next `tonus status` reads the journal and writes a new one)."""
    with suppress(FileNotFoundError, OSError):
        cache_path(journal).unlink()


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
