"""Every answer's shape is checked before it is used: JSON of the wrong shape where a manifest, a status, a
Bundle or a CapabilityStatement belongs ends the sync with "the server sent something that is not a FHIR
…" (a SyncError, exit 9), the store unchanged, never an internal error."""

from collections.abc import Iterator
from typing import Any

import pytest

from cockpit.errors import SyncError
from cockpit.store import Store
from cockpit.sync.engine import sync_server
from cockpit.sync.http import FhirHttp
from cockpit.sync.settings import SyncSettings
from cockpit.sync.shapes import NotFhirError
from tests.sync.content import store_content
from tests.sync.misbehaving import NOW, bundle, capabilities, serve_practice
from tests.sync.transport_fixtures import FaultServer, respond, respond_json, serve


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def _sync(store: Store, server: FaultServer) -> None:
    with FhirHttp(server.url + "/fhir", sleep=lambda _s: None) as http:
        sync_server(store, SyncSettings(server_url=server.url + "/fhir"), http=http, sleep=lambda _s: None)


def _manifest(**fields: Any) -> dict[str, Any]:
    return {"transactionTime": NOW, "requiresAccessToken": False, "output": [], "error": [], **fields}


FIRST_SYNC_FAULTS = [
    pytest.param(
        "/fhir/status/1",
        respond_json(200, _manifest(output=7)),
        "bulk export manifest (output is not a list)",
        id="manifest-output-a-number",
    ),
    pytest.param(
        "/fhir/status/1",
        respond_json(200, _manifest(output=[{"type": "Patient", "url": 3}])),
        "bulk export manifest (an output entry has no url)",
        id="manifest-output-url-a-number",
    ),
    pytest.param(
        "/fhir/status/1",
        respond_json(200, _manifest(output=["Patient.ndjson"])),
        "bulk export manifest (output holds something that is not an object)",
        id="manifest-output-texts",
    ),
    pytest.param(
        "/fhir/status/1",
        respond_json(200, _manifest(transactionTime=20261201)),
        "bulk export manifest (transactionTime is missing or not text)",
        id="manifest-time-a-number",
    ),
    pytest.param(
        "/fhir/status/1",
        respond_json(200, [1, 2]),
        "bulk export manifest (not a JSON object)",
        id="manifest-a-list",
    ),
    pytest.param(
        "/fhir/status/1",
        respond(204),
        "bulk export status (HTTP 204 where 200 or 202 belongs)",
        id="status-204",
    ),
    pytest.param(
        "/fhir/metadata",
        respond_json(200, {"resourceType": "CapabilityStatement", "rest": "all"}),
        "CapabilityStatement (rest is not a list)",
        id="capabilities-rest-text",
    ),
    pytest.param(
        "/fhir/metadata",
        respond_json(
            200, {"resourceType": "CapabilityStatement", "rest": [{"operation": {"name": "export"}}]}
        ),
        "CapabilityStatement (rest.operation is not a list)",
        id="capabilities-operation-object",
    ),
    pytest.param(
        "/fhir/metadata",
        respond(200, b"<html>login</html>", {"Content-Type": "text/html"}),
        "CapabilityStatement (not JSON)",
        id="capabilities-html",
    ),
]


@pytest.mark.parametrize(("path", "action", "said"), FIRST_SYNC_FAULTS)
def test_a_wrong_shape_in_a_first_sync_is_named(
    server: FaultServer, make_store: Any, path: str, action: Any, said: str
) -> None:
    store = make_store()
    serve_practice(server)
    server.route(path, action)
    with pytest.raises(NotFhirError) as raised:
        _sync(store, server)
    assert f"The server sent something that is not a FHIR {said}" in str(raised.value)
    assert raised.value.exit_code == 9
    assert store_content(store)["patients"] == []


HISTORY_FAULTS = [
    pytest.param({**bundle([]), "entry": "none"}, "entry is not a list", id="entry-text"),
    pytest.param({**bundle([]), "link": 5}, "link is not a list", id="link-number"),
    pytest.param(
        {**bundle([]), "link": ["next"]}, "link holds something that is not an object", id="link-texts"
    ),
    pytest.param({**bundle([]), "total": "many"}, "total is not a whole number", id="total-text"),
    pytest.param({"resourceType": "OperationOutcome", "issue": []}, "not a Bundle", id="outcome-not-bundle"),
]


@pytest.mark.parametrize(("page", "said"), HISTORY_FAULTS)
def test_a_wrong_shape_of_a_history_page_is_named(
    server: FaultServer, make_store: Any, page: Any, said: str
) -> None:
    store = make_store()
    serve_practice(server)
    _sync(store, server)
    before = store_content(store)
    server.route("/fhir/_history", respond_json(200, page))
    with pytest.raises(SyncError, match="not a FHIR Bundle") as raised:
        _sync(store, server)
    assert said in str(raised.value)
    assert store_content(store) == before


def test_an_operation_outcome_of_any_shape_still_gives_the_status(
    server: FaultServer, make_store: Any
) -> None:
    serve_practice(server)
    odd = {
        "resourceType": "OperationOutcome",
        "issue": [7, {"severity": 3, "details": "x", "diagnostics": ["a"]}],
    }
    server.route("/fhir/metadata", respond_json(400, odd))
    with pytest.raises(SyncError, match=r"HTTP 400"):
        _sync(make_store(), server)


def test_capabilities_without_export_or_history_fall_back_to_search(
    server: FaultServer, make_store: Any
) -> None:
    """The shape checks let a lean but valid CapabilityStatement through."""
    serve_practice(server)
    server.route("/fhir/metadata", respond_json(200, capabilities(export=False, history=False)))
    store = make_store()
    _sync(store, server)
    assert store_content(store)["patients"] == []  # the search routes answer empty Bundles
