"""No patient data on stderr (logs and error messages), even with --verbose: CLI commands on a demo
practice, including failing ones, and every patient's name and CPR number looked for in what they wrote.
(stdout is the answer the user asked for, e.g. a patient list, and is not checked.)"""

from pathlib import Path

from sqlalchemy import text

from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from tests.robustness.conftest import ADMIN_PW, GP, cockpit, copy_of, forget

ADMIN = {"COCKPIT_USER": "ada", "COCKPIT_PASSWORD": ADMIN_PW}
PASSPHRASE = {"COCKPIT_BACKUP_PASSPHRASE": "blue kettle under the oak"}


def test_cli_commands_write_no_patient_name_or_cpr_to_stderr(
    template: Path, practice_b: Path, tmp_path: Path, keys: KeyStore
) -> None:
    home = copy_of(template, tmp_path / "home")
    solo = tmp_path / "solo"
    imported = cockpit(home, "--verbose", "import", practice_b, **GP)
    assert imported.returncode == 0, imported.stderr
    store = open_store(home, keys)
    try:
        with store.engine.connect() as conn:
            patients = conn.execute(text("SELECT name, cpr FROM patients ORDER BY id")).all()
    finally:
        store.close()
    assert len(patients) == 400
    _, cpr = patients[7]
    name, _ = patients[9]
    family = name.split()[-1]

    succeeding = [
        imported,
        cockpit(home, "--verbose", "patients", "--search", family, **GP),
        cockpit(home, "--verbose", "overview", cpr, **GP),
        cockpit(home, "--verbose", "overview", f"{cpr[:6]}-{cpr[6:]}", "--json", **GP),
        cockpit(home, "--verbose", "users", "list", **ADMIN),
        cockpit(home, "--verbose", "backup", "--out", tmp_path / "b.bak", **PASSPHRASE, **ADMIN),
        # An import and the indicator commands on a practice without users (single-user mode).
        cockpit(solo, "--verbose", "import", practice_b),
        cockpit(solo, "--verbose", "indicators"),
        cockpit(solo, "--verbose", "risk", "UTIL-ADM-12M"),
    ]
    failing = [
        cockpit(home, "--verbose", "overview", "0101019999", **GP),  # no such patient
        cockpit(home, "--verbose", "--user", cpr, "overview", cpr, COCKPIT_PASSWORD="whatever-it-is"),
        cockpit(home, "--verbose", "users", "list", **GP),  # a GP may not manage users
    ]
    assert [r.returncode for r in succeeding] == [0] * len(succeeding), [r.stderr for r in succeeding]
    assert [r.returncode for r in failing] == [6, 8, 7]
    # The look-ups did find patients: their answers (stdout) carry the data that stderr must not.
    assert name in succeeding[1].stdout
    assert cpr in succeeding[2].stdout
    assert any(n in succeeding[8].stdout for n, _ in patients)

    needles = (
        {n for n, _ in patients}
        | {c for _, c in patients if c}
        | {f"{c[:6]}-{c[6:]}" for _, c in patients if c}
    )
    needles.add("0101019999")
    try:
        for run in succeeding + failing:
            leaked = sorted(n for n in needles if n in run.stderr)
            assert not leaked, f"{run.args[3:]} wrote patient data to stderr"
    finally:
        forget(solo, keys)
