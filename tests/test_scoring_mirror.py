"""Mirror averaging of landmarks and blendshapes (synthetic observations, no model)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import synthetic as syn

from journal.scoring.landmarks import mirror_permutation
from journal.scoring.measures import mm_per_unit
from journal.scoring.mirror import average_blendshapes, average_landmarks, swap_side_name, unflip
from journal.scoring.scores import signed_differences

CANONICAL = syn.canonical_mesh()
FACE = syn.face()
PERM = mirror_permutation(CANONICAL)
CAM = syn.Camera(rotation=syn.rotation(6, -4, 11), scale=16.0, offset=(310.0, -235.0, 5.0))


def test_averaging_a_symmetric_face_with_its_flip_returns_it() -> None:
    direct = syn.observe(FACE, CAM).landmarks
    flipped = syn.mirror_landmarks(direct, PERM)  # what a perfect model finds on the flipped image
    np.testing.assert_allclose(average_landmarks(direct, flipped, PERM), direct, atol=1e-12)


def test_averaging_an_asymmetric_face_with_its_flip_returns_it() -> None:
    edited = syn.apply_edits(FACE, [syn.Edit("left", "commissure", up=-4.0), *syn.eye_opening("right", 2.0)])
    direct = syn.observe(edited, CAM).landmarks
    flipped = syn.mirror_landmarks(direct, PERM)
    np.testing.assert_allclose(average_landmarks(direct, flipped, PERM), direct, atol=1e-12)


def test_unflip_moves_x_and_swaps_roles() -> None:
    direct = syn.observe(FACE, CAM).landmarks
    flipped = syn.mirror_landmarks(direct, PERM)
    # On the flipped image the subject's left commissure (291) is found where the right one (61) is
    # drawn, at 1 − x.
    assert flipped[61, 0] == pytest.approx(1.0 - direct[291, 0])
    assert flipped[61, 1:] == pytest.approx(direct[291, 1:])
    np.testing.assert_allclose(unflip(flipped, PERM), direct, atol=1e-12)
    assert not np.allclose(flipped, direct)  # the flip really changed the landmarks


def test_a_side_biased_model_is_cancelled_by_mirror_averaging() -> None:
    """A model that opens the eye on the image's left 0.35 mm wider: no asymmetry after averaging."""
    bias_cm = 0.035

    def biased_model(true_landmarks: np.ndarray) -> np.ndarray:
        out = true_landmarks.copy()
        on_image_left = out[:, 0] < 0.5
        upper = np.zeros(len(out), bool)
        upper[[160, 159, 158, 387, 386, 385]] = True
        out[upper & on_image_left, 1] -= bias_cm * CAM.scale / CAM.height  # image y grows downward
        return out

    truth = syn.observe(FACE, syn.Camera(scale=CAM.scale))
    direct = biased_model(truth.landmarks)
    flipped = biased_model(syn.mirror_landmarks(truth.landmarks, PERM))
    raw = syn.measure_observation(replace(truth, landmarks=direct), "rest", CANONICAL)
    avg = syn.measure_observation(
        replace(truth, landmarks=average_landmarks(direct, flipped, PERM)), "rest", CANONICAL
    )
    assert signed_differences(raw * mm_per_unit(raw))["eye"] == pytest.approx(-0.35, abs=1e-6)
    assert signed_differences(avg * mm_per_unit(avg))["eye"] == pytest.approx(0.0, abs=1e-9)


def test_average_blendshapes_swaps_the_flipped_sides() -> None:
    direct = {"eyeBlinkLeft": 0.2, "eyeBlinkRight": 0.6, "jawOpen": 0.1, "mouthSmileLeft": 0.9}
    flipped = {"eyeBlinkLeft": 0.5, "eyeBlinkRight": 0.3, "jawOpen": 0.3}
    avg = average_blendshapes(direct, flipped)
    # The flipped image's eyeBlinkRight is the subject's left eye.
    assert avg == pytest.approx(
        {"eyeBlinkLeft": 0.25, "eyeBlinkRight": 0.55, "jawOpen": 0.2, "mouthSmileLeft": 0.9}
    )


def test_a_left_biased_blendshape_reads_symmetric_after_averaging() -> None:
    """The model read eyeSquintLeft > Right on a photo and on its mirror: averaging cancels that bias."""

    def biased_model(true: dict[str, float]) -> dict[str, float]:
        return {k: v + (0.2 if k.endswith("Left") else 0.0) for k, v in true.items()}

    true = {"eyeSquintLeft": 0.3, "eyeSquintRight": 0.3, "cheekPuff": 0.1}
    mirrored_truth = {swap_side_name(k): v for k, v in true.items()}
    direct, flipped = biased_model(true), biased_model(mirrored_truth)
    assert direct["eyeSquintLeft"] > direct["eyeSquintRight"]
    avg = average_blendshapes(direct, flipped)
    assert avg["eyeSquintLeft"] == pytest.approx(avg["eyeSquintRight"])
    assert avg["cheekPuff"] == pytest.approx(0.1)


def test_average_blendshapes_of_a_photo_and_its_mirror_are_mirror_images() -> None:
    a = {"eyeSquintLeft": 0.7, "eyeSquintRight": 0.1, "cheekPuff": 0.0}
    b = {"eyeSquintLeft": 0.6, "eyeSquintRight": 0.2, "cheekPuff": 0.4}
    ab, ba = average_blendshapes(a, b), average_blendshapes(b, a)
    assert ab == pytest.approx({"eyeSquintLeft": 0.45, "eyeSquintRight": 0.35, "cheekPuff": 0.2})
    assert ba == pytest.approx({swap_side_name(k): v for k, v in ab.items()})


@pytest.mark.parametrize(
    ("name", "swapped"),
    [
        ("eyeBlinkLeft", "eyeBlinkRight"),
        ("mouthSmileRight", "mouthSmileLeft"),
        ("jawOpen", "jawOpen"),
        ("browInnerUp", "browInnerUp"),
        ("LeftnessRight", "LeftnessLeft"),
    ],
)
def test_swap_side_name(name: str, swapped: str) -> None:
    assert swap_side_name(name) == swapped
    assert swap_side_name(swap_side_name(name)) == name
