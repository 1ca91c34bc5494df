"""The report as one HTML page: sections, tables and the inline charts, styled to print on A4 or Letter."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from journal.clinician.data import ReportData, TestView
from journal.clinician.style import CSS
from journal.clinician.svg import poses_svg, recovery_svg, regions_svg, timeline_svg
from journal.clinician.text import esc
from journal.protocol import POSE_NAMES, POSES_BY_NAME, REGIONS
from journal.scoring.version import SCORER_VERSION
from journal.signals.safety import NOT_A_DIAGNOSIS, RED_FLAGS
from journal.store import CaptureConditions

#: Section ids in page order (the browser test checks that each is present).
SECTIONS: Final = (
    "profile",
    "scores",
    "rest",
    "movement",
    "synkinesis",
    "recovery",
    "timeline",
    "sensations",
    "photos",
    "conditions",
    "safety",
    "method",
)
_REGION_WORDS: Final = {
    "brow": "Brow (lower on the affected side)",
    "eye": "Eye opening (wider on the affected side)",
    "midface": "Nose base / ala (lower on the affected side)",
    "mouth": "Mouth corner (lower on the affected side)",
}
METHOD: Final = (
    "Each weekly test is a set of photos of ten expressions taken at home with a webcam. A face-landmark "
    "model (MediaPipe FaceLandmarker, run on each frame and on its mirror image) places 478 points; the "
    "points are fitted to a symmetric head model and scaled to millimetres with the iris (11.77 mm). "
    "Tonus is the resting symmetry (0–100; 100 = within normal asymmetry). Movement compares the affected "
    "side's travel with the healthy side's in each expression (100 = at least 80 % as far, 90 % for eye "
    "closure, the range healthy faces show; below that it scales to 0). Synkinesis is the extra "
    "narrowing of the affected eye during smile and pucker, in Sunnybrook-like points (an estimate). "
    "Resting asymmetry is shown oriented: affected minus healthy in the direction a palsy pulls each "
    "region, so it falls toward 0 as tone returns. A change is called beyond noise only when it exceeds "
    "the smallest detectable change (SDC95 = 1.96·√2·SEM), from this person's repeat frames and first "
    "tests where available, otherwise a typical value (said so). Sensation–score lead–lag: Pearson "
    "correlation of each sensation's weekly intensity with the weekly improvement at lags of −2 to +4 "
    "weeks, tested against 999 shuffles of the person's own series. Sides are the person's anatomical "
    "sides. These are measurements from photos, not a clinical grading."
)


def _num(value: float | None, digits: int = 1, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def _when(test: TestView | None) -> str:
    return "–" if test is None else f"{test.session.taken_at:%d %b %Y}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    """A table; cells are already-escaped HTML."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _section(sid: str, title: str, body: str) -> str:
    return f'<section id="{sid}"><h2>{esc(title)}</h2>{body}</section>'


def _profile(data: ReportData) -> str:
    p = data.profile
    side = data.affected or "not known"
    source = "given" if p.affected_side else "inferred from the tests"
    weeks = data.weeks_since_onset(data.generated.date())
    first, _, latest = data.compared()
    rows = [
        ("Affected side", f"{esc(side)} ({source})"),
        ("Onset", esc(f"{p.onset:%d %b %Y}") if p.onset else "not given"),
        ("Weeks since onset", str(weeks) if weeks is not None else "–"),
        ("Weekly tests in this report", f"{len(data.tests)} ({_when(first or latest)} to {_when(latest)})"),
        ("Period", f"the last {data.weeks} weeks" if data.weeks else "everything recorded"),
    ]
    return _section("profile", "Profile", _table(("", ""), rows, "kv"))


def _verdict(delta: float | None, key: str, data: ReportData) -> str:
    noise = data.noise.get(key)
    if delta is None:
        return "–"
    if noise is None:
        return f"{delta:+.1f}"
    typical = noise.sources == ("default",)
    word = "beyond" if abs(delta) > noise.sdc else "within"
    return f"{delta:+.1f} <small>({word} {'typical ' if typical else ''}noise ±{noise.sdc:.1f})</small>"


def _scores(data: ReportData) -> str:
    first, previous, latest = data.compared()
    rows = []
    for key, name in (
        ("tonus", "Tonus (resting symmetry)"),
        ("movement", "Movement"),
        ("synkinesis", "Synkinesis"),
    ):
        values = [getattr(t.scores, key) if t and t.scores else None for t in (first, previous, latest)]
        now = values[2]
        change = [now - v if now is not None and v is not None else None for v in values[:2]]
        judged = key != "synkinesis"
        rows.append(
            [esc(name), *(_num(v) for v in values)]
            + [_verdict(c, key, data) if judged else _num(c, 1) for c in change]
        )
    head = (
        "",
        f"First test<br>{_when(first)}",
        f"Last week<br>{_when(previous)}",
        f"Latest<br>{_when(latest)}",
    )
    body = _table((*head, "Change since first", "Change since last week"), rows)
    body += f'<p class="signal"><b>Recovery signal.</b> {esc(data.signal.message())}</p>'
    return _section("scores", "Latest test against the first and last week", body)


def _rest(data: ReportData) -> str:
    first, _, latest = data.compared()
    side = data.affected
    if latest is None or not latest.oriented(side):
        why = "no rest pose scored" if latest is not None else "no test"
        return _section("rest", "Resting asymmetry per region", f"<p>Not available ({why}, or no side).</p>")
    rest_now = latest.scores.poses["rest"].regions if latest.scores else {}
    now, then = latest.oriented(side), first.oriented(side) if first else {}
    rows = []
    for region in REGIONS:
        if region not in now:
            continue
        left, right = rest_now[region]
        band = data.region_noise.get(region)
        change = now[region] - then[region] if region in then else None
        beyond = "" if change is None or band is None else ("beyond" if abs(change) > band.sdc else "within")
        rows.append(
            [
                esc(_REGION_WORDS[region]),
                f"{left:.1f} / {right:.1f}",
                _num(then.get(region), 1, " mm"),
                _num(now[region], 1, " mm"),
                f"{change:+.1f} mm <small>({beyond} noise)</small>" if change is not None else "–",
                f"±{band.sdc:.1f} mm" if band else "–",
            ]
        )
    head = ("Region", "Left / right now (mm)", "First test", "Latest", "Change", "Noise band (SDC95)")
    series: dict[str, list[tuple[datetime, float]]] = {
        r: [(t.session.taken_at, v) for t in data.tests if (v := t.oriented(side).get(r)) is not None]
        for r in REGIONS
    }
    span = data.chart.span()
    chart = ""
    if span is not None:
        chart = regions_svg(series, {r: n.sdc for r, n in data.region_noise.items()}, *span)
    note = (
        "<p><small>Affected minus healthy side, in the direction a palsy pulls (positive = as in palsy, 0 = "
        "symmetric). The shaded band is the noise band around the first test: a change outside it is "
        "beyond measurement noise.</small></p>"
    )
    return _section("rest", "Resting asymmetry per region", _table(head, rows) + note + chart)


def _movement(data: ReportData) -> str:
    first, previous, latest = data.compared()
    rows, bars = [], []
    for pose in POSE_NAMES:
        if pose == "rest":
            continue
        cells = [t.scores.poses.get(pose) if t and t.scores else None for t in (first, previous, latest)]
        values = [c.movement if c else None for c in cells]
        now = cells[2]
        travel = (
            f"{now.movement_left:.1f} / {now.movement_right:.1f}"
            if now is not None and now.movement_left is not None and now.movement_right is not None
            else (esc(now.note) if now is not None and now.note else "–")
        )
        rows.append([esc(POSES_BY_NAME[pose].item), *(_num(v, 0) for v in values), travel])
        bars.append((pose, values[0], values[2]))
    head = ("Pose", "First", "Last week", "Latest", "Travel left / right (mm), latest")
    return _section("movement", "Movement per pose (0–100)", _table(head, rows) + poses_svg(bars))


def _synkinesis(data: ReportData) -> str:
    recent = data.tests[-12:]
    head = ["Test", *(esc(f"{t.session.taken_at:%d %b}") for t in recent)]
    row = ["Points", *(_num(t.scores.synkinesis if t.scores else None) for t in recent)]
    note = (
        "<p><small>Sunnybrook-like points (estimate): extra narrowing of the affected eye in smile and "
        "pucker.</small></p>"
    )
    return _section("synkinesis", "Synkinesis (last 12 tests)", _table(head, [row], "small") + note)


def _timeline(data: ReportData) -> str:
    events = "".join(
        f"<li>{esc(f'{e.at:%d %b %Y}')}: {esc(e.kind)}: {esc(e.label)}</li>" for e in data.chart.events
    )
    key = (
        '<p><small><span class="k tonus"></span> tonus (solid) <span class="k movement"></span> movement '
        "(dashed), 0–100; events are the numbered dotted lines.</small></p>"
    )
    body = timeline_svg(data.chart) + key + (f'<ol class="events">{events}</ol>' if events else "")
    return _section("timeline", "Timeline: tonus, movement, sensations and events", body)


def _recovery(data: ReportData) -> str:
    key = (
        "<p><small>0 % is your worst test, 100 % an even face at rest (tone, solid) or full movement "
        "(dashed); the shaded bands are each line's measurement noise; vertical lines mark where the "
        "recovery signal places the return of each.</small></p>"
    )
    return _section("recovery", "Recovery of tone and movement", recovery_svg(data.chart) + key)


def _sensations(data: ReportData) -> str:
    if data.leadlag:
        body = "<ul>" + "".join(f"<li>{esc(s)}</li>" for s in data.leadlag) + "</ul>"
    else:
        body = "<p>No sensation tracked the return of tone or movement beyond chance in these tests.</p>"
    return _section("sensations", "Do the sensations come before tone and movement?", body)


def _photo(jpeg: bytes | None, when: datetime | None, label: str) -> str:
    if jpeg is None:
        return f'<figure class="none"><div>no photo</div><figcaption>{esc(label)}</figcaption></figure>'
    uri = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
    caption = f"{label}, {when:%d %b %Y}" if when else label
    return f'<figure><img src="{uri}" alt="{esc(caption)}"><figcaption>{esc(caption)}</figcaption></figure>'


def _photos(data: ReportData) -> str:
    cells = []
    for pose in POSE_NAMES:
        (first, latest), (t0, t1) = (
            data.photos.get(pose, (None, None)),
            data.photo_tests.get(pose, (None, None)),
        )
        if first is None and latest is None:
            figures = '<figure class="none"><div>no photo of this pose</div></figure>'
        else:
            figures = _photo(first, t0, "first") + _photo(latest, t1, "latest")
        cells.append(f'<div class="pose"><h3>{esc(POSES_BY_NAME[pose].item)}</h3>{figures}</div>')
    return _section(
        "photos", "Photos: first and latest, every pose", f'<div class="photos">{"".join(cells)}</div>'
    )


#: Tests listed under capture conditions (the latest ones): a longer list helps no one at a visit.
CONDITION_ROWS: Final = 26


def _conditions(data: ReportData) -> str:
    rows = []
    for t in data.tests[-CONDITION_ROWS:]:
        seen = sum(p.frames_seen for p in t.poses)
        used = sum(p.frames_used for p in t.poses)
        rejected: dict[str, int] = {}
        for p in t.poses:
            for reason, n in p.rejected.items():
                rejected[reason] = rejected.get(reason, 0) + n
        why = ", ".join(f"{esc(r.replace('_', ' '))} {n}" for r, n in sorted(rejected.items())) or "–"
        s = t.session
        rows.append(
            [
                esc(f"{s.taken_at:%d %b %Y %H:%M}"),
                esc(s.time_of_day),
                _num(s.tiredness, 0) if s.tiredness is not None else "–",
                f"{used}/{seen}",
                why,
                esc(s.scorer_version),
                esc(s.note) if s.note else "",
                esc(photos.describe()) if (photos := CaptureConditions.from_poses(t.poses)) else "–",
            ]
        )
    head = (
        "Test",
        "Time of day",
        "Tiredness 0–10",
        "Frames used",
        "Frames rejected",
        "Scorer",
        "Note",
        "Photos",
    )
    shown = min(len(data.tests), CONDITION_ROWS)
    total = len(data.tests)
    note = f"<p><small>The last {shown} of {total} tests.</small></p>" if shown < total else ""
    return _section("conditions", "Capture conditions", _table(head, rows, "small") + note)


def _safety(data: ReportData) -> str:
    notes = "".join(f'<li class="note"><b>{esc(n.title)}.</b> {esc(n.text)}</li>' for n in data.safety)
    body = f"<ul>{notes}</ul>" if notes else "<p>No safety prompt for the latest test.</p>"
    body += f'<p class="flags"><b>Red flags.</b> {esc(RED_FLAGS)}</p><p>{esc(NOT_A_DIAGNOSIS)}</p>'
    return _section("safety", "Safety notes", body)


def _method(data: ReportData) -> str:
    versions = sorted({t.session.scorer_version for t in data.tests} | {SCORER_VERSION})
    body = f"<p>{esc(METHOD)}</p><p>Scorer: {esc(', '.join(versions))} (current {esc(SCORER_VERSION)}).</p>"
    return _section("method", "Method", body)


def render(data: ReportData) -> str:
    """Return the whole report as one HTML document (no script, no external reference)."""
    parts = (_profile, _scores, _rest, _movement, _synkinesis, _recovery, _timeline, _sensations, _photos)
    sections = "".join(part(data) for part in (*parts, _conditions, _safety, _method))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Tonus report {esc(f'{data.generated:%Y-%m-%d}')}</title><style>{CSS}</style></head><body>"
        f"<header><h1>Tonus report</h1><p>Made on {esc(f'{data.generated:%d %b %Y %H:%M}')} from a personal "
        f"journal of weekly photo tests. {esc(NOT_A_DIAGNOSIS)}</p></header>"
        f"<main>{sections}</main></body></html>\n"
    )
