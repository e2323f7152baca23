"""``cockpit worklist`` as a user runs it (real processes, the real keyring, a real encrypted store), and
the CSV call list with its data-out ledger entry."""

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cockpit.errors import PermissionDeniedError
from cockpit.indicators.service import IndicatorService
from cockpit.models.audit import AuditEntry
from cockpit.security.keys import KeyStore
from cockpit.store import Store
from cockpit.worklists import changes, lists, queries
from cockpit.worklists.exports import CSV_COLUMNS, export_items_csv
from cockpit.worklists.model import ItemChange
from tests.privacy.test_users_cli import cockpit, forget
from tests.worklists.conftest import AS_OF, GP, NURSE, SECRETARY

DAY = AS_OF.isoformat()


@pytest.fixture
def cli_home(connected_home: Path, keys: KeyStore, demo_files: Path) -> Iterator[Path]:
    home = connected_home
    imported = cockpit(home, "import", demo_files)
    assert imported.returncode == 0, imported.stderr
    yield home
    forget(home, keys)


def test_the_worklist_commands_as_real_processes(cli_home: Path, tmp_path: Path) -> None:
    created = cockpit(
        cli_home, "worklist", "create", "--indicator", "DM-HBA1C-12M", "--follow", "--as-of", DAY
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Created worklist 1 (DM-HBA1C-12M): ")

    listed = cockpit(cli_home, "worklist", "list", "--json", "--as-of", DAY)
    assert listed.returncode == 0, listed.stderr
    (summary,) = json.loads(listed.stdout)
    total = summary["figures"]["total"]
    assert total >= 2 and summary["follows"] and summary["figures"]["open"] == total

    shown = cockpit(cli_home, "worklist", "items", "1", "--json", "--as-of", DAY)
    assert shown.returncode == 0, shown.stderr
    items = json.loads(shown.stdout)
    assert len(items) == total and all(i["status"] == "new" and i["cpr"] for i in items)
    first = items[0]
    text = cockpit(cli_home, "worklist", "items", "1", "--as-of", DAY)
    assert first["cpr"] in text.stdout and first["name"] in text.stdout
    assert "Ingen HbA1c inden for 12 måneder" in text.stdout

    changed = cockpit(
        cli_home, "worklist", "set", str(first["id"]), "--status", "contacted", "--assignee", "nurse",
        "--due", "2026-11-20", "--note", "Ringet", "--version", "1",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == f"Item {first['id']}: version 2."
    stale = cockpit(cli_home, "worklist", "set", str(first["id"]), "--status", "booked", "--version", "1")
    assert stale.returncode == 13
    assert "was changed by" in stale.stderr and "status new → contacted" in stale.stderr
    assert first["cpr"] not in stale.stderr
    refused = cockpit(cli_home, "worklist", "set", str(first["id"]), "--status", "declined")
    assert refused.returncode == 5 and "needs a reason" in refused.stderr

    overdue = cockpit(cli_home, "worklist", "items", "1", "--overdue", "--json", "--as-of", DAY)
    assert [i["id"] for i in json.loads(overdue.stdout)] == [first["id"]]
    history = cockpit(cli_home, "worklist", "history", str(first["id"]))
    assert "status: new -> contacted" in history.stdout and "note: Ringet" in history.stdout

    planned = cockpit(
        cli_home, "worklist", "plan", "1", "--what", "Årskontrol til alle", "--how", "SMS",
        "--who", "Anne", "--by", "2027-03-01", "--target", "90 %", "--review", "2027-04-01",
    )  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    plan = json.loads(cockpit(cli_home, "worklist", "list", "--json").stdout)[0]["plan"]
    assert plan == {
        "what": "Årskontrol til alle",
        "how": "SMS",
        "who": "Anne",
        "by": "2027-03-01",
        "target": "90 %",
        "review": "2027-04-01",
    }

    out = tmp_path / "ringeliste.csv"
    exported = cockpit(cli_home, "worklist", "export", "1", "--csv", out)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == total + 1
    assert [first["cpr"], first["name"], "DM-HBA1C-12M", "contacted", "role:nurse", "2026-11-20"] in rows
    assert out.stat().st_mode & 0o077 == 0
    ledger = json.loads(cockpit(cli_home, "audit", "--data-out", "--json").stdout)
    assert [(e["action"], e["list"], e["patient_count"], e["destination"]) for e in ledger] == [
        ("export.json", "worklist:1", total, "pipe"),  # `items --json`, read by this test through a pipe
        ("export.json", "worklist:1", 1, "pipe"),  # the overdue one
        ("export.csv", "worklist:1", total, "ringeliste.csv"),
    ]

    again = cockpit(cli_home, "worklist", "reevaluate", "--as-of", DAY, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) | {"as_of": None} == {
        "as_of": None,
        "resolved": 0,
        "confirmed": 0,
        "added": 0,
        "relinked": 0,
        "missing_indicators": [],
    }
    missing = cockpit(cli_home, "worklist", "items", "9")
    assert missing.returncode == 6 and "no worklist 9" in missing.stderr


def test_the_csv_call_list_is_recorded_before_it_is_written(practice: Store, tmp_path: Path) -> None:
    list_id = lists.create_list(practice, GP, ["DM-HBA1C-12M"], AS_OF)
    items = queries.list_items(practice, GP, list_id, AS_OF)
    changes.update_items(practice, GP, {items[0].id: 1}, ItemChange(assignee="anne", due=AS_OF))
    changes.update_items(practice, GP, {items[1].id: 1}, ItemChange(status="done"))

    with practice.session() as session:
        before = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    out = tmp_path / "liste.csv"
    assert export_items_csv(practice, NURSE, list_id, out, AS_OF) == len(items) - 1  # the open ones
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    hits = {h.patient_id: h for h in IndicatorService(practice).evaluate("DM-HBA1C-12M", AS_OF).hits}
    first = hits[items[0].patient_id or 0]
    assert rows[0] == ["cpr", "name", "indicator", "status", "assignee", "due"]
    assert rows[1] == [first.cpr, first.name, "DM-HBA1C-12M", "new", "anne", AS_OF.isoformat()]
    assert all("HbA1c" not in cell for row in rows for cell in row)  # no clinical evidence on a call list
    with practice.session() as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
    assert (last.action, last.user, last.list_ref, last.patient_count, last.destination) == (
        "export.csv",
        "anne",
        f"worklist:{list_id}",
        len(items) - 1,
        "liste.csv",
    )
    assert last.id == before + 1  # one entry, the data out (not also a list shown)

    # A secretary works the lists but may not export: nothing is written and nothing recorded.
    refused = tmp_path / "sekretær.csv"
    with pytest.raises(PermissionDeniedError):
        export_items_csv(practice, SECRETARY, list_id, refused, AS_OF)
    assert not refused.exists()
    with practice.session() as session:
        assert (
            session.execute(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)).scalar() == last.id
        )


def test_an_absurd_list_or_item_number_is_an_input_error(connected_home: Path) -> None:
    for args in (("items", "99999999999"), ("set", "0", "--status", "done"), ("history", "12x")):
        refused = cockpit(connected_home, "worklist", *args)
        assert refused.returncode == 2, refused.stderr  # argparse's usage error, before the store opens
        assert "not a" in refused.stderr
        assert "internal error" not in refused.stderr
