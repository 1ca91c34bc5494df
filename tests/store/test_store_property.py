"""Property: any sequence of valid entries and events comes back out of export_tables unchanged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import store_factory as f
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.store import ENTRY_SIDES, EVENT_KINDS, REGIONS_WHERE, SENSATIONS, Store

times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=f.NOW)
#: Any text a person can type: every character but control characters (newline and tab are fine).
words = st.characters(
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
) | st.sampled_from("\n\t")
notes = st.none() | st.text(words, max_size=40)
entries = st.fixed_dictionaries(
    {
        "occurred_at": times,
        "sensation": st.sampled_from(SENSATIONS),
        "intensity": st.integers(0, 10),
        "side": st.none() | st.sampled_from(ENTRY_SIDES),
        "region": st.none() | st.sampled_from(REGIONS_WHERE),
        "note": notes,
    }
)
events = st.fixed_dictionaries(
    {
        "occurred_at": times,
        "kind": st.sampled_from(EVENT_KINDS),
        "label": st.text(words, min_size=1, max_size=40).filter(str.strip),
    }
)
operations = st.lists(st.tuples(st.just("entry"), entries) | st.tuples(st.just("event"), events), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_valid_entries_and_events_round_trip_through_export(ops: list[tuple[str, dict[str, Any]]]) -> None:
    expected: dict[str, list[dict[str, Any]]] = {"entries": [], "events": []}
    with Store.in_memory(clock=f.clock) as store:
        for kind, values in ops:
            if kind == "entry":
                row_id = store.add_entry(
                    values["occurred_at"],
                    values["sensation"],
                    values["intensity"],
                    side=values["side"],
                    where=values["region"],
                    note=values["note"],
                )
                expected["entries"].append({"id": row_id, **values})
            else:
                row_id = store.add_event(values["occurred_at"], values["kind"], values["label"])
                expected["events"].append({"id": row_id, **values})
        tables = store.export_tables()
        listed = [e.id for e in store.entries()], [e.id for e in store.events()]
    assert tables["entries"] == expected["entries"]
    assert tables["events"] == expected["events"]
    for ids, table in zip(listed, ("entries", "events"), strict=True):
        assert ids == [r["id"] for r in sorted(expected[table], key=lambda r: (r["occurred_at"], r["id"]))]
