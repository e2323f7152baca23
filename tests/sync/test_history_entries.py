"""What an incremental sync makes of each kind of ``_history`` entry: only an explicit DELETE or a 410 Gone
deletes; the other shapes R4 and R5 allow change or add; a malformed entry is quarantined with its reason
and changes nothing (a PUT without its resource once deleted the patient)."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from cockpit.store import Store
from cockpit.sync.engine import sync_server
from cockpit.sync.http import FhirHttp
from cockpit.sync.progress import SyncResult
from cockpit.sync.settings import SyncSettings
from tests.sync.misbehaving import bundle, observation, patient, serve_practice
from tests.sync.transport_fixtures import FaultServer, respond_json, serve


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def _sync(store: Store, server: FaultServer) -> SyncResult:
    http = FhirHttp(server.url + "/fhir", sleep=lambda _s: None)
    with http:
        return sync_server(store, SyncSettings(server_url=server.url + "/fhir"), http=http)


def _rows(store: Store) -> dict[str, list[str]]:
    with store.engine.connect() as conn:
        return {
            "patients": sorted(conn.execute(text("SELECT fhir_id FROM patients")).scalars()),
            "observations": sorted(conn.execute(text("SELECT fhir_id FROM observations")).scalars()),
        }


def _gender(store: Store, pid: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(text("SELECT sex FROM patients WHERE fhir_id = :p"), {"p": pid}).scalar_one())


def _after_history(store: Store, server: FaultServer, entries: list[Any]) -> SyncResult:
    serve_practice(server)
    first = _sync(store, server)
    assert (first.method, first.inserted) == ("export", 5)
    server.route("/fhir/_history", respond_json(200, bundle(entries)))
    result = _sync(store, server)
    assert result.method == "history"
    return result


BEFORE = {"patients": ["p1", "p2"], "observations": ["o1", "o2", "o3"]}


def test_r4_and_r5_entries_change_add_and_delete(server: FaultServer, make_store: Any) -> None:
    store = make_store()
    base = server.url + "/fhir"
    entries = [
        # R4: PUT with the resource as it became (relative URL)
        {"resource": patient("p1", gender="male"), "request": {"method": "PUT", "url": "Patient/p1"},
         "response": {"status": "200 OK"}},
        # R4: POST of a new resource: the request names only the type, the location its id and version
        {"resource": observation("o4", "p1"), "request": {"method": "POST", "url": "Observation"},
         "response": {"status": "201 Created", "location": "Observation/o4/_history/1"}},
        # R5: PATCH, with the patched resource
        {"resource": observation("o1", "p1", 55.0), "request": {"method": "PATCH", "url": "Observation/o1"},
         "response": {"status": "200 OK"}},
        # R4: DELETE without a resource, absolute URL
        {"request": {"method": "DELETE", "url": f"{base}/Observation/o2"}, "response": {"status": "204"}},
        # a 410 Gone answer without a request, named by its fullUrl
        {"fullUrl": f"{base}/Observation/o3", "response": {"status": "410 Gone"}},
    ]  # fmt: skip
    result = _after_history(store, server, entries)
    assert (result.inserted, result.updated, result.deleted, result.quarantined) == (1, 2, 2, 0)
    assert _rows(store) == {"patients": ["p1", "p2"], "observations": ["o1", "o4"]}
    assert _gender(store, "p1") == "male"


MALFORMED = [
    pytest.param(
        {"request": {"method": "PUT", "url": "Patient/p1"}, "response": {"status": "200 OK"}},
        "carries none (not a deletion)",
        id="put-without-resource",
    ),
    pytest.param(
        {"resource": "Patient p1", "request": {"method": "PUT", "url": "Patient/p1"}},
        "is not a JSON object",
        id="resource-not-an-object",
    ),
    pytest.param(
        {"resource": observation("o1", "p1"), "request": {"method": "PUT", "url": "Patient/p1"}},
        "not the one its request names",
        id="other-type-than-requested",
    ),
    pytest.param(
        {"resource": patient("p9"), "request": {"method": "PUT", "url": "Patient/p2"}},
        "not the one its request names",
        id="other-id-than-requested",
    ),
    pytest.param(
        {"resource": patient("p1", gender="male"), "request": {"method": "GET", "url": "Patient/p1"}},
        "no known request method",
        id="unknown-method",
    ),
    pytest.param(5, "is not a JSON object", id="entry-not-an-object"),
    pytest.param(
        {"request": {"method": "DELETE"}, "response": {"status": "204"}},
        "names no resource",
        id="delete-naming-nothing",
    ),
]


@pytest.mark.parametrize(("entry", "reason"), MALFORMED)
def test_a_malformed_entry_is_quarantined_and_changes_nothing(
    server: FaultServer, make_store: Any, entry: Any, reason: str
) -> None:
    store = make_store()
    result = _after_history(store, server, [entry])
    assert (result.inserted, result.updated, result.deleted, result.quarantined) == (0, 0, 0, 1)
    assert _rows(store) == BEFORE
    assert _gender(store, "p1") == "female"
    [(where, said)] = result.quarantine_examples
    assert where == "_history:1"
    assert reason in said


def test_an_entry_of_a_type_the_store_does_not_keep_is_ignored_however_malformed(
    server: FaultServer, make_store: Any
) -> None:
    store = make_store()
    entries = [
        {"request": {"method": "PUT", "url": "AllergyIntolerance/a1"}},
        {"request": {"method": "DELETE", "url": "AllergyIntolerance/a2"}},
    ]
    result = _after_history(store, server, entries)
    assert (result.inserted, result.updated, result.deleted, result.quarantined) == (0, 0, 0, 0)
    assert _rows(store) == BEFORE
