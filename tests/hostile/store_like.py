"""Write journals as an older or damaged Tonus might have left them (bypassing today's checks)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from journal.store import Store, journal_path

AT = datetime(2025, 6, 2, 9, 0)


def add_raw_entry_and_event(home: Path, note: str, label: str, at: datetime = AT) -> None:
    """Store one test, an entry with `note` and an event with `label`, straight through SQL."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
    from fakes import fixed_session

    with Store.open(journal_path(home)) as store:
        store.add_session(fixed_session(datetime(2025, 5, 27, 8, 0), tonus=70.0, movement=40.0))
        store.add_session(fixed_session(AT, tonus=80.0, movement=50.0))
        cur = store.cursor()
        cur.execute(
            "INSERT INTO entries (occurred_at, sensation, intensity, note) VALUES (?, 'pain', 3, ?)",
            [at, note],
        )
        cur.execute("INSERT INTO events (occurred_at, kind, label) VALUES (?, 'therapy', ?)", [at, label])
