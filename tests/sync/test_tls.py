"""TLS is always verified: a real HTTPS server on 127.0.0.1 with a throwaway CA made in the test."""

import inspect
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.errors import SyncTLSError
from cockpit.sync.http import FhirHttp
from cockpit.sync.tls import verifying_context
from tests.sync.transport_fixtures import (
    FaultServer,
    RecordingSleep,
    ThrowawayPKI,
    make_pki,
    respond_json,
    serve,
)

OK = {"resourceType": "CapabilityStatement"}


@pytest.fixture
def pki(tmp_path: Path) -> ThrowawayPKI:
    return make_pki(tmp_path / "pki")


@pytest.fixture
def https_server(pki: ThrowawayPKI) -> Iterator[FaultServer]:
    for server in serve(pki.server_context):
        server.route("/fhir/metadata", respond_json(200, OK))
        yield server


def test_a_certificate_from_an_unknown_ca_is_refused_with_advice(https_server: FaultServer) -> None:
    sleep = RecordingSleep()
    with FhirHttp(https_server.url + "/fhir", sleep=sleep) as http, pytest.raises(SyncTLSError) as caught:
        http.get("metadata")
    message = str(caught.value)
    assert "could not be verified (unable to get local issuer certificate)" in message
    assert "set its CA bundle in the sync settings" in message
    assert sleep.waits == []  # a certificate problem is not retried
    assert https_server.requests == []  # nothing was sent


def test_the_configured_ca_bundle_is_trusted(https_server: FaultServer, pki: ThrowawayPKI) -> None:
    with FhirHttp(https_server.url + "/fhir", ca_bundle=pki.ca_bundle) as http:
        assert http.get("metadata").json() == OK
    assert len(https_server.requests) == 1


def test_the_host_name_is_checked_too(tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki", server_names=("fhir.example.dk",))
    for server in serve(pki.server_context):
        with (
            FhirHttp(server.url + "/fhir", ca_bundle=pki.ca_bundle, sleep=RecordingSleep()) as http,
            pytest.raises(SyncTLSError, match="mismatch"),
        ):
            http.get("metadata")


def test_the_context_always_verifies(pki: ThrowawayPKI) -> None:
    for context in (verifying_context(), verifying_context(pki.ca_bundle)):
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname
        assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_there_is_no_switch_to_turn_verification_off() -> None:
    for function in (FhirHttp.__init__, verifying_context):
        names = set(inspect.signature(function).parameters)
        assert not names & {"verify", "insecure", "verify_tls", "check_hostname"}


def test_a_missing_or_unreadable_ca_bundle_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SyncTLSError, match="does not exist"):
        verifying_context(tmp_path / "nowhere.pem")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(SyncTLSError, match="could not be read as PEM"):
        verifying_context(garbage)
