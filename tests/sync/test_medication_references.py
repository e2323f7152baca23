"""A drug named by reference to a Medication resource, synced from a real FHIR server: the statement comes
first (kept as an unknown drug), its Medication in a later incremental sync (resolved), then an update of the
Medication (re-resolved) and its deletion (unknown again); a full sync of the same server agrees."""

from typing import Any

import httpx
from sqlalchemy import text

from cockpit.store import Store
from cockpit.store.medication_products import unresolved_count
from cockpit.sync.engine import sync_server
from cockpit.sync.settings import SyncSettings
from tests.sync.content import store_content

ATC = "http://www.whocc.no/atc"


def _put(base_url: str, resource: dict[str, Any]) -> None:
    url = f"{base_url}/{resource['resourceType']}/{resource['id']}"
    response = httpx.put(url, json=resource, headers={"Content-Type": "application/fhir+json"}, timeout=30)
    assert response.is_success, response.text


def _first_patient(base_url: str) -> str:
    bundle = httpx.get(f"{base_url}/Patient?_count=1", timeout=30).json()
    return str(bundle["entry"][0]["resource"]["id"])


def _drug(store: Store) -> tuple[Any, ...]:
    with store.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT code_system, code, drug_name, strength, medication_ref, name_source FROM medications "
                "WHERE fhir_id = 'cockpit-fmk-1'"
            )
        ).one()
        return (*row, unresolved_count(conn))


def test_a_medication_arriving_later_resolves_its_statement_and_updates_re_resolve(
    fresh_fhir_server: str, make_store: Any
) -> None:
    settings = SyncSettings(server_url=fresh_fhir_server)
    store = make_store()
    sync_server(store, settings)
    patient = _first_patient(fresh_fhir_server)
    _put(
        fresh_fhir_server,
        {
            "resourceType": "MedicationStatement",
            "id": "cockpit-fmk-1",
            "status": "active",
            "subject": {"reference": f"Patient/{patient}"},
            "medicationReference": {"reference": "Medication/cockpit-med-1"},
            "effectivePeriod": {"start": "2024-03-01"},
        },
    )

    first = sync_server(store, settings)  # the statement alone: kept, its drug unknown

    assert (first.full, first.inserted, first.quarantined) == (False, 1, 0)
    assert first.unresolved_medication_refs == 1
    assert _drug(store) == (None, None, "Ukendt lægemiddel", None, "cockpit-med-1", "unresolved", 1)

    medication = {
        "resourceType": "Medication",
        "id": "cockpit-med-1",
        "code": {"coding": [{"system": ATC, "code": "C10AA05"}]},  # no display: named from the catalogue
        "ingredient": [{"strength": {"numerator": {"value": 40, "unit": "mg"}}}],
    }
    _put(fresh_fhir_server, medication)

    second = sync_server(store, settings)  # the Medication, in a later incremental sync

    assert (second.inserted, second.named_from_catalogue, second.unresolved_medication_refs) == (1, 1, 0)
    assert second.changed_patient_fhir_ids == {patient}
    assert _drug(store) == (ATC, "C10AA05", "Atorvastatin", "40 mg", "cockpit-med-1", "catalogue", 0)

    medication["code"] = {"coding": [{"system": ATC, "code": "C10AA01", "display": "Simvastatin Actavis"}]}
    medication["ingredient"] = [{"strength": {"numerator": {"value": 20, "unit": "mg"}}}]
    _put(fresh_fhir_server, medication)

    third = sync_server(store, settings)  # the Medication updated: its statement re-resolved

    assert (third.updated, third.inserted) == (1, 0)
    assert third.changed_patient_fhir_ids == {patient}
    assert _drug(store) == (ATC, "C10AA01", "Simvastatin Actavis", "20 mg", "cockpit-med-1", "sent", 0)
    reference = make_store("reference")
    sync_server(reference, settings)  # a full sync of the server as it is now: the same rows
    assert store_content(store) == store_content(reference)

    assert httpx.delete(f"{fresh_fhir_server}/Medication/cockpit-med-1", timeout=30).is_success

    fourth = sync_server(store, settings)  # the Medication deleted: the drug is unknown again, still listed

    assert (fourth.deleted, fourth.unresolved_medication_refs) == (1, 1)
    assert fourth.changed_patient_fhir_ids == {patient}
    assert _drug(store) == (None, None, "Ukendt lægemiddel", None, "cockpit-med-1", "unresolved", 1)

    _put(fresh_fhir_server, medication)  # back again: resolved again
    fifth = sync_server(store, settings)
    assert (fifth.inserted, fifth.unresolved_medication_refs) == (1, 0)
    assert _drug(store) == (ATC, "C10AA01", "Simvastatin Actavis", "20 mg", "cockpit-med-1", "sent", 0)

    assert httpx.delete(f"{fresh_fhir_server}/Medication/cockpit-med-1", timeout=30).is_success
    full = sync_server(store, settings, full=True)  # a full sync that no longer receives it removes it

    assert (full.full, full.deleted, full.unresolved_medication_refs) == (True, 1, 1)
    assert full.changed_patient_fhir_ids == {patient}
    assert _drug(store) == (None, None, "Ukendt lægemiddel", None, "cockpit-med-1", "unresolved", 1)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM medication_products")).scalar_one() == 0
