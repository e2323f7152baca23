"""``cockpit indicators``, ``cockpit risk`` and ``cockpit packs`` through cockpit.cli.main."""

import argparse
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from cockpit import cli
from cockpit.cli.arguments import add_commands
from cockpit.indicators.packformat import with_checksum
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.fhir_fixtures import fill

DIABETES = Path(__file__).resolve().parents[2] / "cockpit" / "indicators" / "packs" / "diabetes.yaml"


@pytest.fixture(autouse=True)
def with_indicator_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers the commands the way cockpit/cli.py does, unless it already does."""
    build = cli.build_parser

    def build_with_indicators() -> argparse.ArgumentParser:
        parser = build()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) and "risk" not in action.choices:
                add_commands(action)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_with_indicators)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    return fill(store, tmp_path)


def cockpit(home: Path, *args: str) -> int:
    return cli.main(["--home", str(home), *args])


def patient_id(store: Store, cpr: str) -> int:
    with store.session() as session:
        return int(
            session.execute(text("SELECT id FROM patients WHERE cpr = :cpr"), {"cpr": cpr}).scalar_one()
        )


def test_risk_as_json(filled: Store, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cockpit(home, "risk", "DM-HBA1C-HIGH", "--as-of", "2025-06-30", "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    quality = printed.pop("data_quality")
    # Both diabetics have an HbA1c in a recognised code (one in %, converted) and no drug is read.
    assert (quality["population"], quality["quarantined"], quality["warnings"]) == (2, 0, [])
    assert quality["medications_without_atc"] is None
    (hba1c,) = quality["observations"]
    assert (hba1c["value_set"], hba1c["with_data"], hba1c["not_comparable"]) == ("hba1c", 2, 0)
    assert printed == {
        "indicator": "DM-HBA1C-HIGH",
        "as_of": "2025-06-30",
        "unit": "patients",
        "population": 2,
        "hits": [
            {
                "patient_id": patient_id(filled, "0302504321"),
                "cpr": "0302504321",
                "name": "Else Lauridsen",
                "evidence": ["Seneste HbA1c 81 mmol/mol den 01-03-2025"],
            },
            {
                "patient_id": patient_id(filled, "1212601234"),
                "cpr": "1212601234",
                "name": "Mia Madsen",
                "evidence": ["Seneste HbA1c 77 mmol/mol den 05-05-2025 (målt som 9,2 %)"],
            },
        ],
    }


def test_risk_as_csv_and_as_text(filled: Store, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hans = patient_id(filled, "0101401234")
    assert cockpit(home, "risk", "ihd-statin", "--as-of", "2025-06-30", "--csv") == 0
    assert capsys.readouterr().out.splitlines() == [
        "patient_id,cpr,name,evidence",
        f'{hans},0101401234,Hans Hansen,"Iskæmisk hjertesygdom: Angina pectoris (K74) siden 01-04-2015 | '
        'Ingen aktiv statin den 30-06-2025 (seneste: Simvastatin (C10AA01) fra 01-01-2020, stoppet)"',
    ]
    assert cockpit(home, "risk", "IHD-STATIN", "--as-of", "2025-06-30") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "IHD-STATIN: Iskæmisk hjertesygdom uden statin",
        "2025-06-30: 1 of 1 patients",
        f"{hans:>8}  0101401234  Hans Hansen",
    ]


def test_a_share_of_prescriptions_says_prescriptions(
    filled: Store, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Else: pivmecillinam for a cystitis (first-line); Mia: ciprofloxacin for one (not first-line).
    mia = patient_id(filled, "1212601234")
    assert cockpit(home, "risk", "AB-UTI-NOT-FIRST-LINE", "--as-of", "2025-06-30", "--json") == 0
    printed = json.loads(capsys.readouterr().out)
    quality = printed.pop("data_quality")  # both drugs carry ATC codes; no observation is read
    assert (quality["population"], quality["medications_without_atc"], quality["warnings"]) == (2, 0, [])
    assert printed == {
        "indicator": "AB-UTI-NOT-FIRST-LINE",
        "as_of": "2025-06-30",
        "unit": "prescriptions",
        "population": 2,
        "prescriptions": {"population": 2, "hits": 1},
        "hits": [
            {
                "patient_id": mia,
                "cpr": "1212601234",
                "name": "Mia Madsen",
                "evidence": [
                    "Ikke førstevalg ved urinvejsinfektion: Ciprofloxacin (J01MA02) ordineret 10-05-2025"
                ],
            }
        ],
    }
    assert cockpit(home, "risk", "AB-UTI-NOT-FIRST-LINE", "--as-of", "2025-06-30") == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "2025-06-30: 1 of 2 prescriptions; 1 of 2 patients listed"
    )
    assert cockpit(home, "indicators", "--as-of", "2025-06-30") == 0
    (line,) = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("AB-UTI-NOT-FIRST-LINE")
    ]
    assert line.split()[2:6] == ["2", "1", "50%", "(prescriptions)"]
    assert cockpit(home, "indicators", "--as-of", "2025-06-30", "--json") == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    uti = listed["AB-UTI-NOT-FIRST-LINE"]
    assert (uti["unit"], uti["population"], uti["hits"], uti["prescriptions"]) == (
        "prescriptions",
        2,
        1,
        {"population": 2, "hits": 1},
    )
    assert listed["DM-HBA1C-HIGH"]["unit"] == "patients"
    assert "prescriptions" not in listed["DM-HBA1C-HIGH"]
    assert uti["population_rule"] == (
        "medication antibiotics started within 12 months within 7 days of condition uti"
    )


@pytest.mark.usefixtures("filled")
def test_indicators_with_their_counts(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cockpit(home, "indicators", "--as-of", "2025-06-30", "--json") == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert len(listed) == len(PackRegistry.load(None).indicators())
    high = listed["DM-HBA1C-HIGH"]
    assert (high["population"], high["hits"], high["thresholds"]) == (2, 2, {"limit": 75.0})
    assert high["hit_rule"] == "observation hba1c within 12 months, latest >= $limit"
    assert high["source"] == ["https://www.dsbd.dk/indikatorer/indikatorer"]
    assert high["codelists"] == [
        {"id": "hba1c", "version": "2026-12-07"},
        {"id": "t1d", "version": "2026-12-07"},
        {"id": "t2d", "version": "2026-12-07"},
    ]


@pytest.mark.usefixtures("filled")
def test_the_practice_chooses_indicators_and_thresholds(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cockpit(home, "packs", "threshold", "DM-HBA1C-HIGH", "limit", "40") == 2
    assert "the pack allows 53 to 100" in capsys.readouterr().err
    assert cockpit(home, "packs", "threshold", "DM-HBA1C-HIGH", "limit", "80") == 0
    assert cockpit(home, "packs", "disable", "copd", "DM-LIPID") == 0
    capsys.readouterr()

    assert cockpit(home, "risk", "DM-HBA1C-HIGH", "--as-of", "2025-06-30", "--json") == 0
    assert [hit["name"] for hit in json.loads(capsys.readouterr().out)["hits"]] == ["Else Lauridsen"]
    assert cockpit(home, "indicators", "--no-counts") == 0
    listed = capsys.readouterr().out
    assert "DM-HBA1C-HIGH" in listed
    assert "DM-LIPID" not in listed
    assert "COPD-BMI-12M" not in listed


def test_import_previews_then_installs_with_yes(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_ = DIABETES.read_text("utf-8").replace('version: "1.1.0"', 'version: "1.1.1"')
    signed, checksum = with_checksum(text_, tmp_path / "diabetes.yaml")
    pack = tmp_path / "diabetes.yaml"
    pack.write_text(signed, encoding="utf-8")

    assert cockpit(home, "packs", "import", str(pack)) == 0  # stdin is no terminal: nothing is asked
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "pack diabetes: version 1.1.0 -> 1.1.1",
        "~ only descriptions, notes or fixture details changed",
    ]
    assert "Nothing was installed" in err
    assert not (home / "packs").exists()

    assert (
        cockpit(home, "packs", "import", str(pack), "--yes", "--sha256", checksum.removeprefix("sha256:"))
        == 0
    )
    assert "Installed pack diabetes version 1.1.1" in capsys.readouterr().out
    assert cockpit(home, "packs", "list", "--json") == 0
    listed = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    assert (listed["diabetes"]["version"], listed["diabetes"]["origin"]) == ("1.1.1", "imported")
    assert listed["diabetes"]["value_sets"]["t2d"] == {
        "codelists": ["t2d"],
        "codes": ["ICPC2 T90*", "SKS DE11*", "ICD10 E11*", "SNOMED 44054006"],
    }
    assert listed["drug-safety"]["value_sets"]["nsaid"] == {
        "codelists": ["nsaid"],
        "codes": ["ATC M01A*"],
        "exclude": ["ATC M01AX*"],
    }


def test_a_tampered_pack_fails_the_command_and_changes_nothing(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed, _ = with_checksum(DIABETES.read_text("utf-8"), tmp_path / "diabetes.yaml")
    pack = tmp_path / "diabetes.yaml"
    pack.write_text(signed.replace("DE11", "DE10"), encoding="utf-8")
    assert cockpit(home, "packs", "import", str(pack), "--yes") == 5
    err = capsys.readouterr().err
    assert err.startswith(f"cockpit: {pack}:")
    assert "checksum: the content does not match" in err
    assert not (home / "packs").exists()


def test_pack_authors_sign_their_pack(tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "diabetes.yaml"
    pack.write_text(DIABETES.read_text("utf-8"), encoding="utf-8")
    assert cockpit(home, "packs", "checksum", str(pack), "--write") == 0
    checksum = capsys.readouterr().out.strip()
    assert f"\nchecksum: {checksum}\n" in pack.read_text("utf-8")


def test_an_unknown_indicator(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cockpit(home, "risk", "NO-SUCH") == 6
    assert capsys.readouterr().err == (
        "cockpit: There is no indicator NO-SUCH; 'cockpit indicators --all' lists the installed ones.\n"
    )
