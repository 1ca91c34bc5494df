"""Help: the keys, and what the numbers mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from journal.signals.safety import NOT_A_DIAGNOSIS, RED_FLAGS

HELP = """\
# Tonus

**Keys everywhere** — `h` Home · `t` weekly test · `j` journal · `c` charts · `y` history ·
`?` this help · `ctrl+p` every command · `p` write a report for your clinician · `q` quit.

- **Home:** `v` vibration, `i` itching, `w` twitching, then an intensity 0–10 and Enter; `r` refresh.
- **Weekly test:** `space` take the pose (a 3-second countdown on a webcam or video; a photo is taken
  at once), `r` retake, `s` skip a pose, `k` choose another camera, video or photo folder,
  `Esc` cancel (nothing is saved until the end).
- **Results:** `m` shows or hides the measurement details; `Esc` or `Enter` closes.
- **Journal:** `a` add a sensation, `n` add an event, `e` edit and `d` delete the selected row of
  the table that has the focus (`Tab` moves between the sensations and the events).
- **Charts:** `1` `2` `3` choose the chart, `w` the weeks shown.
- **History:** `Enter` opens a test, `m` marks two and `v` compares them, `f` compares the first test
  with the latest (`←` `→` page through the poses), `d` deletes a test (it asks first).

**Tonus** is how even your face is at rest (0–100; 100 = within normal differences).
Tone usually returns before movement: this number often rises first.

**Movement** compares how far your affected side moves with your other side in each expression
(100 = at least 80 % as far, which is as even as healthy faces are).

Sides are always **your own** left and right. A change is called *real* only when it is larger
than the wobble that repeating the same test a moment later would give.

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
