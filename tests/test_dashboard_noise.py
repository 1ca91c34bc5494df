"""One noise figure per score: Home's cards and the recovery line judge a change against the same one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from journal.services.dashboard import build_dashboard, noise_of, recovery_from_store, summarise
from journal.services.demo import load_samples
from journal.signals.noise import DEFAULT_SEM, smallest_detectable_change
from journal.store import Store
from tests.report_helpers import SAMPLES

NOW = datetime(2026, 11, 5, 12, 0)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = Store.in_memory()
    try:
        load_samples(s, SAMPLES, None, today=NOW.date(), photos=False)
        yield s
    finally:
        s.close()


def test_the_cards_use_the_recovery_signals_noise(store: Store) -> None:
    signal = recovery_from_store(store)
    noise = noise_of(signal)
    board = build_dashboard(store.history(), NOW, noise)
    for key, summary in (("tonus", board.tonus), ("movement", board.movement)):
        change = summary.since_last
        assert change is not None and not change.typical
        assert change.noise == pytest.approx(noise[key].sdc)
        assert f"±{noise[key].sdc:.1f}" in change.describe()
    # The recovery line names the same tonus figure.
    assert f"±{noise['tonus'].sdc:.1f}" in signal.message()


def test_without_the_signal_the_scores_own_scatter_is_used(store: Store) -> None:
    rows = store.history()
    own = summarise(rows, "tonus").since_last
    assert (
        own is not None and not own.typical and own.noise != smallest_detectable_change(DEFAULT_SEM["tonus"])
    )


def test_two_tests_fall_back_to_the_typical_noise_and_say_so(store: Store) -> None:
    rows = store.history()[:2]
    change = summarise(rows, "movement").since_last
    assert change is not None and change.typical
    assert change.noise == pytest.approx(smallest_detectable_change(DEFAULT_SEM["movement"]))
    assert "typical noise ±11.1" in change.describe()
