"""Incremental sync: after edits and deletions on the server only those are transferred, and the store
matches the server again (it equals a full sync of the server's new state)."""

import json
from typing import Any

import httpx
from sqlalchemy import text

from cockpit.sync.engine import sync_server
from cockpit.sync.http import FhirHttp
from cockpit.sync.settings import SyncSettings
from tests.sync.content import store_content

EDITED = 25


def _resources(base_url: str, query: str) -> list[dict[str, Any]]:
    bundle = httpx.get(f"{base_url}/{query}", timeout=30).json()
    return [entry["resource"] for entry in bundle["entry"]]


def _put(base_url: str, resource: dict[str, Any]) -> None:
    url = f"{base_url}/{resource['resourceType']}/{resource['id']}"
    response = httpx.put(url, json=resource, headers={"Content-Type": "application/fhir+json"}, timeout=30)
    assert response.is_success, response.text


def _subject(resource: dict[str, Any]) -> str:
    return str(resource["subject"]["reference"]).removeprefix("Patient/")


def test_after_25_edits_and_1_delete_only_those_26_are_transferred(
    fresh_fhir_server: str, make_store: Any
) -> None:
    settings = SyncSettings(server_url=fresh_fhir_server)
    store = make_store()
    sync_server(store, settings)
    observations = _resources(fresh_fhir_server, "Observation?code=http://loinc.org|8302-2&_count=15")
    conditions = _resources(fresh_fhir_server, "Condition?_count=11")
    assert len(observations) == 15 and len(conditions) == 11
    for observation in observations:
        observation["valueQuantity"]["value"] = round(observation["valueQuantity"]["value"] + 1.5, 1)
        _put(fresh_fhir_server, observation)
    for condition in conditions[:10]:
        condition["onsetDateTime"] = "2001-02-03T04:05:06Z"
        _put(fresh_fhir_server, condition)
    gone = conditions[10]
    assert httpx.delete(f"{fresh_fhir_server}/Condition/{gone['id']}", timeout=30).is_success

    result = sync_server(store, settings)

    assert (result.method, result.full) == ("history", False)
    assert result.downloaded == EDITED + 1  # what the server sent: 25 new versions and 1 deletion
    assert (result.inserted, result.updated, result.unchanged, result.deleted) == (0, EDITED, 0, 1)
    touched = {_subject(r) for r in observations + conditions}
    assert result.changed_patient_fhir_ids == touched
    assert len(result.changed_patient_ids) == len(touched)
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM conditions WHERE fhir_id = :i"), {"i": gone["id"]})
        assert found.scalar() == 0
        onsets = conn.execute(text("SELECT count(*) FROM conditions WHERE onset = '2001-02-03'")).scalar()
        assert onsets == 10
    reference = make_store("reference")
    sync_server(reference, settings)  # a full sync of the server as it is now
    assert store_content(store) == store_content(reference)

    quiet = sync_server(store, settings)
    assert (quiet.downloaded, quiet.updated, quiet.deleted) == (0, 0, 0)


def test_a_deleted_patient_goes_with_all_their_data(fresh_fhir_server: str, make_store: Any) -> None:
    settings = SyncSettings(server_url=fresh_fhir_server)
    store = make_store()
    sync_server(store, settings)
    patient = _resources(fresh_fhir_server, "Patient?_count=1")[0]
    with store.engine.connect() as conn:
        internal = conn.execute(
            text("SELECT id FROM patients WHERE fhir_id = :f"), {"f": patient["id"]}
        ).scalar_one()
        owned = conn.execute(
            text("SELECT count(*) FROM observations WHERE patient_id = :p"), {"p": internal}
        ).scalar()
    assert owned > 0
    assert httpx.delete(f"{fresh_fhir_server}/Patient/{patient['id']}", timeout=30).is_success

    result = sync_server(store, settings)

    assert (result.downloaded, result.deleted) == (1, 1)
    assert internal in result.changed_patient_ids
    assert patient["id"] in result.changed_patient_fhir_ids
    with store.engine.connect() as conn:
        for table in ("patients", "observations", "conditions", "encounters", "medications"):
            column = "id" if table == "patients" else "patient_id"
            left = conn.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :p"), {"p": internal})
            assert left.scalar() == 0, table


def test_a_full_sync_removes_what_the_server_no_longer_has(fresh_fhir_server: str, make_store: Any) -> None:
    """A deletion the history no longer shows (or a store filled by other means) is caught by --full."""
    store = make_store()
    sync_server(store, SyncSettings(server_url=fresh_fhir_server))
    condition = _resources(fresh_fhir_server, "Condition?_count=1")[0]
    assert httpx.delete(f"{fresh_fhir_server}/Condition/{condition['id']}", timeout=30).is_success

    result = sync_server(store, SyncSettings(server_url=fresh_fhir_server), full=True)

    assert (result.full, result.deleted, result.inserted, result.updated) == (True, 1, 0, 0)
    assert result.changed_patient_fhir_ids == {_subject(condition)}
    with store.engine.connect() as conn:
        found = conn.execute(
            text("SELECT count(*) FROM conditions WHERE fhir_id = :i"), {"i": condition["id"]}
        )
        assert found.scalar() == 0


class NoHistoryTransport(httpx.HTTPTransport):
    """A server without system _history (its CapabilityStatement says so; sekmet itself has it)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not request.url.path.endswith("/metadata"):
            return response
        statement = json.loads(response.read())
        rest = statement["rest"][0]
        rest["interaction"] = [i for i in rest.get("interaction", []) if i["code"] != "history-system"]
        return httpx.Response(200, json=statement, request=request)


def test_without_history_changes_come_by_search_and_deletions_wait_for_a_full_sync(
    fresh_fhir_server: str, make_store: Any
) -> None:
    settings = SyncSettings(server_url=fresh_fhir_server)
    store = make_store()
    sync_server(store, settings)
    conditions = _resources(fresh_fhir_server, "Condition?_count=4")
    for condition in conditions[:3]:
        condition["onsetDateTime"] = "2001-02-03T04:05:06Z"
        _put(fresh_fhir_server, condition)
    assert httpx.delete(f"{fresh_fhir_server}/Condition/{conditions[3]['id']}", timeout=30).is_success
    http = FhirHttp(fresh_fhir_server, transport=NoHistoryTransport())

    result = sync_server(store, settings, http=http)

    assert (result.method, result.downloaded, result.updated, result.deleted) == ("search", 3, 3, 0)
    full = sync_server(store, settings, full=True, http=http)
    assert (full.method, full.deleted, full.updated, full.inserted) == ("export", 1, 0, 0)
