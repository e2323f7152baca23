"""``cockpit overview``, ``patients``, ``risk --csv`` and ``audit`` as a user runs them: real processes on
a real encrypted store, in single-user mode (recorded as the operating-system user)."""

import csv
import getpass
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.store import Store
from tests.privacy.audit_support import HANS_CPR, patient_id, tamper, three_patients


def cockpit(
    home: Path, *args: str, stdout: int | io.BufferedWriter = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "--home", str(home), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("COCKPIT_USER", "COCKPIT_PASSWORD")},
        timeout=120,
        check=False,
    )


@pytest.fixture
def practice_home(store: Store, home: Path, tmp_path: Path) -> Path:
    three_patients(store, tmp_path)
    return home


def test_look_ups_and_an_export_through_the_cli_are_recorded(
    practice_home: Path, store: Store, tmp_path: Path
) -> None:
    hans = patient_id(store, HANS_CPR)
    assert cockpit(practice_home, "overview", HANS_CPR).returncode == 0
    assert cockpit(practice_home, "patients", "--search", "hansen").returncode == 0
    exported = tmp_path / "dm-high.csv"
    with exported.open("wb") as out:
        risk = cockpit(practice_home, "risk", "DM-HBA1C-HIGH", "--as-of", "2025-06-30", "--csv", stdout=out)
    assert risk.returncode == 0, risk.stderr
    assert len(exported.read_text().splitlines()) == 3  # header and two patients

    shown = cockpit(practice_home, "audit", "--json")
    assert shown.returncode == 0, shown.stderr
    entries = json.loads(shown.stdout)
    me, here = getpass.getuser(), socket.gethostname()
    assert [
        (e["id"], e["user"], e["role"], e["workstation"], e["action"], e["patient_id"], e["patient_fhir_id"])
        for e in entries
    ] == [
        (1, me, None, here, "patient.open", hans, "hans"),
        (2, me, None, here, "patient.search", None, None),
        (3, me, None, here, "export.csv", None, None),
    ]
    assert [(e["list"], e["patient_count"], e["destination"]) for e in entries] == [
        (None, None, None),
        (None, 1, None),
        ("DM-HBA1C-HIGH", 2, str(exported)),
    ]

    ledger = cockpit(practice_home, "audit", "--data-out", "--csv")
    assert ledger.returncode == 0, ledger.stderr
    rows = list(csv.DictReader(io.StringIO(ledger.stdout)))
    assert [(r["id"], r["action"], r["list"], r["patient_count"], r["destination"]) for r in rows] == [
        ("3", "export.csv", "DM-HBA1C-HIGH", "2", str(exported))
    ]


def test_who_looked_at_a_patient_and_the_read_itself(practice_home: Path, store: Store) -> None:
    hans = patient_id(store, HANS_CPR)
    assert cockpit(practice_home, "overview", "mia").returncode == 0
    assert cockpit(practice_home, "overview", str(hans)).returncode == 0
    shown = cockpit(practice_home, "audit", "--patient", "0101401234", "--purpose", "aktindsigt")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].split()[0] == "2"  # the overview of Hans, not Mia's (1) nor this read (3)
    assert f"patient.open    {getpass.getuser()} (single-user) @ {socket.gethostname()}" in lines[0]
    assert lines[0].endswith(f"patient hans (id {hans})")
    assert shown.stderr.strip() == "1 entries"

    everything = json.loads(cockpit(practice_home, "audit", "--json").stdout)
    read = everything[2]
    assert (read["action"], read["patient_fhir_id"], read["list"], read["purpose"]) == (
        "audit.read",
        "hans",
        "audit:patient",
        "aktindsigt",
    )


def test_verify_reports_an_intact_chain_then_names_the_edited_entry(
    practice_home: Path, store: Store
) -> None:
    for ref in ("hans", "mia", "else"):
        assert cockpit(practice_home, "overview", ref).returncode == 0
    verified = cockpit(practice_home, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("3 entries, chain intact (head ")

    tamper(store, "UPDATE audit_log SET patient_fhir_id = 'else' WHERE id = 2")
    broken = cockpit(practice_home, "audit", "verify")
    assert broken.returncode == 1
    assert broken.stdout == ""
    assert broken.stderr == (
        "cockpit: audit chain broken at entry 2: its contents do not match its hash: "
        "it was edited or forged\n"
    )


def test_bad_input_gets_one_line_and_changes_nothing(practice_home: Path) -> None:
    reversed_period = cockpit(practice_home, "audit", "--since", "2026-02-01", "--until", "2026-01-01")
    assert (reversed_period.returncode, reversed_period.stderr) == (
        5,
        "cockpit: --since is after --until; give the earlier day first.\n",
    )
    unknown = cockpit(practice_home, "audit", "--patient", "9999999999")
    assert (unknown.returncode, unknown.stderr) == (6, "cockpit: No patient matches that CPR number or id.\n")
    assert cockpit(practice_home, "audit", "verify").stdout.startswith("0 entries, chain intact")
