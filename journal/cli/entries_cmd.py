"""List, change and delete what was logged: `tonus entries`, `edit`, `delete`, `delete-test`.

Sensation entries are numbered as stored (`12`); events carry an E (`E3`), as `tonus entries` shows.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from journal.cli import words
from journal.cli.journal_cmd import open_journal, parse_intensity
from journal.errors import UsageError

if TYPE_CHECKING:
    from journal.store import Entry, Event


def register(sub: Any) -> None:
    """Add the entries subcommands."""
    entries = sub.add_parser("entries", help="list logged sensations and events, oldest first")
    entries.add_argument("--from", dest="since", metavar="WHEN", help=f"from, e.g. {words.WHEN_HELP}")
    entries.add_argument("--to", dest="until", metavar="WHEN", help="up to and including (a day or a time)")
    entries.add_argument("--json", action="store_true", help="print JSON")
    entries.set_defaults(handler=run_entries)

    edit = sub.add_parser("edit", help="change a sensation (12) or an event (E3) from `tonus entries`")
    edit.add_argument("id", metavar="ID", help="the number shown by `tonus entries` (E3 for an event)")
    edit.add_argument("--sensation")
    edit.add_argument("--intensity", help="0 (none) to 10 (strongest)")
    edit.add_argument("--side", help="left, right or both (your own sides)")
    edit.add_argument("--where", help="brow, eye, cheek, mouth, ear or other")
    edit.add_argument("--note", help="free text ('' removes it)")
    edit.add_argument("--kind", help="an event's kind: medication, therapy, milestone or appointment")
    edit.add_argument("--label", help="an event's label")
    edit.add_argument("--at", metavar="WHEN", help=f"when, e.g. {words.WHEN_HELP}")
    edit.set_defaults(handler=run_edit)

    delete = sub.add_parser("delete", help="delete a sensation (12) or an event (E3) from `tonus entries`")
    delete.add_argument("id", metavar="ID", help="the number shown by `tonus entries` (E3 for an event)")
    delete.set_defaults(handler=run_delete)

    delete_test = sub.add_parser("delete-test", help="delete a weekly test (its number from `tonus history`)")
    delete_test.add_argument("id", metavar="ID", help="the test's number from `tonus history`")
    delete_test.add_argument("--yes", action="store_true", help="do not ask first")
    delete_test.set_defaults(handler=run_delete_test)


def parse_id(text: str) -> tuple[str, int]:
    """("entry", 12) for "12", ("event", 3) for "E3", else a usage error."""
    cleaned = text.strip().lower()
    kind = "event" if cleaned.startswith("e") else "entry"
    digits = cleaned[1:] if kind == "event" else cleaned
    if not digits.isdecimal():
        raise UsageError(f"{text!r} is not an entry number: use one shown by `tonus entries` (12, or E3).")
    return kind, int(digits)


def _until(text: str) -> datetime:
    when = words.parse_when(text, "--to date")
    has_time = any(ch == ":" for ch in text) or text.strip().lower().endswith(("am", "pm"))
    return when if has_time else when.replace(hour=23, minute=59, second=59)


def _entry_line(e: Entry, now: datetime) -> str:
    where = " ".join(x for x in (e.side, e.where) if x)
    note = f"  “{e.note}”" if e.note else ""
    what = e.sensation.replace("_", " ")
    return f"{e.id:>6}  {words.friendly_time(e.at, now):<22}{what} {e.intensity}/10 {where}".rstrip() + note


def _event_line(e: Event, now: datetime) -> str:
    return f"{'E' + str(e.id):>6}  {words.friendly_time(e.at, now):<22}{e.kind}: {e.label}"


def run_entries(args: argparse.Namespace) -> int:
    """Print sensations and events between --from and --to."""
    since = words.parse_when(args.since, "--from date") if args.since is not None else None
    until = _until(args.until) if args.until else None
    if since and until and since > until:
        raise UsageError("--from is after --to: swap them.")
    with open_journal(args.home, read_only=True) as store:
        entries, events = store.entries(since, until), store.events(since, until)
    if args.json:
        data = {
            "entries": [
                {"id": e.id, "at": e.at.isoformat(), "sensation": e.sensation, "intensity": e.intensity,
                 "side": e.side, "where": e.where, "note": e.note}
                for e in entries
            ],
            "events": [{"id": f"E{e.id}", "at": e.at.isoformat(), "kind": e.kind, "label": e.label}
                       for e in events],
        }  # fmt: skip
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    now = datetime.now()
    rows = [(e.at, _entry_line(e, now)) for e in entries] + [(e.at, _event_line(e, now)) for e in events]
    if not rows:
        print("Nothing logged in that time." if since or until else "Nothing logged yet.")
    for _at, text in sorted(rows, key=lambda r: r[0]):
        print(text)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """Change the given fields of one entry or event; the others are kept."""
    from journal.store import validate as v

    kind, number = parse_id(args.id)
    at = words.parse_when(args.at, "time") if args.at is not None else None
    with open_journal(args.home) as store:
        if kind == "event":
            if any(x is not None for x in (args.sensation, args.intensity, args.side, args.where, args.note)):
                raise UsageError(f"{args.id} is an event: change only its --kind, --label or --at.")
            old = next((e for e in store.events() if e.id == number), None)
            if old is None:
                raise UsageError(f"There is no event {args.id}: pick one from `tonus entries`.")
            new_kind = (
                v.check_choice(words.choice_word(args.kind), v.EVENT_KINDS, "event kind")
                if args.kind
                else old.kind
            )
            store.update_event(
                number, at or old.at, new_kind, args.label if args.label is not None else old.label
            )
            print(f"Changed event {args.id}.")
            return 0
        if args.kind is not None or args.label is not None:
            raise UsageError(f"{args.id} is a sensation entry: --kind and --label are for events (E3).")
        changes: dict[str, Any] = {}
        if at is not None:
            changes["at"] = at
        if args.sensation is not None:
            changes["sensation"] = v.check_choice(
                words.choice_word(args.sensation), v.SENSATIONS, "sensation"
            )
        if args.intensity is not None:
            changes["intensity"] = parse_intensity(args.intensity)
        if args.side is not None:
            changes["side"] = v.check_optional_choice(
                words.choice_word(args.side) or None, v.ENTRY_SIDES, "side"
            )
        if args.where is not None:
            where = words.choice_word(args.where) or None
            changes["where"] = v.check_optional_choice(where, v.REGIONS_WHERE, "face region")
        if args.note is not None:
            changes["note"] = args.note.strip() or None
        if not changes:
            raise UsageError("Say what to change, e.g. --intensity 3 or --at yesterday.")
        entry = store.update_entry(number, **changes)
    print(f"Changed entry {number}: {_entry_line(entry, datetime.now()).strip()}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete one entry or event."""
    kind, number = parse_id(args.id)
    with open_journal(args.home) as store:
        if kind == "event":
            store.delete_event(number)
        else:
            store.delete_entry(number)
    print(f"Deleted {kind} {args.id}.")
    return 0


def run_delete_test(args: argparse.Namespace) -> int:
    """Delete a weekly test with its photos and scores, after asking (unless --yes)."""
    import sys

    if not args.id.strip().isdecimal():
        raise UsageError(f"{args.id!r} is not a test number: use one shown by `tonus history`.")
    number = int(args.id)
    with open_journal(args.home) as store:
        session = store.session(number)
        if session is None:
            raise UsageError(f"There is no test {number}: pick one from `tonus history`.")
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError(f"Deleting test {number} cannot be undone: add --yes to confirm.")
            answer = input(f"Delete the test of {session.taken_at:%Y-%m-%d %H:%M} (test {number}) "
                           "with its photos and scores? This cannot be undone. [y/N] ")  # fmt: skip
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.")
                return 0
        store.delete_session(number)
    print(f"Deleted test {number} of {session.taken_at:%Y-%m-%d %H:%M}.")
    return 0
