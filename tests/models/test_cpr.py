"""The CPR number's one rule: what counts as one, how it is shown and how it is masked."""

import pytest

from cockpit.models.cpr import format_cpr, mask_cpr, normalise_cpr


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("1112640001", "1112640001"),
        ("111264-0001", "1112640001"),
        ("11126-40001", None),  # the dash only after the birth date
        ("111264--0001", None),
        ("111264000", None),
        ("11126400011", None),
        ("111264 0001", None),
        ("١١١٢٦٤٠٠٠١", None),  # other digits than 0-9 are no CPR number
        ("", None),
    ],
)
def test_a_cpr_number_is_typed_with_or_without_its_dash(typed: str, digits: str | None) -> None:
    assert normalise_cpr(typed) == digits


def test_a_stored_cpr_number_is_shown_with_its_dash_or_masked_after_the_birth_date() -> None:
    assert format_cpr("1112640001") == "111264-0001"
    assert mask_cpr("1112640001") == "111264-xxxx"


@pytest.mark.parametrize("cpr", [None, "", "12345"])
def test_anything_else_is_shown_as_it_is_and_masked_to_nothing(cpr: str | None) -> None:
    assert format_cpr(cpr) == (cpr or "")
    assert mask_cpr(cpr) == ""
