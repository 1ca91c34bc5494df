"""The scorer version: stored with every score so history can be re-scored when it changes; and how a
test's landmarks were measured, stored with every test because stored landmarks cannot be re-measured."""

from typing import Final

#: Bump whenever any score or measure would change for the same landmarks.
#: tests/test_scorer_version.py holds golden numbers for this version and fails if they drift.
#: Version 5: the landmarker refines the lower lid and brow from the image (journal/capture/refine.py),
#: and the brow_raise "lower brow" and rest brow side cues are set for those points.
SCORER_VERSION = "tonus-scorer/5"

#: How a test's landmarks were measured (`sessions.landmarks`). Tests keep landmarks, not whole images,
#: so a test measured with the face model's points alone can never be refined afterwards: brow and eye
#: millimetres are compared only between tests measured the same way (journal/signals/points.py).
LANDMARKS_MODEL: Final = "model"  # the face model's points alone (every test before tonus-scorer/5)
LANDMARKS_REFINED: Final = "refined/1"  # lower lid and brow refined from the image
#: What the landmarker measures now: every new test is stored with it.
LANDMARKS_METHOD: Final = LANDMARKS_REFINED
