"""The TUI tells the person when a leftover write-ahead log was kept in recovery/, as the CLI does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from test_faults import kept_copies, write_and_die  # noqa: E402
from ui_helpers import SIZE, make_services, mark_first_run_done, new_app, run, until  # noqa: E402


@pytest.fixture(autouse=True)
def images_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_IMAGES", "off")


def test_home_says_where_the_leftover_log_was_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mark_first_run_done(home, side="left")
    write_and_die(home)  # 20 entries left in the log only

    async def body() -> None:
        app = new_app(make_services(home))
        async with app.run_test(size=SIZE) as pilot:

            def told() -> bool:
                return any("write-ahead log was kept" in str(n.message) for n in app._notifications)

            await until(pilot, told, "the notice about the kept log")
            (copy,) = kept_copies(home)
            assert any(str(copy) in str(n.message) for n in app._notifications)

    run(body())
