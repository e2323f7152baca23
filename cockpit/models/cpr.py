"""The CPR number, one rule for every place that reads, shows or hides it.

The store keeps a CPR number as its 10 digits (DDMMYYXXXX). What a user types may carry the dash
(DDMMYY-XXXX); ``normalise_cpr`` takes either. On screen and on paper the number is ``format_cpr``'s
DDMMYY-XXXX where the user looked this one patient up (the patient list, which is the look-up tool at
the workstation and what a secretary checks a caller's number against; the overview's header once the
user asks to see it; a printed record or call list), and ``mask_cpr``'s DDMMYY-xxxx (the birth date
part only) wherever it is shown without being asked for: the overview's header until revealed, the
recently opened patients, the risk lists and the worklist items.
"""

import re

_CPR = re.compile(r"([0-9]{6})-?([0-9]{4})")


def normalise_cpr(text: str) -> str | None:
    """The 10 digits of the CPR number ``text`` is (DDMMYYXXXX or DDMMYY-XXXX), or None if it is none."""
    match = _CPR.fullmatch(text)
    return None if match is None else match.group(1) + match.group(2)


def format_cpr(cpr: str | None) -> str:
    """DDMMYY-XXXX for a stored CPR number; anything else as it is (None: empty)."""
    return f"{cpr[:6]}-{cpr[6:]}" if cpr and len(cpr) == 10 else (cpr or "")


def mask_cpr(cpr: str | None) -> str:
    """DDMMYY-xxxx for a stored CPR number: the birth date part only; anything else: empty."""
    return f"{cpr[:6]}-xxxx" if cpr and len(cpr) == 10 else ""
