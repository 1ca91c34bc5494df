"""Bad input gets one sentence naming the value and what to do, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
import store_factory as f

from journal.errors import UsageError
from journal.store import NewSession, PoseScores, Store

WHEN = datetime(2025, 5, 1, 8)
TOO_LATE = f.NOW + timedelta(days=1, minutes=1)


def one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message[0].isupper() or message[0] in "/'", message
    assert message.endswith("."), message
    assert message.count(". ") == 0, message


BAD_CALLS: dict[str, tuple[Callable[[Store], Any], str]] = {
    "intensity above 10": (lambda s: s.add_entry(WHEN, "pain", 11), "11"),
    "intensity below 0": (lambda s: s.add_entry(WHEN, "pain", -1), "-1"),
    "intensity not a whole number": (lambda s: s.add_entry(WHEN, "pain", 2.5), "2.5"),
    "intensity a bool": (lambda s: s.add_entry(WHEN, "pain", True), "True"),
    "unknown sensation": (lambda s: s.add_entry(WHEN, "itchy", 3), "'itchy'"),
    "unknown side": (lambda s: s.add_entry(WHEN, "pain", 3, side="top"), "'top'"),
    "unknown region": (lambda s: s.add_entry(WHEN, "pain", 3, where="nose"), "'nose'"),
    "entry far in the future": (lambda s: s.add_entry(TOO_LATE, "pain", 3), "future"),
    "entry time not a datetime": (lambda s: s.add_entry("yesterday", "pain", 3), "'yesterday'"),
    "note not text": (lambda s: s.add_entry(WHEN, "pain", 3, note=5), "5"),
    "unknown event kind": (lambda s: s.add_event(WHEN, "surgery", "x"), "'surgery'"),
    "empty event label": (lambda s: s.add_event(WHEN, "therapy", "  "), "label"),
    "event far in the future": (lambda s: s.add_event(TOO_LATE, "therapy", "x"), "future"),
    "profile side both": (lambda s: s.set_profile(affected_side="both"), "'both'"),
    "profile onset in future": (lambda s: s.set_profile(onset=date(2025, 6, 5)), "2025-06-05"),
    "profile scale zero": (lambda s: s.set_profile(mm_per_unit=0.0), "0.0"),
    "profile scale nan": (lambda s: s.set_profile(mm_per_unit=float("nan")), "nan"),
    "update to bad intensity": (lambda s: s.update_entry(1, intensity=12), "12"),
    "entry id not positive": (lambda s: s.delete_entry(0), "0"),
}


def _session(**changes: Any) -> NewSession:
    return replace(f.session(poses=("rest", "smile"), frames=2), **changes)


def _pose(**changes: Any) -> NewSession:
    s = _session()
    return replace(s, poses=[s.poses[0], replace(s.poses[1], **changes)])


def _frame(**changes: Any) -> NewSession:
    s = _session()
    smile = s.poses[1]
    frames = [smile.frames[0], replace(smile.frames[1], **changes)]
    return replace(s, poses=[s.poses[0], replace(smile, frames=frames)])


def _pose_scores(**changes: Any) -> NewSession:
    s = _session()
    assert s.scores is not None
    bad = {**s.scores.poses, "smile": replace(s.scores.poses["smile"], **changes)}
    return replace(s, scores=replace(s.scores, poses=bad))


BAD_SESSIONS: dict[str, tuple[NewSession, str]] = {
    "future test": (_session(taken_at=TOO_LATE), "future"),
    "tiredness 11": (_session(tiredness=11), "11"),
    "unknown source": (_session(source="phone"), "'phone'"),
    "no poses": (_session(poses=[]), "no poses"),
    "duplicate pose": (_session(poses=[_session().poses[0]] * 2), "same pose"),
    "unknown pose": (_pose(pose="wink"), "'wink'"),
    "photo not jpeg": (_pose(key_photo_jpeg=b"\x89PNG...."), "JPEG"),
    "negative count": (_pose(frames_seen=-1), "-1"),
    "negative rejection": (_pose(rejected={"yaw": -2}), "-2"),
    "repeated frame index": (_pose(frames=[f.frame(0, 1), f.frame(0, 2)]), "repeat"),
    "landmarks wrong shape": (_frame(landmarks=np.zeros((468, 3))), "(468, 3)"),
    "landmarks nan": (_frame(landmarks=np.full((478, 3), np.nan)), "not numbers"),
    "blendshape inf": (_frame(blendshapes={"jawOpen": float("inf")}), "inf"),
    "blendshape name empty": (_frame(blendshapes={" ": 0.5}), "blendshape name is empty"),
    "blendshape name not text": (_frame(blendshapes={7: 0.5}), "blendshape name 7 is not text"),
    "blendshape name control": (_frame(blendshapes={"jaw\x1bOpen": 0.5}), "blendshape name"),
    "scores unknown side": (
        _session(scores=replace(f.scores(poses=("rest",)), affected_side="up")),
        "'up'",
    ),
    "scores bad scale": (_session(scores=replace(f.scores(poses=("rest",)), mm_per_unit=-1.0)), "-1.0"),
    "pose score nan": (_pose_scores(symmetry=float("nan")), "nan"),
    "scores unknown pose": (
        _session(scores=replace(f.scores(poses=("rest",)), poses={"wink": PoseScores(1.0)})),
        "'wink'",
    ),
}


@pytest.fixture
def filled(store: Store) -> Store:
    store.add_entry(datetime(2025, 4, 1, 8), "pain", 4)
    store.add_event(datetime(2025, 4, 1, 8), "therapy", "physio")
    store.add_session(f.session(poses=("rest",), frames=1))
    store.set_profile(affected_side="right", mm_per_unit=0.4)
    return store


@pytest.mark.parametrize("name", BAD_CALLS)
def test_bad_calls_raise_one_sentence_and_write_nothing(filled: Store, name: str) -> None:
    call, mentions = BAD_CALLS[name]
    before = filled.export_tables(photos=True)
    with pytest.raises(UsageError) as err:
        call(filled)
    one_sentence(str(err.value))
    assert mentions in str(err.value)
    assert filled.export_tables(photos=True) == before


@pytest.mark.parametrize("name", BAD_SESSIONS)
def test_bad_sessions_raise_one_sentence_and_write_nothing(filled: Store, name: str) -> None:
    session, mentions = BAD_SESSIONS[name]
    before = filled.export_tables(photos=True)
    with pytest.raises(UsageError) as err:
        filled.add_session(session)
    one_sentence(str(err.value))
    assert mentions in str(err.value)
    assert filled.export_tables(photos=True) == before


def test_bad_replacement_scores_write_nothing(filled: Store) -> None:
    before = filled.export_tables()
    with pytest.raises(UsageError):
        filled.replace_scores(1, replace(f.scores(), affected_side_source="guessed"))
    assert filled.export_tables() == before


def test_failure_inside_the_transaction_rolls_the_whole_session_back(filled: Store) -> None:
    before = filled.export_tables(photos=True)

    def boom(pose: str) -> None:
        if pose == "smile":
            raise RuntimeError("camera unplugged")

    with pytest.raises(RuntimeError):
        filled.add_session(f.session(seed=3), on_pose=boom)
    assert filled.export_tables(photos=True) == before
    filled.add_session(f.session(seed=4))
    assert len(filled.sessions()) == 2


def test_time_zone_aware_times_become_naive_local(store: Store) -> None:
    aware = datetime(2025, 5, 1, 12, tzinfo=UTC)
    entry_id = store.add_entry(aware, "pain", 1)
    entry = store.entry(entry_id)
    assert entry is not None and entry.at.tzinfo is None
    assert entry.at == aware.astimezone().replace(tzinfo=None)


def test_a_day_ahead_is_still_accepted(store: Store) -> None:
    store.add_entry(f.NOW + timedelta(hours=23), "pain", 1)
    assert len(store.entries()) == 1
