"""Help: the keys, and what the numbers mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from journal.safety import NOT_A_DIAGNOSIS, RED_FLAGS

HELP = """\
# Tonus

**Keys** — `h` Home · `t` weekly test · `j` journal · `c` charts · `y` history · `?` this help ·
`ctrl+p` commands · `p` write a report for your clinician · `q` quit.
On Home: `v` vibration, `i` itching, `w` twitching, then an intensity 0–10 and Enter.
In the weekly test: `space` capture a pose (after a 3-second countdown), `r` retake, `s` skip a pose,
`Esc` cancel (nothing is saved until the end).

**Tonus** is how symmetric your face is at rest (0–100; 100 = within normal asymmetry).
Tone usually returns before movement: this number often rises first.

**Movement** compares how far your affected side moves with your healthy side in each expression
(100 = as far).

Sides are always **your own** left and right. Changes are called *beyond noise* only when they are
larger than what repeating the same test would give (SDC95).

Everything stays on this computer.
"""
HELP += f"\n**{NOT_A_DIAGNOSIS}**\n\n**Emergency:** {RED_FLAGS}\n"


class HelpScreen(ModalScreen[None]):
    """Keys and meanings; Esc or ? closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with VerticalScroll(classes="dialog wide"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
