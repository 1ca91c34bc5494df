"""A demo journal on disk (the sample sessions with drawn photos) for the report tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from journal.services.demo import load_samples
from journal.store import Store, journal_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_sessions"
TONUS = ROOT / ".venv" / "bin" / "tonus"
#: A person's words that must show as text, never as markup or terminal control.
HOSTILE_LABEL = 'physio <script>alert("x")</script><img src="http://127.0.0.1:9/x.png"> \x1b[31mred\x07 & co'
TODAY = date(2026, 11, 5)


def build_demo_home(home: Path) -> Path:
    """Load the sample journal (with drawn rest photos) into `home` and add one hostile event label."""
    with Store.open(journal_path(home)) as store:
        load_samples(store, SAMPLES, None, today=TODAY, photos=True)
        event_id = store.add_event(datetime(2026, 10, 1, 12, 0), "therapy", "physio")
        # Tonus now refuses control characters at input, but a journal written before that may hold
        # them: put them in behind the input check, so the report's own escaping is what is tested.
        store.cursor().execute("UPDATE events SET label = ? WHERE id = ?", [HOSTILE_LABEL, event_id])
    return home
