"""Every photo uses the same renderer: colour half-blocks unless a graphics terminal was probed."""

from __future__ import annotations

import pytest

from journal.ui import images


def test_every_photo_gets_colour_half_blocks_not_only_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual_image.widget import HalfcellImage

    monkeypatch.setattr(images, "_probed", False)
    classes = [images.image_widget_class() for _ in range(4)]  # preview, results, history, compare
    assert classes == [HalfcellImage] * 4
