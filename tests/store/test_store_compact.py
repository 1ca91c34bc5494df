"""A smaller journal: packed landmarks that move no score, schema v3 migration, and `tonus compact`."""

from __future__ import annotations

import io
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
import store_factory as f
from PIL import Image

from journal.capture.photos import PHOTO_MAX_SIDE, shrink_jpeg
from journal.cli import main
from journal.store import CURRENT_VERSION, Scores, Store, StoreError, schema
from journal.store import landmarks as lm
from journal.store.compact import compact_journal
from journal.store.sessions import N_LANDMARKS

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sessions"


def test_the_store_and_the_models_agree_on_the_mesh_size() -> None:
    from journal import models

    assert N_LANDMARKS == models.N_LANDMARKS


def test_packing_round_trips_within_half_a_step_of_the_face_box() -> None:
    rng = np.random.default_rng(3)
    for scale, shift in ((0.3, 0.35), (3.0, -1.0), (1e-3, 0.5)):
        points = (rng.random((N_LANDMARKS, 3)) * scale + shift).astype(np.float32)
        blob = lm.encode(points)
        assert len(blob) == lm.PACKED_BYTES == 3848
        back = lm.decode(blob)
        assert back.dtype == np.float32 and back.shape == (N_LANDMARKS, 3)
        extent = points.max(axis=0) - points.min(axis=0)
        assert (np.abs(back - points) <= extent / lm.TOP / 2 + np.spacing(np.abs(points))).all()
    flat = np.full((N_LANDMARKS, 3), 0.25, dtype=np.float32)  # no extent at all: exact
    np.testing.assert_array_equal(lm.decode(lm.encode(flat)), flat)
    old = points.tobytes()
    np.testing.assert_array_equal(lm.decode(old), points)  # float32 frames of v2 journals still read
    assert lm.compacted(lm.encode(points)) is None


def _numbers(scores: Scores) -> dict[str, float | None]:
    out: dict[str, float | None] = {
        "tonus": scores.tonus,
        "movement": scores.movement,
        "synkinesis": scores.synkinesis,
        "side_evidence": scores.side_evidence,
    }
    for pose, ps in scores.poses.items():
        low, high = ps.symmetry_interval or (None, None)
        out |= {f"{pose}.symmetry": ps.symmetry, f"{pose}.low": low, f"{pose}.high": high}
        out |= {f"{pose}.movement": ps.movement, f"{pose}.left": ps.movement_left}
        out[f"{pose}.right"] = ps.movement_right
        for region, (left, right) in ps.regions.items():
            out |= {f"{pose}.{region}.left": left, f"{pose}.{region}.right": right}
    return out


@pytest.mark.shared
def test_packed_landmarks_change_no_stored_score_beyond_a_hundredth(model_path: Path) -> None:
    """Every score of the 14 sample weeks (real landmarks), from float32 and from packed frames."""
    from dataclasses import replace

    from journal.capture.bundle import load_canonical_mesh
    from journal.services.demo import read_samples
    from journal.services.importer import rescore_session, scores_row

    canonical = load_canonical_mesh(model_path)
    samples = read_samples(SAMPLES)
    scale = samples.profile["mm_per_unit"]
    worst = 0.0
    for week in range(len(samples.scores)):
        frames = samples.frame_records(week)
        packed = {
            pose: [replace(r, landmarks=lm.decode(lm.encode(r.landmarks))) for r in records]
            for pose, records in frames.items()
        }
        assert any(
            not np.array_equal(a.landmarks, b.landmarks)
            for pose in frames
            for a, b in zip(frames[pose], packed[pose], strict=True)
        )
        raw_scores, packed_scores = (rescore_session(fr, canonical, "left", scale) for fr in (frames, packed))
        assert raw_scores is not None and packed_scores is not None
        want, got = _numbers(scores_row(raw_scores)), _numbers(scores_row(packed_scores))
        assert want.keys() == got.keys()
        for key, value in want.items():
            assert (value is None) == (got[key] is None), (week, key)
            if value is not None and got[key] is not None:
                worst = max(worst, abs(value - got[key]))  # type: ignore[operator]
                assert math.isclose(value, got[key], abs_tol=0.01), (week, key, value, got[key])  # type: ignore[arg-type]
    assert worst > 0  # the rounding is real, and small


def _photo(width: int, height: int) -> bytes:
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack([x * 255 // width, y * 255 // height, (x + y) % 256], axis=-1).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=85)
    return out.getvalue()


def make_v2_journal(path: Path, sessions: int = 3) -> None:
    """A journal as schema version 2 wrote it: float32 landmarks, unkeyed region scores, large photos."""
    con = duckdb.connect(str(path))
    for statement in schema.DDL_V2:
        con.execute(statement)
    con.executemany("INSERT INTO meta VALUES (?, ?)", schema.meta_rows(2))
    con.execute("INSERT INTO blendshape_names VALUES (0, 'browInnerUp')")
    for n in range(1, sessions + 1):
        con.execute(
            "INSERT INTO sessions (taken_at, protocol, scorer_version, source) VALUES (?, 'weekly/1', "
            "'tonus-scorer/1', 'camera')",
            [datetime(2024, 2, n, 18)],
        )
        con.execute("INSERT INTO poses VALUES (?, 'rest', 5, 4, MAP {'yaw': 1})", [n])
        con.execute("INSERT INTO key_photos VALUES (?, 'rest', 0, ?)", [n, _photo(800, 600)])
        for idx in range(4):
            points = np.random.default_rng(n * 10 + idx).random((N_LANDMARKS, 3)).astype("<f4")
            con.execute(
                "INSERT INTO frames VALUES (?, 'rest', ?, ?, [0.5], 1.0, 2.0, 640, 480)",
                [n, idx, points.tobytes()],
            )
        con.execute(
            "INSERT INTO session_scores VALUES (?, 'tonus-scorer/1', TIMESTAMP '2024-02-03', ?, NULL, NULL, "
            "'left', 'given', 0.39, NULL)",
            [n, 70.0 + n],
        )
        con.execute(
            "INSERT INTO pose_scores VALUES "
            "(?, 'tonus-scorer/1', 'rest', 88, NULL, NULL, NULL, NULL, NULL, NULL)",
            [n],
        )
        con.execute("INSERT INTO region_scores VALUES (?, 'tonus-scorer/1', 'rest', 'mouth', 1.0, 2.0)", [n])
    con.execute(
        "INSERT INTO entries (occurred_at, sensation, intensity) VALUES ('2024-02-01 07:00', 'pain', 3)"
    )
    con.close()


def _rows(path: Path, sql: str) -> list[Any]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_v2_journal_migrates_to_v3_keeping_its_frames_exact(journal_file: Path) -> None:
    make_v2_journal(journal_file)
    with Store.open(journal_file, clock=f.clock) as s:
        frame = s.frames(2)["rest"][1]
        want = np.random.default_rng(21).random((N_LANDMARKS, 3)).astype("<f4")
        np.testing.assert_array_equal(frame.landmarks, want)  # old float32 frames are not touched
        assert s.session_scores(1).poses["rest"].regions == {"mouth": (1.0, 2.0)}  # type: ignore[union-attr]
        new = s.add_session(f.session(frames=1))
        assert new == 4  # the sequences carry on
    assert _rows(journal_file, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(CURRENT_VERSION),)
    ]
    assert _rows(
        journal_file, "SELECT DISTINCT octet_length(landmarks) FROM frames WHERE session_id = 4"
    ) == [(lm.PACKED_BYTES,)]
    con = duckdb.connect(str(journal_file))
    with pytest.raises(duckdb.ConstraintException):  # region_scores is keyed from version 3
        con.execute("INSERT INTO region_scores VALUES (1, 'tonus-scorer/1', 'rest', 'mouth', 5.0, 5.0)")
    con.close()


def test_compact_packs_old_frames_resizes_photos_and_gives_space_back(journal_file: Path) -> None:
    make_v2_journal(journal_file, sessions=6)
    with Store.open(journal_file, clock=f.clock) as s:
        old_frames = {sid: s.frames(sid) for sid in range(1, 7)}
        old_scores = s.latest_scores()
        s.add_entry(datetime(2024, 3, 1, 8), "itching", 2)
    done = compact_journal(journal_file, shrink_jpeg)
    assert done.frames_packed == 24 and done.photos_resized == 6
    assert done.bytes_after < done.bytes_before
    assert journal_file.stat().st_size == done.bytes_after
    assert journal_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in journal_file.parent.iterdir()] == [journal_file.name]
    assert _rows(journal_file, "SELECT DISTINCT octet_length(landmarks) FROM frames") == [(lm.PACKED_BYTES,)]
    with Store.open(journal_file, clock=f.clock) as s:
        for sid, by_pose in old_frames.items():
            for old, new in zip(by_pose["rest"], s.frames(sid)["rest"], strict=True):
                np.testing.assert_allclose(new.landmarks, old.landmarks, rtol=0, atol=0.5 / lm.TOP + 1e-7)
        assert s.latest_scores() == old_scores
        photo = s.key_photo(3, "rest")
        assert photo is not None
        with Image.open(io.BytesIO(photo)) as picture:
            assert max(picture.size) == PHOTO_MAX_SIDE
        assert [e.sensation for e in s.entries()] == ["pain", "itching"]
        assert s.add_entry(datetime(2024, 3, 2, 8), "pain", 1) == 3  # ids carry on after the copy
    again = compact_journal(journal_file, shrink_jpeg)
    assert (again.frames_packed, again.photos_resized) == (0, 0)


def test_compact_refuses_while_another_program_writes(journal_file: Path) -> None:
    make_v2_journal(journal_file)
    before = journal_file.read_bytes()
    holder = duckdb.connect(str(journal_file))
    try:
        with pytest.raises(StoreError):
            compact_journal(journal_file, shrink_jpeg)
    finally:
        holder.close()
    assert journal_file.read_bytes() == before


def test_tonus_compact_says_what_it_gained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    assert main(["--home", str(home), "compact"]) == 2
    assert "There is no journal" in capsys.readouterr().err
    assert main(["--home", str(home), "log", "pain", "2"]) == 0
    assert main(["--home", str(home), "compact", "--keep-photos"]) == 0
    out = capsys.readouterr().out
    assert "Compacted" in out and "0 frame(s) packed, 0 photo(s) resized" in out
