"""docs/indicators.md says what the built-in packs say: each indicator's definition, source, whether it is
verified and when it was last reviewed (issue 16: the docs carry each indicator's definition, source,
review date and known limits)."""

from datetime import date
from pathlib import Path

import pytest

from cockpit.indicators.describe import markdown_table
from cockpit.indicators.errors import PackInvalidError
from cockpit.indicators.model import Pack
from cockpit.indicators.packformat import parse_pack
from cockpit.indicators.registry import builtin_packs

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


@pytest.mark.parametrize("pack", builtin_packs(), ids=lambda pack: pack.id)
def test_the_doc_has_each_packs_table_as_the_pack_says(pack: Pack) -> None:
    assert markdown_table(pack) in DOC.read_text("utf-8")


def test_every_builtin_indicator_has_a_review_date_and_a_note_on_its_limits() -> None:
    for pack in builtin_packs():
        for indicator in pack.indicators:
            assert indicator.reviewed is not None and indicator.reviewed <= date.today(), indicator.id
            assert indicator.note or indicator.description, indicator.id


def test_a_review_date_must_be_a_date(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "cockpit/indicators/packs/polypharmacy.yaml").read_text(
        "utf-8"
    )
    broken = text.replace('reviewed: "2026-12-07"', 'reviewed: "2026-02-30"', 1)
    with pytest.raises(PackInvalidError, match="'2026-02-30' is not a date"):
        parse_pack(broken, tmp_path / "polypharmacy.yaml")
