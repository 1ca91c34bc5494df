"""Home: when the next weekly test is due, the latest scores and their trend, today's sensations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from journal.text import markup_safe
from journal.ui.footer import TonusFooter
from journal.ui.messages import JournalFailed, JournalLoaded
from journal.ui.screens.base import error_text, hidden, services_of, with_store
from journal.ui.screens.prompts import IntensityPrompt

if TYPE_CHECKING:
    from journal.services.dashboard import Change, ScoreSummary
    from journal.store import Store

QUICK = {"v": "vibration", "i": "itching", "w": "twitching"}
WORKING_SIGNAL = "[b]Recovery signal  [/b][dim]working it out…[/dim]"


@dataclass
class SignalLoaded(Message):
    """What Home shows after its scores: the recovery signal, its noise, safety prompts, lead–lag."""

    signal: str
    noise: dict[str, Any] = field(default_factory=dict)  # the signal's noise by score (one figure each)
    safety: list[str] = field(default_factory=list)
    leadlag: str = ""


def change_line(change: Change, judged: bool = True) -> str:
    """One change, short enough for a card at 80 columns: "+4.2 since 18 Nov, beyond noise"."""
    if not judged:
        return f"  {change.delta:+.1f} since {change.since:%d %b}"
    verdict = "beyond" if change.beyond_noise else "within"
    return f"  {change.delta:+.1f} since {change.since:%d %b}, {verdict} noise"


def score_lines(name: str, summary: ScoreSummary, judged: bool = True) -> str:
    """Render one score's block: latest, changes, trend, and the noise the changes were judged by.

    Every line fits a card 36 columns wide (two cards side by side at 80 columns), so none wraps.
    `judged` False: the person's noise is still being worked out (the recovery signal's, read after
    Home's first paint), so the changes are shown without a verdict yet, in as many lines.
    """
    from journal.services.dashboard import sparkline

    if summary.latest is None:
        return f"[b]{name}[/b]\n  no score yet"
    # The name on a line of its own: at 80 columns each card is 36 wide.
    lines = [f"[b]{name}[/b]", f"  [b]{summary.latest:.1f}[/b] / 100   {sparkline(summary.trend)}"]
    shown = [c for c in (summary.since_last, summary.since_first) if c is not None]
    if summary.since_last:
        lines.append(change_line(summary.since_last, judged))
    if summary.since_first and len(summary.trend) > 2:
        lines.append(change_line(summary.since_first, judged))
        lines.append(f"  [dim]({summary.since_first.since:%d %b}: your first test)[/dim]")
    noise = next((c for c in shown if c.noise is not None), None)
    if noise is not None and not judged:
        lines.append("  [dim]noise: working it out…[/dim]")
    elif noise is not None:
        kind = "typical noise" if noise.typical else "your noise"
        lines.append(f"  [dim]{kind} ±{noise.noise:.1f}[/dim]")
    return "\n".join(lines)


def onset_words(onset: date | None, now: datetime) -> str:
    """ " 6 weeks since onset (3 Nov 2025)." for Home, or nothing when the onset is not set."""
    if onset is None or onset > now.date():
        return ""
    days = (now.date() - onset).days
    weeks = days // 7
    since = f"{weeks} week{'s' if weeks != 1 else ''}" if weeks else f"{days} day{'s' if days != 1 else ''}"
    return f" {since} since onset ({onset.day} {onset:%b %Y})."


class HomeScreen(Screen[None]):
    """The screen people open every week."""

    BINDINGS = [
        Binding("v", "quick_log('v')", "Vibration", show=False),
        Binding("i", "quick_log('i')", "Itching", show=False),
        Binding("w", "quick_log('w')", "Twitching", show=False),
        Binding("r", "reload", "Refresh", show=False),
    ]

    _history: list[Any] | None = None  # the tests last read, oldest first
    _judged: SignalLoaded | None = None  # the recovery signal last worked out, with its noise
    _who = ""  # the affected side and weeks since onset, under the due text

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with VerticalScroll(id="home"):
            yield Static("Opening your journal…", id="due", classes="banner")
            yield Static(WORKING_SIGNAL, id="signal", classes="card")
            yield hidden(Static("", id="safety", classes="card"))
            yield hidden(Static("", id="leadlag", classes="hint"))
            with Horizontal(id="scores"):
                yield Static("", id="tonus", classes="card")
                yield Static("", id="movement", classes="card")
            with Vertical(id="today-box", classes="card"):
                yield Static("[b]Today[/b]", classes="title")
                yield Static("", id="today")
        # Outside the scrolling part, one line at 80 columns: always in sight above the footer's keys.
        yield Static(
            "Quick log: [b]v [/b]vibration  [b]i [/b]itching  [b]w [/b]twitching, then an intensity 0–10.",
            id="quick",
            classes="hint",
        )
        yield TonusFooter()

    def on_mount(self) -> None:
        """The demo's journal fills after this first paint: say so until its tests are read."""
        if services_of(self).demo:
            self.query_one("#due", Static).update("Opening the sample journal: its weekly tests are loading…")

    def on_screen_resume(self) -> None:
        """Load the journal whenever Home is shown: after the first paint, and on coming back."""
        self.load()

    def action_reload(self) -> None:
        """Read the journal again."""
        self.load()

    @work(thread=True, exclusive=True, group="journal")
    def load(self) -> None:
        """Read profile, history and today's entries in a thread and show them; then the recovery signal.

        The scores are posted as soon as they are read: the recovery signal, the safety prompts and the
        lead–lag line take longer (every test's rest scores, the sensations) and follow in a second message.
        """
        services = services_of(self)
        now = services.now()
        worker = get_current_worker()

        def read(store: Store) -> SignalLoaded | None:
            from journal.services.dashboard import noise_of, recovery_from_store
            from journal.signals.leadlag import leadlag_from_store, one_line
            from journal.signals.safety import safety_from_store

            start = now.replace(hour=0, minute=0, second=0, microsecond=0)
            profile, history = store.get_profile(), store.history()
            first = profile.updated_at is None and not history and not services.demo
            today = store.entries(since=start)
            notices = list(store.notices)  # said once: this opening's news (a leftover log kept)
            store.notices.clear()
            loaded = JournalLoaded(profile, history, today, first)
            loaded.notices = notices
            self.post_message(loaded)  # Home paints its scores now
            if worker.is_cancelled:
                return None
            signal = recovery_from_store(store, history)
            noise = noise_of(signal)
            safety = [n.line() for n in safety_from_store(store, noise_by_score=noise)]
            lead = one_line(leadlag_from_store(store, history))
            return SignalLoaded(signal.message(), noise, safety, lead)

        try:
            judged = with_store(services, read)
        except Exception as exc:  # shown on screen, never a traceback
            self.post_message(JournalFailed(error_text(exc)))
            return
        if judged is not None:
            self.post_message(judged)

    def on_journal_failed(self, message: JournalFailed) -> None:
        """Say why the journal could not be read."""
        self.query_one("#due", Static).update(f"[b]Could not open the journal. [/b]{escape(message.text)}")

    def on_journal_loaded(self, message: JournalLoaded) -> None:
        """Show the scores and today; start the first-run questions for a new journal.

        Until the recovery signal arrives (`on_signal_loaded`) the changes are judged against the noise
        shown last time, if any, else shown without a verdict.
        """
        for notice in message.notices:
            self.notify(notice, title="Journal", severity="warning", timeout=30, markup=False)
        self._history = message.history
        side = message.profile.affected_side
        who = f"Affected side: {side}." if side else "Affected side not set (inferred per test)."
        who += onset_words(message.profile.onset, services_of(self).now())
        self._who = who
        if self._judged is None:
            self.query_one("#signal", Static).update(WORKING_SIGNAL)
        self._show_scores(self._judged)
        if message.today:
            rows = [
                f"{e.at:%H:%M}  {e.sensation.replace('_', ' ')} {e.intensity}/10"
                + (f"  {e.side}" if e.side else "")
                + (f" {e.where}" if e.where else "")
                + (f"  [dim]{markup_safe(e.note)}[/dim]" if e.note else "")
                for e in message.today
            ]
            self.query_one("#today", Static).update("\n".join(rows))
        else:
            self.query_one("#today", Static).update("[dim]Nothing logged today.[/dim]")
        if message.first_run:
            from journal.ui.screens.first_run import FirstRunScreen

            # Two loads can overlap (a reload while one runs); ask the questions once.
            if not any(isinstance(s, FirstRunScreen) for s in self.app.screen_stack):
                self.app.push_screen(FirstRunScreen(), self._after_first_run)

    def _show_scores(self, judged: SignalLoaded | None) -> None:
        """The due text and both score cards, judged against the signal's noise when it is known."""
        from journal.services.dashboard import build_dashboard

        noise = judged.noise if judged else None
        board = build_dashboard(self._history or [], services_of(self).now(), noise)
        self.query_one("#due", Static).update(f"{board.due_text}\n[dim]{self._who}[/dim]")
        self.query_one("#tonus", Static).update(
            score_lines("Tonus (resting symmetry)", board.tonus, bool(judged))
        )
        self.query_one("#movement", Static).update(score_lines("Movement", board.movement, bool(judged)))

    def on_signal_loaded(self, message: SignalLoaded) -> None:
        """Show the recovery signal, safety prompts and lead–lag line; judge the changes by its noise."""
        self._judged = message
        self.query_one("#signal", Static).update(f"[b]Recovery signal  [/b]{message.signal}")
        safety = self.query_one("#safety", Static)
        safety.display = bool(message.safety)
        safety.update(Text("\n".join(message.safety)))
        lead = self.query_one("#leadlag", Static)
        lead.display = bool(message.leadlag)
        lead.update(Text(message.leadlag))
        if self._history is not None:
            self._show_scores(message)

    def _after_first_run(self, _result: None) -> None:
        self.load()

    def action_quick_log(self, key: str) -> None:
        """Ask for an intensity and log the sensation."""
        self.ask_intensity(QUICK[key])

    def ask_intensity(self, sensation: str, typed: str = "", problem: str = "") -> None:
        """Open the intensity prompt; after a refusal, again with what was typed and why it was not saved."""

        def logged(intensity: int | None) -> None:
            if intensity is not None:
                self.save_entry(sensation, intensity)

        self.app.push_screen(IntensityPrompt(sensation, typed, problem), logged)

    @work(thread=True, group="journal-write")  # not in "journal": a reload must not cancel it
    def save_entry(self, sensation: str, intensity: int) -> None:
        """Write one entry, then reload."""
        services = services_of(self)
        at: datetime = services.now().replace(second=0, microsecond=0)
        try:
            with_store(services, lambda s: s.add_entry(at, sensation, intensity))
        except Exception as exc:  # not saved: say so, and ask again with the intensity typed
            problem = f"Not saved: {markup_safe(error_text(exc))}"
            self.app.call_from_thread(self.notify, problem, severity="error")
            self.app.call_from_thread(self.ask_intensity, sensation, str(intensity), problem)
            return
        self.app.call_from_thread(self.notify, f"Logged {sensation} {intensity}/10.")
        self.app.call_from_thread(self.load)
