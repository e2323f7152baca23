"""How a user names a patient on the command line: a CPR number, a FHIR id or the store's internal id."""

from typing import Final

# Internal ids are 32-bit integers on both stores; a longer run of digits (a CPR number typed without
# its dash) is no id. PostgreSQL refuses to compare an INTEGER column with a bigger number at all.
MAX_INTERNAL_ID: Final = 2**31 - 1


def internal_id(ref: str) -> int | None:
    """``ref`` as an internal patient id, or None if it cannot be one."""
    if not ref.isascii() or not ref.isdigit():
        return None
    value = int(ref)
    return value if 0 < value <= MAX_INTERNAL_ID else None
