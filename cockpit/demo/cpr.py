"""Synthetic CPR numbers: the right shape for the software, deliberately marked as made up.

A CPR number is DDMMYY plus four digits. The first of the four (the 7th digit) tells the century together
with YY, and the last digit is odd for men and even for women. We keep all of that, so software that
derives birth date and sex from a CPR works on demo data.

The marker: the 7th digit is chosen among those valid for the birth year so that the number FAILS the
old modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1). Before 2007 every issued CPR passed it. Many real CPR
numbers issued since 2007 fail it too, so the number alone does not prove that no real person has it:
what marks demo data is this scheme together with the HTEST security tag on every resource and the
documentation (docs/demo-model.md). Do not use these numbers outside test and demo systems.
"""

from datetime import date
from random import Random
from typing import Final

WEIGHTS: Final = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_MALE_DIGITS: Final = (1, 3, 5, 7, 9)
_FEMALE_DIGITS: Final = (0, 2, 4, 6, 8)


def century_digits(year: int) -> tuple[int, ...]:
    """The 7th digits the CPR office uses for people born in ``year``."""
    if 1900 <= year <= 1936:
        return (0, 1, 2, 3)
    if 1937 <= year <= 1999:
        return (0, 1, 2, 3, 4, 9)
    if 2000 <= year <= 2036:
        return (4, 5, 6, 7, 8, 9)
    if 2037 <= year <= 2057:
        return (5, 6, 7, 8)
    if 1858 <= year <= 1899:
        return (5, 6, 7, 8)
    raise ValueError(f"no CPR century digit covers the year {year}")


def year_from_cpr(yy: int, century_digit: int) -> int:
    """The full birth year from YY and the 7th digit (the CPR office's table)."""
    if century_digit <= 3:
        return 1900 + yy
    if century_digit in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy


def passes_modulus_11(cpr: str) -> bool:
    return sum(int(digit) * weight for digit, weight in zip(cpr, WEIGHTS, strict=True)) % 11 == 0


def synthetic_cpr(birth_date: date, male: bool, rng: Random) -> str:
    """A CPR number consistent with birth date and sex that fails the modulus-11 check."""
    head = f"{birth_date.day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    serial = f"{rng.randrange(100):02d}"
    sex_digit = rng.choice(_MALE_DIGITS if male else _FEMALE_DIGITS)
    allowed = century_digits(birth_date.year)
    first = rng.randrange(len(allowed))
    # Changing the 7th digit (weight 4) by 1..9 changes the sum mod 11, so at most one allowed digit passes.
    for step in range(len(allowed)):
        candidate = f"{head}{allowed[(first + step) % len(allowed)]}{serial}{sex_digit}"
        if not passes_modulus_11(candidate):
            return candidate
    raise AssertionError("unreachable: two allowed century digits cannot both pass modulus 11")


def is_synthetic_for(cpr: str, birth_date: date, male: bool) -> bool:
    """True when ``cpr`` follows the demo scheme for this birth date and sex."""
    if len(cpr) != 10 or not cpr.isascii() or not cpr.isdigit():
        return False
    day, month, yy, century_digit = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    try:
        encoded = date(year_from_cpr(yy, century_digit), month, day)
    except ValueError:
        return False
    return encoded == birth_date and (int(cpr[9]) % 2 == 1) == male and not passes_modulus_11(cpr)
