"""`cockpit import` has the sync's limits (cockpit/fhir/limits.py): a line over the length limit is
quarantined without being read whole, a string over the string limit quarantines its resource, the rest
is imported, and the quarantine keeps only the first bytes of what was too large."""

import json
from pathlib import Path

from sqlalchemy import text

from cockpit.fhir.importer import import_path
from cockpit.fhir.limits import DEFAULT_LIMITS, QUARANTINE_HEAD
from cockpit.store import Store
from tests.sync.misbehaving import run_cockpit

NAME_20_MB = "A" * (20 << 20)  # one NDJSON line of 20 MB: over the 8 MB line limit
NAME_2_MB = "B" * (2 << 20)  # a line within the limit, a string over the 1 MB limit


def _patient(pid: str, family: str) -> bytes:
    return json.dumps({"resourceType": "Patient", "id": pid, "gender": "female", "birthDate": "1950-01-01",
                       "name": [{"family": family}]}).encode()  # fmt: skip


def _write(folder: Path) -> Path:
    folder.mkdir()
    names = {"p1": "Hansen", "p2": NAME_20_MB, "p3": NAME_2_MB, "p4": "Ok"}
    lines = [_patient(pid, family) for pid, family in names.items()]
    (folder / "Patient.ndjson").write_bytes(b"\n".join(lines) + b"\n")
    return folder


def test_a_resource_over_a_limit_is_quarantined_and_the_rest_imported(store: Store, tmp_path: Path) -> None:
    assert DEFAULT_LIMITS.max_line_bytes < len(NAME_20_MB) and DEFAULT_LIMITS.max_string_chars < len(
        NAME_2_MB
    )
    summary = import_path(store, _write(tmp_path / "big"))
    assert (summary.inserted, summary.quarantined) == (2, 2)
    with store.engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT fhir_id FROM patients")).scalars()) == ["p1", "p4"]
        rows = conn.execute(
            text(
                "SELECT line, resource_type, fhir_id, reason, resource_json FROM quarantined_resources "
                "ORDER BY line"
            )
        ).all()
    assert [(r.line, r.resource_type, r.fhir_id) for r in rows] == [
        (2, "Patient", "p2"),
        (3, "Patient", "p3"),
    ]
    assert (
        rows[0].reason
        == f"a line of {len(_patient('p2', NAME_20_MB)):,} bytes is over the limit of 8,388,608 bytes"
    )
    assert rows[1].reason == "a string is longer than the limit of 1,048,576 characters"
    assert all(len(r.resource_json) <= QUARANTINE_HEAD for r in rows)
    assert rows[0].resource_json.startswith('{"resourceType": "Patient", "id": "p2"')


def test_importing_a_20_mb_line_stays_within_the_memory_budget(tmp_path: Path) -> None:
    folder = _write(tmp_path / "big")
    done = run_cockpit(tmp_path / "home", "import", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["quarantined"] == 2
    print(f"import of a 20 MB line: peak {done.peak_mb:.0f} MB, {done.seconds:.1f} s")
    assert done.peak_mb < 300
