"""FhirHttp against a real server on 127.0.0.1: URLs, statuses, messages, streaming, where auth goes."""

import gzip
import logging
from collections.abc import Iterator

import httpx
import pytest

from cockpit.errors import SyncAuthError, SyncError
from cockpit.sync.auth import BearerAuth
from cockpit.sync.http import FhirHttp
from tests.sync.transport_fixtures import (
    FaultServer,
    RecordingSleep,
    outcome,
    respond,
    respond_json,
    serve,
)

BUNDLE = {"resourceType": "Bundle", "type": "searchset", "total": 0}


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


@pytest.fixture
def other_server() -> Iterator[FaultServer]:
    yield from serve()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def http(server: FaultServer, sleep: RecordingSleep) -> Iterator[FhirHttp]:
    with FhirHttp(server.url + "/fhir", sleep=sleep) as client:
        yield client


def test_relative_urls_resolve_under_the_base_and_share_one_connection(
    server: FaultServer, http: FhirHttp
) -> None:
    server.route("/fhir/Patient", respond_json(200, BUNDLE))
    assert http.base_url == server.url + "/fhir/"
    assert http.get("Patient", params={"_count": "2"}).json() == BUNDLE
    assert http.get("/Patient").json() == BUNDLE
    first, second = server.requests
    assert first.path == "/fhir/Patient?_count=2"
    assert second.path == "/fhir/Patient"
    assert first.client_port == second.client_port  # keep-alive: one connection
    assert first.headers["accept"] == "application/fhir+json"


def test_absolute_urls_are_used_as_given(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/Patient", respond_json(200, BUNDLE))
    http.get(server.url + "/fhir/Patient?_getpages=abc&_offset=100")
    assert server.requests[0].path == "/fhir/Patient?_getpages=abc&_offset=100"


def test_caller_headers_override_the_defaults(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/$export", respond(202, headers={"Content-Location": "/status/1"}))
    http.get("$export", headers={"Prefer": "respond-async", "Accept": "application/fhir+json"})
    assert server.requests[0].headers["prefer"] == "respond-async"


def test_202_is_returned_with_its_headers(server: FaultServer, http: FhirHttp, sleep: RecordingSleep) -> None:
    server.route("/status/1", respond(202, headers={"Retry-After": "120", "X-Progress": "40%"}))
    response = http.get(server.url + "/status/1")
    assert response.status_code == 202
    assert response.headers["Retry-After"] == "120"  # the engine decides how to poll
    assert sleep.waits == []


def test_401_is_an_auth_problem_that_says_what_to_do(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/Patient", respond(401))
    with pytest.raises(SyncAuthError, match="refused the sync credentials") as caught:
        http.get("Patient")
    assert "check the client id and key" in str(caught.value)
    assert len(server.requests) == 1  # never retried


def test_403_is_an_auth_problem_about_permissions(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/Observation", respond(403))
    with pytest.raises(SyncAuthError, match=r"HTTP 403.*grant it read access"):
        http.get("Observation")
    assert len(server.requests) == 1


def test_404_is_not_retried_and_does_not_repeat_the_id(server: FaultServer, http: FhirHttp) -> None:
    with pytest.raises(SyncError, match="check the server URL") as caught:
        http.get("Patient/0101011234/$everything")
    message = str(caught.value)
    assert f"{server.url}/fhir/Patient/$everything" in message
    assert "0101011234" not in message
    assert type(caught.value) is SyncError
    assert len(server.requests) == 1


def test_400_summarises_the_operation_outcome_without_numbers_that_could_be_a_cpr(
    server: FaultServer, http: FhirHttp
) -> None:
    diagnostics = "Unknown search parameter 'identifier' value 010101-1234"
    server.route("/fhir/Patient", respond_json(400, outcome("not-supported", diagnostics)))
    with pytest.raises(SyncError) as caught:
        http.get("Patient", params={"identifier": "010101-1234"})
    message = str(caught.value)
    assert "HTTP 400" in message
    assert "error not-supported \"Unknown search parameter 'identifier' value …\"" in message
    assert "1234" not in message
    assert len(server.requests) == 1


def test_an_error_body_that_is_not_an_outcome_is_never_echoed(server: FaultServer, http: FhirHttp) -> None:
    patient = {"resourceType": "Patient", "name": [{"family": "Jensen", "given": ["Karen"]}]}
    server.route("/fhir/Patient", respond_json(422, patient))
    with pytest.raises(SyncError) as caught:
        http.get("Patient")
    assert "HTTP 422" in str(caught.value)
    assert "Jensen" not in str(caught.value)
    assert "Karen" not in str(caught.value)


def test_500_is_not_retried(server: FaultServer, http: FhirHttp, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", respond(500))
    with pytest.raises(SyncError, match="try again later"):
        http.get("Patient")
    assert len(server.requests) == 1
    assert sleep.waits == []


def test_stream_hands_over_the_decompressed_body(server: FaultServer, http: FhirHttp) -> None:
    lines = [b'{"resourceType":"Patient","id":"p%d"}' % i for i in range(2000)]
    ndjson = b"\n".join(lines) + b"\n"
    server.route(
        "/files/Patient.ndjson",
        respond(
            200,
            gzip.compress(ndjson),
            {"Content-Encoding": "gzip", "Content-Type": "application/fhir+ndjson"},
        ),
    )
    with http.stream(
        server.url + "/files/Patient.ndjson", headers={"Accept": "application/fhir+ndjson"}
    ) as r:
        assert r.status_code == 200
        received = b"".join(r.iter_bytes())
    assert received == ndjson
    assert server.requests[0].headers["accept"] == "application/fhir+ndjson"


def test_stream_error_statuses_raise_before_the_body(server: FaultServer, http: FhirHttp) -> None:
    server.route("/files/gone.ndjson", respond(410, b"x" * 200_000))
    with pytest.raises(SyncError, match="HTTP 410"), http.stream(server.url + "/files/gone.ndjson"):
        pytest.fail("the body of an error must not be handed over")


def test_credentials_go_only_to_the_base_origin(
    server: FaultServer, other_server: FaultServer, sleep: RecordingSleep
) -> None:
    server.route("/fhir/Patient", respond_json(200, BUNDLE))
    other_server.route("/bucket/Patient.ndjson", respond(200, b"{}\n"))
    with FhirHttp(server.url + "/fhir", auth=BearerAuth("s3cret-token"), sleep=sleep) as http:
        http.get("Patient")
        with http.stream(other_server.url + "/bucket/Patient.ndjson") as response:
            response.read()
    assert server.requests[0].headers["authorization"] == "Bearer s3cret-token"
    assert "authorization" not in other_server.requests[0].headers


@pytest.mark.parametrize("url", ["http://fhir.example.dk/fhir", "ftp://127.0.0.1/fhir"])
def test_plain_http_is_refused_except_on_loopback(url: str) -> None:
    with pytest.raises(SyncError, match="https://"):
        FhirHttp(url)


def test_a_next_link_that_downgrades_to_http_is_refused(http: FhirHttp) -> None:
    with pytest.raises(SyncError, match="https://"):
        http.get("http://fhir.example.dk/fhir/Patient?page=2")


def test_a_redirect_that_downgrades_to_http_is_refused(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/Patient", respond(302, headers={"Location": "http://fhir.example.dk/fhir/Patient"}))
    with pytest.raises(SyncError, match="https://"):
        http.get("Patient")
    assert len(server.requests) == 1


def test_a_redirect_on_the_same_server_is_followed(server: FaultServer, http: FhirHttp) -> None:
    server.route("/fhir/Patient", respond(307, headers={"Location": "/fhir/v2/Patient"}))
    server.route("/fhir/v2/Patient", respond_json(200, BUNDLE))
    assert http.get("Patient").json() == BUNDLE


def test_loopback_names_are_allowed_over_http() -> None:
    for url in ("http://127.0.0.1:8080/fhir", "http://localhost/fhir", "http://[::1]:8080/fhir"):
        FhirHttp(url).close()


def test_transport_can_be_injected() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=BUNDLE)

    with FhirHttp("https://fhir.example.dk/r4", transport=httpx.MockTransport(handler)) as http:
        assert http.get("metadata").json() == BUNDLE
    assert seen == ["https://fhir.example.dk/r4/metadata"]


def test_nothing_identifying_reaches_the_log_even_at_debug(
    server: FaultServer, sleep: RecordingSleep, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.route("/fhir/Patient", respond(503), respond_json(200, BUNDLE))
    with FhirHttp(server.url + "/fhir", auth=BearerAuth("s3cret-token"), sleep=sleep) as http:
        http.get("Patient", params={"identifier": "0101011234"})
    assert any("retrying" in record.getMessage() for record in caplog.records)  # the log is not empty
    for record in caplog.records:
        assert "0101011234" not in record.getMessage()
        assert "s3cret-token" not in record.getMessage()
