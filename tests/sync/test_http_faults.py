"""Faults a real server on 127.0.0.1 provokes on demand: busy answers with Retry-After in each form,
resets, stalls, trickling and broken bodies. Waits go to a recording sleep, so nothing here waits for real
except the short read timeouts."""

import email.utils
import socket
import time
from collections.abc import Iterator

import pytest

from cockpit.errors import SyncNetworkError
from cockpit.sync.http import FhirHttp
from cockpit.sync.retry import RetryPolicy
from tests.sync.transport_fixtures import (
    FaultServer,
    RecordingSleep,
    cut_short,
    reset,
    respond,
    respond_json,
    serve,
    stall,
    trickle,
)

OK = {"resourceType": "Bundle", "type": "searchset"}
NDJSON = b"".join(b'{"resourceType":"Observation","id":"o%04d"}\n' % i for i in range(400))


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


def client(server: FaultServer, sleep: RecordingSleep, **options: object) -> FhirHttp:
    return FhirHttp(server.url + "/fhir", sleep=sleep, **options)  # type: ignore[arg-type]


def test_503_with_delta_seconds_waits_that_long(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", respond(503, headers={"Retry-After": "7"}), respond_json(200, OK))
    with client(server, sleep) as http:
        assert http.get("Patient").json() == OK
    assert sleep.waits == [7.0]
    assert len(server.requests) == 2


def test_429_with_an_http_date_waits_until_then(server: FaultServer, sleep: RecordingSleep) -> None:
    then = email.utils.formatdate(time.time() + 30, usegmt=True)  # whole seconds: 29 < wait <= 30
    server.route("/fhir/Patient", respond(429, headers={"Retry-After": then}), respond_json(200, OK))
    with client(server, sleep) as http:
        http.get("Patient")
    assert len(sleep.waits) == 1
    assert 28.0 < sleep.waits[0] <= 30.0


def test_429_with_an_absolute_epoch_waits_until_then(server: FaultServer, sleep: RecordingSleep) -> None:
    then = str(int(time.time()) + 45)
    server.route("/fhir/Patient", respond(429, headers={"Retry-After": then}), respond_json(200, OK))
    with client(server, sleep) as http:
        http.get("Patient")
    assert len(sleep.waits) == 1
    assert 43.0 < sleep.waits[0] <= 45.0


def test_a_far_future_retry_after_is_clamped(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route(
        "/fhir/Patient",
        respond(503, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}),
        respond(503, headers={"Retry-After": "9" * 40}),
        respond_json(200, OK),
    )
    with client(server, sleep, policy=RetryPolicy(max_retry_after=120.0)) as http:
        http.get("Patient")
    assert sleep.waits == [120.0, 120.0]


def test_502_and_504_back_off_exponentially_with_jitter(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", respond(502), respond(504), respond(502), respond_json(200, OK))
    with client(server, sleep, policy=RetryPolicy(base_delay=2.0, max_delay=60.0)) as http:
        http.get("Patient")
    assert len(sleep.waits) == 3
    for wait, ceiling in zip(sleep.waits, [2.0, 4.0, 8.0], strict=True):
        assert 0.0 <= wait <= ceiling


def test_a_server_that_stays_busy_is_given_up_with_advice(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", respond(503, headers={"Retry-After": "1"}))
    with (
        client(server, sleep, policy=RetryPolicy(max_attempts=4)) as http,
        pytest.raises(SyncNetworkError) as caught,
    ):
        http.get("Patient")
    assert len(server.requests) == 4
    assert sleep.waits == [1.0, 1.0, 1.0]
    assert "HTTP 503" in str(caught.value)
    assert "after 4 attempts" in str(caught.value)
    assert "try again later" in str(caught.value)


def test_the_time_budget_stops_a_wait_that_would_overrun_it(
    server: FaultServer, sleep: RecordingSleep
) -> None:
    server.route("/fhir/Patient", respond(429, headers={"Retry-After": "8"}))
    policy = RetryPolicy(max_attempts=10, total_budget=20.0)
    with client(server, sleep, policy=policy) as http, pytest.raises(SyncNetworkError):
        http.get("Patient")
    assert sleep.waits == [8.0, 8.0]  # a third 8 s wait would pass 20 s: given up instead
    assert len(server.requests) == 3


def test_a_reset_connection_is_retried(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", reset(), respond_json(200, OK))
    with client(server, sleep) as http:
        assert http.get("Patient").json() == OK
    assert len(server.requests) == 2
    assert sleep.waits == []  # a first drop is retried at once on a new connection


def test_resets_every_time_end_in_a_network_error(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", reset())
    with (
        client(server, sleep, policy=RetryPolicy(max_attempts=3)) as http,
        pytest.raises(SyncNetworkError, match=r"connection dropped.*check the network connection"),
    ):
        http.get("Patient")
    assert len(server.requests) == 3
    assert len(sleep.waits) == 1  # the first drop at once, the second after a backoff


def test_a_stalled_answer_times_out_and_is_retried(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Patient", stall(1.5), respond_json(200, OK))
    with client(server, sleep, timeout=0.3) as http:
        assert http.get("Patient").json() == OK
    assert len(server.requests) == 2
    assert len(sleep.waits) == 1


def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as placeholder:  # a port that nobody listens on
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    sleep = RecordingSleep()
    with (
        FhirHttp(f"http://127.0.0.1:{port}/fhir", sleep=sleep, policy=RetryPolicy(max_attempts=3)) as http,
        pytest.raises(SyncNetworkError, match="connection refused"),
    ):
        http.get("metadata")
    assert len(sleep.waits) == 2


def test_a_slow_but_steady_body_is_not_cut_off(server: FaultServer, sleep: RecordingSleep) -> None:
    # 400 lines in 10 chunks, 0.06 s apart: 0.6 s in all, twice the 0.3 s read timeout.
    server.route("/files/slow.ndjson", trickle(NDJSON, chunk=len(NDJSON) // 10 + 1, pause=0.06))
    with client(server, sleep, timeout=0.3) as http, http.stream(server.url + "/files/slow.ndjson") as r:
        lines = list(r.iter_lines())
    assert len(lines) == 400
    assert lines[-1] == '{"resourceType":"Observation","id":"o0399"}'


def test_a_body_that_stalls_midway_is_a_network_error(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/files/stuck.ndjson", trickle(NDJSON, chunk=1000, pause=2.0))
    with (
        client(server, sleep, timeout=0.3) as http,
        pytest.raises(SyncNetworkError, match="stalled"),
        http.stream(server.url + "/files/stuck.ndjson") as response,
    ):
        for _ in response.iter_bytes():
            pass


def test_a_body_cut_short_is_a_network_error(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/files/cut.ndjson", cut_short(NDJSON, sent=5000))
    with (
        client(server, sleep) as http,
        pytest.raises(SyncNetworkError, match="broke off"),
        http.stream(server.url + "/files/cut.ndjson") as response,
    ):
        response.read()


def test_stream_retries_until_the_body_starts(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route(
        "/files/Patient.ndjson",
        reset(),
        respond(503, headers={"Retry-After": "3"}),
        respond(200, NDJSON, {"Content-Type": "application/fhir+ndjson"}),
    )
    with client(server, sleep) as http, http.stream(server.url + "/files/Patient.ndjson") as response:
        assert response.read() == NDJSON
    assert len(server.requests) == 3
    assert sleep.waits == [3.0]  # the reset at once, the 503 after its Retry-After


def test_get_retries_a_body_cut_short(server: FaultServer, sleep: RecordingSleep) -> None:
    server.route("/fhir/Observation", cut_short(NDJSON, sent=100), respond(200, NDJSON))
    with client(server, sleep) as http:
        assert http.get("Observation").content == NDJSON
    assert len(server.requests) == 2
