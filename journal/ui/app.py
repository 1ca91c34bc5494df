"""The Tonus app: sections as modes, the weekly test as a pushed screen, keys in the footer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from journal.ui.screens.home import HomeScreen
from journal.ui.services import Services


def _section(module: str, name: str) -> Callable[[], Screen[None]]:
    """A section's screen, imported when first opened: not before Home's first paint."""

    def make() -> Screen[None]:
        screen: Screen[None] = getattr(import_module(f"journal.ui.screens.{module}"), name)()
        return screen

    return make


class TonusApp(App[None]):
    """A calm, keyboard-driven journal for facial palsy recovery."""

    TITLE = "Tonus"
    SUB_TITLE = "tone returns before movement"
    CSS_PATH = "tonus.tcss"
    MODES = {
        "home": HomeScreen,
        "journal": _section("journal", "JournalScreen"),
        "charts": _section("charts", "ChartsScreen"),
        "history": _section("history", "HistoryScreen"),
    }
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("h", "switch_mode('home')", "Home"),
        Binding("t", "weekly_test", "Weekly test"),
        Binding("j", "switch_mode('journal')", "Journal"),
        Binding("c", "switch_mode('charts')", "Charts"),
        Binding("y", "switch_mode('history')", "History"),
        Binding("p", "report", "Report", show=False),  # named in Help and the command palette
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        if services.theme and services.theme in self.available_themes:
            self.theme = services.theme

    def on_mount(self) -> None:
        """Remember the theme whenever the person changes it (in the command palette)."""
        self.theme_changed_signal.subscribe(self, lambda theme: self.remember(theme=theme.name))

    def remember(self, **settings: str) -> None:
        """Keep settings (camera, theme) for the next run; a failure to write is only reported."""
        path = self.services.config_file
        if path is None:
            return
        from journal.config import save_config

        try:
            save_config(path, **settings)
        except OSError as exc:
            self.notify(f"Could not keep your settings in {path}: {exc.strerror or exc}.", severity="warning")

    def _test_running(self) -> bool:
        """Whether the weekly test is on screen (it owns the camera until saved or cancelled)."""
        return bool(getattr(self.screen, "OWNS_CAMERA", False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the section keys during the weekly test: finish it or cancel it (Esc) first."""
        return not (action in ("switch_mode", "weekly_test") and self._test_running())

    async def action_quit(self) -> None:
        """Quit; during the weekly test, ask first when poses were taken (nothing is saved)."""
        cancel = getattr(self.screen, "action_cancel", None)
        if self._test_running() and cancel is not None:
            cancel(then=self.exit)
            return
        self.exit()

    def go_to_section(self, mode: str) -> None:
        """Go to a section, unless a weekly test is running (it would go on in the background)."""
        if self._test_running():
            self.notify("Finish the weekly test or cancel it with Esc first.", timeout=3)
            return
        if mode == self.current_mode:  # e.g. h on Results opened from Home: back to the section itself
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    async def action_switch_mode(self, mode: str) -> None:
        """The section keys (h, j, c, y)."""
        self.go_to_section(mode)

    def action_weekly_test(self) -> None:
        """Open the guided weekly test."""
        from journal.ui.screens.weekly_test import WeeklyTestScreen

        if not any(isinstance(s, WeeklyTestScreen) for s in self.screen_stack):  # (or a dialog above it)
            self.push_screen(WeeklyTestScreen())

    def action_help(self) -> None:
        """Show the keys and what the numbers mean."""
        from journal.ui.screens.help import HelpScreen  # Markdown costs ~30 ms: not before the first paint

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_report(self) -> None:
        """Write the clinician report (one HTML file) into the journal's reports folder."""
        self.notify("Writing your report for the clinician…", timeout=3)
        self.write_report()

    @work(thread=True, exclusive=True, group="report")
    def write_report(self) -> None:
        """Read the journal and write the report in a thread, then say where it is."""
        from journal.clinician.write import default_name, write_report
        from journal.paths import ensure_private_dir
        from journal.ui.screens.base import error_text

        services = self.services
        now = services.now()
        try:
            folder = ensure_private_dir(services.home / "reports")
            with services.open_store() as store:
                if not store.sessions():
                    text = "No tests yet: the report needs at least one weekly test (press t)."
                    self.call_from_thread(self.notify, text, markup=False)
                    return
                path = write_report(store, folder / default_name(now), None, now)
        except Exception as exc:  # shown to the person, never a traceback
            self.call_from_thread(self.notify, error_text(exc), severity="error", markup=False)
            return
        text = f"Report written to {path}. Open it in a browser to read or print it."
        self.call_from_thread(self.notify, text, markup=False, timeout=15)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Add Tonus's sections and actions to the command palette."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Weekly test", "Take this week's photo test", self.action_weekly_test)
        yield SystemCommand("Report", "Write a report for your clinician (an HTML file)", self.action_report)
        for mode, text in (
            ("home", "Home: when the next test is due, latest scores"),
            ("journal", "Journal: sensations and events"),
            ("charts", "Charts: scores and sensations over weeks"),
            ("history", "History: every test"),
        ):
            yield SystemCommand(mode.title(), text, lambda m=mode: self.go_to_section(m))
        yield SystemCommand(
            "Log a sensation", "Add a journal entry: what, how strong", self._journal("add_entry")
        )
        yield SystemCommand(
            "Add an event", "Mark the charts: medication, therapy, …", self._journal("add_event")
        )
        yield SystemCommand(
            "Set affected side and onset", "Your affected side and when it began", self._profile
        )

    def _journal(self, action: str) -> Callable[[], None]:
        """Open the Journal and run one of its actions (add an entry or an event)."""

        def run() -> None:
            if self._test_running():
                self.go_to_section("journal")  # says why not
                return
            self.go_to_section("journal")
            self.call_after_refresh(lambda: getattr(self.screen, f"action_{action}", lambda: None)())

        return run

    def _profile(self) -> None:
        """Ask the first-run questions again: the affected side and the onset date."""
        from journal.ui.screens.first_run import FirstRunScreen

        if not self._test_running():
            self.push_screen(FirstRunScreen())


def build_app(services: Services) -> TonusApp:
    """Build the app with its dependencies (the CLI and the tests call this same factory)."""
    return TonusApp(services)
