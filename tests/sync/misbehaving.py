"""A small FHIR server on the fault server of ``transport_fixtures`` (stdlib, 127.0.0.1) that a test makes
misbehave: it answers ``metadata``, a bulk ``$export`` (kick-off, status, manifest, NDJSON files), the
``Patient?_summary=count`` probe, paged searches and ``_history``, and each route can be replaced by a
fault. The data is a handful of hand-written resources, so every expectation can be checked by hand."""

import json
from collections.abc import Callable
from typing import Any

from cockpit.sync.fetch import SYNC_TYPES
from tests.sync.transport_fixtures import Action, FaultHandler, FaultServer, respond, respond_json

NOW = "2026-12-01T10:00:00.000Z"
LOINC_HBA1C = {"coding": [{"system": "http://loinc.org", "code": "4548-4", "display": "HbA1c"}]}


def patient(pid: str, **fields: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, "gender": "female", "birthDate": "1950-01-01", **fields}


def observation(oid: str, pid: str, value: float = 50.0) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "subject": {"reference": f"Patient/{pid}"},
        "code": LOINC_HBA1C,
        "valueQuantity": {"value": value, "unit": "mmol/mol"},
        "effectiveDateTime": "2025-01-01",
    }


PATIENTS = [patient("p1"), patient("p2")]
OBSERVATIONS = [observation("o1", "p1"), observation("o2", "p2"), observation("o3", "p2", 60.0)]


def ndjson(resources: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in resources)


def capabilities(*, export: bool = True, history: bool = True) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "rest": [
            {
                "mode": "server",
                "operation": [{"name": "export"}] if export else [],
                "interaction": [{"code": "history-system"}] if history else [],
            }
        ],
    }


def manifest(base: str, files: dict[str, str]) -> dict[str, Any]:
    return {
        "transactionTime": NOW,
        "request": f"{base}/fhir/$export",
        "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{base}{path}"} for kind, path in files.items()],
        "error": [],
    }


def bundle(entries: list[dict[str, Any]], *, kind: str = "history", next_url: str | None = None,
           total: int | None = None) -> dict[str, Any]:  # fmt: skip
    document: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": kind,
        "meta": {"lastUpdated": NOW},
        "entry": entries,
        "link": [{"relation": "next", "url": next_url}] if next_url else [],
    }
    if total is not None:
        document["total"] = total
    return document


def serve_practice(
    server: FaultServer,
    *,
    patients: list[dict[str, Any]] | None = None,
    observations: list[dict[str, Any]] | None = None,
    export: bool = True,
) -> None:
    """Routes of a well-behaved server with ``patients`` and ``observations`` (defaults: PATIENTS and
    OBSERVATIONS); a test then replaces the route it wants to fail."""
    base = server.url
    server.route("/fhir/metadata", respond_json(200, capabilities(export=export)))
    server.route("/fhir/$export", respond(202, headers={"Content-Location": f"{base}/fhir/status/1"}))
    files = {"Patient": "/files/Patient.ndjson", "Observation": "/files/Observation.ndjson"}
    server.route("/fhir/status/1", respond_json(200, manifest(base, files)))
    server.route("/files/Patient.ndjson", ndjson_file(ndjson(PATIENTS if patients is None else patients)))
    server.route(
        "/files/Observation.ndjson",
        ndjson_file(ndjson(OBSERVATIONS if observations is None else observations)),
    )
    for kind in SYNC_TYPES:
        server.route(f"/fhir/{kind}", respond_json(200, bundle([], kind="searchset", total=0)))
    server.route("/fhir/_history", respond_json(200, bundle([])))


def ndjson_file(body: bytes) -> Action:
    return respond(200, body, {"Content-Type": "application/fhir+ndjson"})


def streamed(blocks: Callable[[], Any], content_type: str = "application/fhir+ndjson") -> Action:
    """A body sent as it is made (chunked transfer), from an iterator of bytes: a body of any size
    without holding it in the test."""

    def act(handler: FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            for block in blocks():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            handler.wfile.write(b"0\r\n\r\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    return act
