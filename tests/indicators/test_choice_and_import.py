"""The practice's choice of indicators, and packs imported from the cluster: shown as a diff before they
are enabled, refused when malformed or tampered with, and the previous pack stays in force."""

import os
import stat
from pathlib import Path

import pytest

from cockpit.errors import CockpitError
from cockpit.indicators.errors import (
    ChoiceError,
    PackError,
    PackFixtureError,
    PackInvalidError,
    PackTamperedError,
)
from cockpit.indicators.importing import install, preview_import
from cockpit.indicators.packformat import with_checksum
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.selection import CHOICE_FILE, PracticeChoice

DIABETES = Path(__file__).resolve().parents[2] / "cockpit" / "indicators" / "packs" / "diabetes.yaml"


def cluster_pack(tmp_path: Path, *, name: str = "diabetes-1.1.yaml") -> Path:
    """The cluster's version 1.2 of the diabetes pack: a narrower range for the HbA1c limit, one more
    SNOMED code (inline, beside the codelist) and one indicator fewer; signed with its checksum."""
    text = DIABETES.read_text("utf-8")
    text = text.replace('version: "1.1.0"', 'version: "1.2.0"')
    text = text.replace("limit: {default: 75, min: 53, max: 100", "limit: {default: 75, min: 53, max: 90")
    text = text.replace(
        "    codelist: t2d\n",
        "    codelist: t2d\n    codes:\n"
        '      - {system: SNOMED, code: "313436004", display: "Type II diabetes mellitus"}\n',
    )
    start = text.index("  - id: DM-LIPID")
    end = text.index("fixtures:")
    text = text[:start] + text[end:]
    text = text.replace(
        "      DM-LIPID:\n        population: [all_done, nothing]\n        hits: [nothing]\n", ""
    )
    text = text[: text.index('        evidence:\n          nothing: ["Ingen aktiv lipid')]
    signed, _ = with_checksum(text, tmp_path / name)
    path = tmp_path / name
    path.write_text(signed, encoding="utf-8")
    return path


# --- the practice's choice -------------------------------------------------------------------------------


def test_everything_is_active_until_the_practice_chooses(home: Path) -> None:
    registry = PackRegistry.load(home)
    choice = PracticeChoice.load(home)
    assert all(choice.is_active(i) for i in registry.indicators())


def test_the_choice_is_kept_private_and_survives_a_restart(home: Path) -> None:
    registry = PackRegistry.load(home)
    choice = PracticeChoice.load(home)
    choice.packs["copd"] = False
    choice.indicators["DM-LIPID"] = False
    choice.set_threshold(registry.indicator("DM-HBA1C-HIGH"), "limit", 70)
    choice.save(home)

    again = PracticeChoice.load(home)
    assert not again.is_active(registry.indicator("COPD-BMI-12M"))
    assert not again.is_active(registry.indicator("DM-LIPID"))
    assert again.is_active(registry.indicator("DM-HBA1C-HIGH"))
    assert again.thresholds_for(registry.indicator("DM-HBA1C-HIGH")) == {"limit": 70}
    assert stat.S_IMODE(os.stat(home / CHOICE_FILE).st_mode) == 0o600


def test_thresholds_only_where_and_as_far_as_the_pack_allows(home: Path) -> None:
    registry = PackRegistry.load(home)
    choice = PracticeChoice()
    with pytest.raises(ChoiceError, match="the pack allows 53 to 100"):
        choice.set_threshold(registry.indicator("DM-HBA1C-HIGH"), "limit", 40)
    with pytest.raises(ChoiceError, match="it allows: none"):
        choice.set_threshold(registry.indicator("DM-HBA1C-12M"), "months", 6)
    with pytest.raises(ChoiceError, match="whole number"):
        choice.set_threshold(registry.indicator("POLY-75-10"), "drugs", 8.5)


def test_a_threshold_the_pack_no_longer_allows_falls_back_to_the_default(home: Path) -> None:
    home.mkdir(parents=True)
    (home / CHOICE_FILE).write_text('{"format": 1, "thresholds": {"DM-HBA1C-HIGH": {"limit": 120}}}')
    indicator = PackRegistry.load(home).indicator("DM-HBA1C-HIGH")
    choice = PracticeChoice.load(home)
    assert choice.thresholds_for(indicator) == {}
    assert choice.problems(indicator) == [
        "DM-HBA1C-HIGH: threshold limit=120 is not used: the pack allows 53 to 100"
    ]


def test_a_damaged_choice_file_is_reported(home: Path) -> None:
    home.mkdir(parents=True)
    (home / CHOICE_FILE).write_text('{"format": 1, "packs": [')
    with pytest.raises(CockpitError, match="is damaged"):
        PracticeChoice.load(home)


# --- importing a pack ---------------------------------------------------------------------------------------


def test_import_shows_the_diff_then_installs_and_enables(home: Path, tmp_path: Path) -> None:
    choice = PracticeChoice()
    choice.packs["diabetes"] = False
    choice.save(home)

    preview = preview_import(home, cluster_pack(tmp_path))
    assert preview.diff == [
        "pack diabetes: version 1.1.0 -> 1.2.0",
        "~ value set t2d: +SNOMED 313436004",
        "~ DM-HBA1C-HIGH: parameter limit: default 75 (range 53-100) -> default 75 (range 53-90)",
        "- indicator DM-LIPID: Type 2 diabetes aged 40+ without lipid-lowering therapy",
    ]
    assert PackRegistry.load(home).packs["diabetes"].origin == "built-in"  # nothing yet

    target = install(home, preview)
    assert target == home / "packs" / "diabetes.yaml"
    installed = PackRegistry.load(home).packs["diabetes"]
    assert (installed.origin, installed.pack.version) == ("imported", "1.2.0")
    assert PracticeChoice.load(home).packs["diabetes"] is True
    assert preview_import(home, cluster_pack(tmp_path)).diff == [
        "pack diabetes version 1.2.0 is already installed, unchanged"
    ]


def test_a_pack_reusing_another_packs_indicator_id_is_refused(home: Path, tmp_path: Path) -> None:
    text = DIABETES.read_text("utf-8").replace("id: diabetes", "id: diabetes-copy")
    signed, _ = with_checksum(text, tmp_path / "copy.yaml")
    (tmp_path / "copy.yaml").write_text(signed, encoding="utf-8")
    with pytest.raises(PackError, match=r"indicator DM-BP-12M is already in pack diabetes \(and 4 more\)"):
        preview_import(home, tmp_path / "copy.yaml")


def test_a_new_pack(home: Path, tmp_path: Path) -> None:
    text = DIABETES.read_text("utf-8").replace("id: diabetes", "id: diabetes-extra")
    text = text.replace("id: DM-", "id: DMX-").replace("DM-", "DMX-")
    signed, _ = with_checksum(text, tmp_path / "x.yaml")
    (tmp_path / "x.yaml").write_text(signed, encoding="utf-8")
    diff = preview_import(home, tmp_path / "x.yaml").diff
    assert diff[0] == "new pack diabetes-extra version 1.1.0: Type 2 diabetes"
    assert "+ indicator DMX-HBA1C-12M: Type 2 diabetes without HbA1c within 12 months" in diff


def _install_cluster_pack(home: Path, tmp_path: Path) -> None:
    install(home, preview_import(home, cluster_pack(tmp_path)))


def test_a_tampered_pack_is_refused_and_the_previous_stays(home: Path, tmp_path: Path) -> None:
    _install_cluster_pack(home, tmp_path)
    path = cluster_pack(tmp_path, name="tampered.yaml")
    path.write_text(path.read_text("utf-8").replace("min: 53, max: 90", "min: 53, max: 99"), "utf-8")
    lines = path.read_text("utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if text.startswith("checksum:"))
    with pytest.raises(
        PackTamperedError, match=rf"tampered\.yaml:{line}: checksum: the content does not match"
    ):
        preview_import(home, path)
    installed = PackRegistry.load(home).packs["diabetes"]
    assert installed.pack.version == "1.2.0"
    indicator = installed.pack.indicator("DM-HBA1C-HIGH")
    assert indicator is not None
    assert indicator.parameters["limit"].maximum == 90


def test_a_pack_with_another_checksum_than_announced_is_refused(home: Path, tmp_path: Path) -> None:
    with pytest.raises(PackTamperedError, match="is not the one you were given"):
        preview_import(home, cluster_pack(tmp_path), expected_checksum="sha256:" + "0" * 64)


def test_an_unsigned_malformed_or_failing_pack_is_refused(home: Path, tmp_path: Path) -> None:
    _install_cluster_pack(home, tmp_path)
    with pytest.raises(PackTamperedError, match="has no checksum"):
        preview_import(home, DIABETES)

    malformed = tmp_path / "malformed.yaml"
    text = cluster_pack(tmp_path).read_text("utf-8").replace("kind: outcome", "kind: result")
    malformed.write_text(with_checksum_unchecked(text), encoding="utf-8")
    with pytest.raises(
        PackInvalidError, match=r"malformed\.yaml:\d+: indicators\[1\]\.kind: 'result' is not one of"
    ):
        preview_import(home, malformed)

    failing = tmp_path / "failing.yaml"
    text = (
        cluster_pack(tmp_path)
        .read_text("utf-8")
        .replace("value: 80, unit: mmol/mol", "value: 60, unit: mmol/mol")
    )
    signed, _ = with_checksum(text, failing)
    failing.write_text(signed, encoding="utf-8")
    with pytest.raises(PackFixtureError, match="DM-HBA1C-HIGH: hits were"):
        preview_import(home, failing)
    assert PackRegistry.load(home).packs["diabetes"].pack.version == "1.2.0"


def with_checksum_unchecked(text: str) -> str:
    """A checksum line that matches the (invalid) content, as a careless tool would write it."""
    from cockpit.indicators.packformat import canonical_checksum  # noqa: PLC0415
    from cockpit.indicators.yamlsource import parse_yaml  # noqa: PLC0415

    lines = [line for line in text.splitlines() if not line.startswith("checksum:")]
    body = "\n".join(lines) + "\n"
    checksum = canonical_checksum(parse_yaml(body, "x").data)
    return body.replace('version: "1.2.0"\n', f'version: "1.2.0"\nchecksum: {checksum}\n')


def test_an_installed_pack_changed_on_disk_is_not_used(home: Path, tmp_path: Path) -> None:
    _install_cluster_pack(home, tmp_path)
    installed = home / "packs" / "diabetes.yaml"
    installed.write_text(
        installed.read_text("utf-8").replace("min: 53, max: 90", "min: 53, max: 99"), "utf-8"
    )
    registry = PackRegistry.load(home)
    assert registry.packs["diabetes"].origin == "built-in"
    assert len(registry.problems) == 1
    assert "checksum: the content does not match" in registry.problems[0]
    assert registry.problems[0].endswith(f"the pack in {installed} is not used")
