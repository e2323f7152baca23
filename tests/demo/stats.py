"""Comparing a share seen in the generated practice with the share the model documents."""

import math

from cockpit.demo import model
from tests.demo.export import Practice


def assert_share(
    hits: int, total: int, expected: float, what: str, *, z: float = 3.0, slack: float = 0.01
) -> None:
    """``hits / total`` within z binomial standard errors (plus ``slack``) of ``expected``.

    The practice is generated from a fixed seed, so this never flakes; z = 3 leaves room for a changed
    model to be recalibrated without hiding a real error (a wrong rule moves a share by far more).
    """
    assert total > 0, f"{what}: nobody in the denominator"
    observed = hits / total
    tolerance = z * math.sqrt(max(expected * (1 - expected), 1e-4) / total) + slack
    assert abs(observed - expected) <= tolerance, (
        f"{what}: {observed:.3f} ({hits}/{total}), model {expected:.3f} ± {tolerance:.3f}"
    )


def expected_prevalence(demo: Practice, state: str, patients: list[str]) -> float:
    """The model's prevalence of ``state`` averaged over these patients' age bands and sexes."""
    state_model = model.STATES[state]
    total = 0.0
    for pid in patients:
        age = demo.age[pid]
        if age >= state_model.min_age:
            male, female = state_model.prevalence[model.band_index(age)]
            total += male if demo.male[pid] else female
    return total / len(patients)
