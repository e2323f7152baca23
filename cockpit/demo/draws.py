"""Small random helpers on a ``random.Random`` stream (deterministic for a given seed)."""

import math
from collections.abc import Sequence
from random import Random
from typing import TypeVar

T = TypeVar("T")


def chance(rng: Random, probability: float) -> bool:
    return rng.random() < probability


def pick(rng: Random, options: Sequence[tuple[T, float]]) -> T:
    """One item of ``(item, weight)`` pairs, with probability proportional to its weight."""
    total = sum(weight for _, weight in options)
    draw = rng.random() * total
    for item, weight in options:
        draw -= weight
        if draw < 0:
            return item
    return options[-1][0]


def poisson(rng: Random, mean: float) -> int:
    """A Poisson count (Knuth's method: fine for the small means used here)."""
    if mean <= 0:
        return 0
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def clip(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value
