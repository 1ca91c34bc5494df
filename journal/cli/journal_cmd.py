"""Journal commands: `tonus log`, `event`, `profile`, `import`, `history`, `rescore`, `export`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.cli import words
from journal.errors import UsageError
from journal.text import one_line, printable

if TYPE_CHECKING:
    from journal.store import CaptureConditions, HistoryRow, Store

SENSATION_HELP = (
    "vibration, itching, twitching, tingling, tightness, pain, tearing, dry_eye, taste, "
    "sound_sensitivity, other"
)


def parse_when(text: str, what: str = "date") -> datetime:
    """Parse "today 21:30", "yesterday", a weekday or an ISO date (local time), else a usage error."""
    return words.parse_when(text, what)


def parse_intensity(text: str) -> int:
    """Parse an intensity 0–10, else a usage error naming the value."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 10 or str(value) != text.strip().lstrip("+"):
        raise UsageError(f"The intensity {text!r} is not a whole number from 0 to 10: give e.g. 4.")
    return value


@contextmanager
def open_journal(home: str | None, read_only: bool = False, action: str | None = None) -> Iterator[Store]:
    """Open the journal in the data directory (read-only for commands that only look).

    `action` ("save the entry") names what is being done in a lock message. Notices from the
    opening (a leftover log kept in recovery/, a folder others can read) go to stderr. Closing
    checkpoints, so nothing committed is left only in the write-ahead log.
    """
    from journal.store import Store, journal_path

    path = journal_path(home)
    if read_only and not path.exists():
        raise UsageError(f"There is no journal at {path} yet: log a sensation or import a test first.")
    what = action or ("read the journal" if read_only else "write to the journal")
    store = Store.open(path, read_only=read_only, action=what)
    for notice in store.notices:
        print(f"tonus: warning: {printable(notice)}", file=sys.stderr)
    if not read_only:
        from journal.cli.status_cmd import refresh_cache

        store.on_close.append(refresh_cache)  # `tonus status` answers from it without DuckDB
    try:
        yield store
        if not read_only:
            store.verify()  # a damaged journal fails here, not after "Logged …" was said
    finally:
        store.close()


def register(sub: Any) -> None:
    """Add the journal subcommands."""
    log = sub.add_parser("log", help="log a sensation (vibration, itching, twitching, …)")
    log.add_argument("sensation", metavar="SENSATION", help=SENSATION_HELP)
    log.add_argument("intensity", metavar="INTENSITY", help="0 (none) to 10 (strongest)")
    log.add_argument("--side", help="left, right or both (your own sides)")
    log.add_argument("--where", help="brow, eye, cheek, mouth, ear or other")
    log.add_argument("--note", help="free text")
    log.add_argument("--at", metavar="WHEN", help=f"when, e.g. {words.WHEN_HELP} (default: now)")
    log.set_defaults(handler=run_log)

    event = sub.add_parser("event", help="mark an event on the charts (medication, therapy, …)")
    event.add_argument("kind", metavar="KIND", help="medication, therapy, milestone or appointment")
    event.add_argument("label", metavar="LABEL", help='e.g. "first movement of the mouth corner"')
    event.add_argument("--at", metavar="WHEN", help=f"when, e.g. {words.WHEN_HELP} (default: now)")
    event.set_defaults(handler=run_event)

    profile = sub.add_parser("profile", help="show or set your affected side and onset date")
    profile.add_argument("--affected", choices=("left", "right"), help="your affected side")
    profile.add_argument("--onset", metavar="DATE", help="when the palsy began (YYYY-MM-DD)")
    profile.add_argument("--json", action="store_true", help="print JSON")
    profile.set_defaults(handler=run_profile)

    imp = sub.add_parser(
        "import", help="store folders of pose photos, or videos of the test, as test sessions"
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="folder of photos named after poses, or a video of the whole test",
    )
    imp.add_argument(
        "--date", metavar="DATE", help="date of the test (default: the photos' EXIF date; for a video, today)"
    )
    imp.add_argument("--again", action="store_true", help="store photos already imported a second time")
    imp.add_argument(
        "--poses",
        metavar="POSE,…",
        help="the poses of photos not named after one (IMG_0001.jpg, …), in the order they were taken",
    )
    imp.set_defaults(handler=run_import)

    history = sub.add_parser("history", help="every stored test with its scores, oldest first")
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(handler=run_history)

    rescore = sub.add_parser("rescore", help="score every stored test again with this version's scorer")
    rescore.set_defaults(handler=run_rescore)

    export = sub.add_parser("export", help="write every table to open files (csv, parquet or json)")
    export.add_argument("--out", required=True, metavar="DIR", help="an empty or new folder")
    export.add_argument("--format", default="csv", choices=("csv", "parquet", "json"))
    export.add_argument("--no-photos", action="store_true", help="leave the photos out")
    export.set_defaults(handler=run_export)


def _now() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def run_log(args: argparse.Namespace) -> int:
    """Log one sensation; everything is checked before the journal is touched."""
    from journal.store import validate as v

    at = parse_when(args.at, "time") if args.at is not None else _now()
    sensation = v.check_choice(words.choice_word(args.sensation), v.SENSATIONS, "sensation")
    intensity = parse_intensity(args.intensity)
    side = v.check_optional_choice(args.side and words.choice_word(args.side), v.ENTRY_SIDES, "side")
    where = v.check_optional_choice(
        args.where and words.choice_word(args.where), v.REGIONS_WHERE, "face region"
    )
    v.check_text(args.note, "note")
    v.check_when(at, datetime.now(), "time")
    with open_journal(args.home, action="save the entry") as store:
        entry_id = store.add_entry(at, sensation, intensity, side=side, where=where, note=args.note)
    print(f"Logged {sensation} {intensity}/10 at {at:%Y-%m-%d %H:%M} (entry {entry_id}).")
    return 0


def run_event(args: argparse.Namespace) -> int:
    """Add an event that marks the charts."""
    from journal.store import validate as v

    at = parse_when(args.at, "date") if args.at is not None else _now()
    kind = v.check_choice(words.choice_word(args.kind), v.EVENT_KINDS, "event kind")
    v.check_text(args.label, "label", required=True)
    v.check_when(at, datetime.now(), "date")
    with open_journal(args.home, action="save the event") as store:
        event_id = store.add_event(at, kind, args.label)
    print(f"Added {kind} “{one_line(args.label)}” on {at:%Y-%m-%d} (event {event_id}).")
    return 0


def run_profile(args: argparse.Namespace) -> int:
    """Show the profile, or change the given fields."""
    from journal.store import validate as v

    onset: date | None = parse_when(args.onset, "onset date").date() if args.onset is not None else None
    if onset is not None:
        v.check_day(onset, datetime.now(), "onset date")  # before the journal is opened or created
    changes: dict[str, Any] = {}
    if args.affected:
        changes["affected_side"] = args.affected
    if onset is not None:
        changes["onset"] = onset
    with open_journal(args.home, action="save the profile") as store:
        profile = store.set_profile(**changes) if changes else store.get_profile()
    data = {
        "affected_side": profile.affected_side,
        "onset": profile.onset.isoformat() if profile.onset else None,
        "camera": profile.camera,
        "mm_per_unit": profile.mm_per_unit,
    }
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        if "affected_side" in changes:
            print("Run `tonus rescore` to score earlier tests with this side.")
        print(f"Affected side: {profile.affected_side or 'not set (inferred from each test)'}")
        print(f"Onset:         {data['onset'] or 'not set'}")
        print(f"Camera:        {profile.camera or 'not set'}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import folders of pose photos, each as one session in its own transaction."""
    from journal.capture.landmarker import Landmarker, MediaPipeLandmarker
    from journal.capture.model_file import require_model
    from journal.capture.sources import is_video_path
    from journal.cli.import_cmd import import_plan, say_line
    from journal.services.importer import import_folder, import_video
    from journal.store import validate as v

    when = parse_when(args.date, "date") if args.date is not None else None
    if when is not None:
        v.check_when(when, datetime.now(), "date")  # before the journal is opened or created
    if when is not None and len(args.paths) > 1:
        raise UsageError("--date names the day of one test: import one folder per call when you give it.")
    folders, names = import_plan(args.paths, args.poses)  # may ask on a terminal: before the journal opens

    def make_landmarker(stream: bool) -> Landmarker:
        return MediaPipeLandmarker(require_model(args.home), stream=stream)

    def warn(message: str) -> None:
        print(f"tonus: warning: {printable(message)}", file=sys.stderr)

    done: list[str] = []
    with open_journal(args.home, action="import the test") as store:
        for folder in folders:
            try:
                if is_video_path(folder):
                    session_id, analysis = import_video(store, folder, make_landmarker, when=when, warn=warn)
                    print(f"Found in {folder}: " + ", ".join(h.describe() for h in analysis.holds))
                else:
                    session_id = import_folder(
                        store,
                        folder,
                        make_landmarker,
                        when=when,
                        warn=warn,
                        again=args.again,
                        names=names.get(folder),
                        say=say_line,
                    )
            except Exception:
                if done:
                    print(printable(f"tonus: imported {', '.join(done)} before this error."), file=sys.stderr)
                raise
            row = next(r for r in store.history() if r.session.id == session_id)
            done.append(str(folder))
            print(
                f"Imported {printable(str(folder))} as test {session_id} of {row.session.taken_at:%Y-%m-%d}: "
                f"tonus {_fmt(row.tonus)}, movement {_fmt(row.movement)}."
            )
    return 0


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def history_json(
    rows: list[HistoryRow],
    rest: tuple[list[Any], str | None] | None = None,
    capture: dict[int, CaptureConditions] | None = None,
) -> dict[str, Any]:
    """Return `tonus history --json`: sessions oldest first with their newest scores.

    `rest` (weekly points and the side, from `journal.services.dashboard.rest_from_store`) adds each test's
    oriented resting asymmetry in mm and the latest changes judged against the person's own noise;
    `capture` (Store.capture_conditions) each imported test's photo EXIF conditions.
    """
    capture = capture or {}
    oriented = {p.taken_at: p.rest_oriented_mm for p in rest[0]} if rest else {}
    data: dict[str, Any] = {
        "sessions": [
            {
                "id": r.session.id,
                "taken_at": r.session.taken_at.isoformat(timespec="minutes"),
                "source": r.session.source,
                "scorer_version": r.scorer_version,
                "landmarks": r.session.landmarks,  # how they were measured: 'model' or 'refined/1'
                "affected_side": r.affected_side,
                "tonus": _round(r.tonus),
                "movement": _round(r.movement),
                "synkinesis": _round(r.synkinesis),
                "poses": {
                    pose: {
                        "symmetry": _round(r.pose_symmetry.get(pose)),
                        "movement": _round(r.pose_movement.get(pose)),
                    }
                    for pose in r.pose_symmetry
                },
                "rest_asymmetry_mm": {
                    k: _round(v) for k, v in (oriented.get(r.session.taken_at) or {}).items()
                }
                or None,
                "capture": capture[r.session.id].as_json() if r.session.id in capture else None,
            }
            for r in rows
        ]
    }
    if rest is not None:
        from journal.services.dashboard import rest_changes

        points, side = rest
        changes = rest_changes(points, side) if side else {}
        data["rest_oriented_by"] = side
        data["rest_change"] = {
            region: {
                "latest_mm": _round(c.latest_mm),
                "sdc_mm": _round(c.noise.sdc),
                "since_last_mm": _round(c.since_last.delta) if c.since_last else None,
                "since_last_beyond_noise": c.since_last.beyond_noise if c.since_last else None,
                "since_first_mm": _round(c.since_first.delta) if c.since_first else None,
                "since_first_beyond_noise": c.since_first.beyond_noise if c.since_first else None,
                "words": c.describe(),
            }
            for region, c in changes.items()
        }
    return data


def run_history(args: argparse.Namespace) -> int:
    """Print every stored test, oldest first."""
    with open_journal(args.home, read_only=True) as store:
        rows = store.history()
        if args.json:
            rest = None
            if rows:  # the judged changes need the scorer's numbers (numpy); an empty journal has none
                from journal.services.dashboard import rest_from_store

                rest = rest_from_store(store)
            print(json.dumps(history_json(rows, rest, store.capture_conditions()), indent=2))
            return 0
    if not rows:
        print("No tests yet: `tonus import FOLDER` brings in photos of a weekly test.")
        return 0
    print(f"{'test':>4}  {'date':<16}  {'tonus':>6}  {'movement':>8}  {'synk.':>5}  scorer")
    for r in rows:
        print(
            f"{r.session.id:>4}  {r.session.taken_at:%Y-%m-%d %H:%M}  {_fmt(r.tonus):>6}  "
            f"{_fmt(r.movement):>8}  {_fmt(r.synkinesis):>5}  {r.scorer_version or '–'}"
        )
    return 0


@contextmanager
def rescore_progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar with a count on stderr ("Re-scoring tests ━━━━ 120/522 0:00:09"); yields `advance`."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("Re-scoring tests"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=console.is_terminal) as progress:
        task = progress.add_task("rescore", total=total)
        yield lambda: progress.advance(task)


def run_rescore(args: argparse.Namespace) -> int:
    """Re-score every stored test from its landmarks with the current scorer."""
    from journal.capture.bundle import load_canonical_mesh
    from journal.capture.model_file import require_model
    from journal.scoring.version import SCORER_VERSION
    from journal.services.rescore import rescore_all

    canonical = load_canonical_mesh(require_model(args.home))
    count = skipped = 0
    with (
        open_journal(args.home, action="save the new scores") as store,
        rescore_progress(len(store.sessions())) as advance,
    ):
        for _session_id, scores in rescore_all(store, canonical):
            count += scores is not None
            skipped += scores is None
            advance()
    print(
        f"Re-scored {count} test(s) with {SCORER_VERSION}"
        + (f"; {skipped} had no usable frame." if skipped else ".")
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export every table, with a README saying what the export contains."""
    from journal.services.export_readme import README_NAME, write_readme
    from journal.store.export import check_target, target_names

    out = Path(args.out)
    photos = not args.no_photos
    check_target(out, [README_NAME, *target_names(args.format, photos)])  # before the journal is opened

    def readme(folder: Path, files: list[str]) -> Path:
        return write_readme(folder, args.format, photos, files)

    with open_journal(args.home, read_only=True) as store:
        written = store.export(out, args.format, photos=photos, readme=readme)
    print(
        printable(
            f"Exported {len(written)} tables to {out} ({'with' if photos else 'without'} photos); "
            f"see {README_NAME}."
        )
    )
    return 0
