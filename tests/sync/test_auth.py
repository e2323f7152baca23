"""SMART Backend Services and bearer tokens against a real token endpoint on 127.0.0.1 that verifies the
client assertion with the client's public key, as a FHIR authorization server does."""

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from cockpit.errors import InputError, SyncAuthError, SyncError
from cockpit.sync.auth import CLIENT_ASSERTION_TYPE, BearerAuth, SmartBackendAuth
from cockpit.sync.http import FhirHttp
from cockpit.sync.secrets import SmartClient
from tests.sync.transport_fixtures import FaultHandler, FaultServer, RecordingSleep, respond, serve

CLIENT_ID = "cockpit-test-client"
BUNDLE = {"resourceType": "Bundle", "type": "searchset"}


def pem(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@dataclass
class AuthServer:
    """A token endpoint and a FHIR endpoint that accepts only the tokens the endpoint issued."""

    server: FaultServer
    public_key: Any
    algorithm: str
    expires_in: int = 300
    valid: set[str] = field(default_factory=set)
    seen_jti: set[str] = field(default_factory=set)
    assertions: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def token_url(self) -> str:
        return self.server.url + "/auth/token"

    def issue(self, handler: FaultHandler) -> None:
        form = {k: v[0] for k, v in urllib.parse.parse_qs(handler.body.decode()).items()}
        if form.get("grant_type") != "client_credentials":
            return self._refuse(handler, 400, "unsupported_grant_type")
        if form.get("client_assertion_type") != CLIENT_ASSERTION_TYPE or form.get("scope") != "system/*.read":
            return self._refuse(handler, 400, "invalid_request")
        assertion = form.get("client_assertion", "")
        try:
            claims = jwt.decode(
                assertion,
                self.public_key,
                algorithms=[self.algorithm],
                audience=self.token_url,
                issuer=CLIENT_ID,
                options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
                leeway=600,  # the tests move the client's clock up to a few minutes ahead
            )
        except jwt.PyJWTError:
            return self._refuse(handler, 401, "invalid_client")
        with self.lock:
            fresh_jti = claims["jti"] not in self.seen_jti
            self.seen_jti.add(claims["jti"])
            self.assertions.append(claims)
            self.headers.append(jwt.get_unverified_header(assertion))
            token = f"token-{len(self.assertions)}"
            self.valid.add(token)
        if claims["sub"] != CLIENT_ID or not fresh_jti or claims["exp"] - claims["iat"] > 300:
            return self._refuse(handler, 401, "invalid_client")
        answer = {"access_token": token, "token_type": "bearer", "expires_in": self.expires_in}
        handler.send(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})
        return None

    def resource(self, handler: FaultHandler) -> None:
        sent = handler.headers.get("Authorization", "")
        with self.lock:
            allowed = sent.startswith("Bearer ") and sent[7:] in self.valid
        if allowed:
            handler.send(200, json.dumps(BUNDLE).encode(), {"Content-Type": "application/fhir+json"})
        else:
            handler.send(401, b"", {"WWW-Authenticate": "Bearer"})

    def revoke_all(self) -> None:
        with self.lock:
            self.valid.clear()

    def _refuse(self, handler: FaultHandler, status: int, error: str) -> None:
        body = json.dumps({"error": error, "error_description": "patient 0101011234 nope"}).encode()
        handler.send(status, body, {"Content-Type": "application/json"})


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def auth_server(server: FaultServer, key: Any, algorithm: str) -> AuthServer:
    auth = AuthServer(server, key.public_key(), algorithm)
    server.route("/auth/token", auth.issue)
    server.route("/fhir/Patient", auth.resource)
    return auth


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def smart(auth: AuthServer, key: Any, clock: Clock | None = None, **changes: Any) -> SmartBackendAuth:
    client = SmartClient(CLIENT_ID, auth.token_url, pem(key), **changes)
    return SmartBackendAuth(client, clock=clock or Clock())


@pytest.mark.parametrize(("key_name", "algorithm"), [("rsa_key", "RS384"), ("ec_key", "ES384")])
def test_smart_backend_token_is_fetched_once_and_reused(
    server: FaultServer, request: pytest.FixtureRequest, key_name: str, algorithm: str
) -> None:
    key = request.getfixturevalue(key_name)
    authority = auth_server(server, key, algorithm)
    auth = smart(authority, key)
    assert auth.algorithm == algorithm
    with FhirHttp(server.url + "/fhir", auth=auth, sleep=RecordingSleep()) as http:
        assert http.get("Patient").json() == BUNDLE
        assert http.get("Patient").json() == BUNDLE
    assert len(server.requests_to("/auth/token")) == 1
    assert auth.tokens_fetched == 1
    assert [r.headers["authorization"] for r in server.requests_to("/fhir/Patient")] == ["Bearer token-1"] * 2
    (claims,) = authority.assertions
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["aud"] == authority.token_url
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert authority.headers[0]["alg"] == algorithm


def test_token_is_renewed_shortly_before_it_expires(server: FaultServer, rsa_key: Any) -> None:
    authority = auth_server(server, rsa_key, "RS384")
    clock = Clock()
    auth = smart(authority, rsa_key, clock)
    with FhirHttp(server.url + "/fhir", auth=auth, sleep=RecordingSleep()) as http:
        http.get("Patient")
        clock.offset = 230.0  # 300 s token, renewed 60 s before expiry: still good at 230 s
        http.get("Patient")
        assert auth.tokens_fetched == 1
        clock.offset = 241.0
        http.get("Patient")
        assert auth.tokens_fetched == 2
    assert len(authority.seen_jti) == 2  # every assertion has its own jti


def test_a_401_on_a_cached_token_fetches_one_new_token(server: FaultServer, ec_key: Any) -> None:
    authority = auth_server(server, ec_key, "ES384")
    auth = smart(authority, ec_key)
    with FhirHttp(server.url + "/fhir", auth=auth, sleep=RecordingSleep()) as http:
        http.get("Patient")
        authority.revoke_all()  # the server drops its tokens early (restart, key rotation)
        assert http.get("Patient").json() == BUNDLE
    assert auth.tokens_fetched == 2
    assert [r.headers["authorization"] for r in server.requests_to("/fhir/Patient")] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_resource_that_keeps_refusing_costs_one_refresh_then_an_auth_error(
    server: FaultServer, ec_key: Any
) -> None:
    authority = auth_server(server, ec_key, "ES384")
    auth = smart(authority, ec_key)
    with FhirHttp(server.url + "/fhir", auth=auth, sleep=RecordingSleep()) as http:
        http.get("Patient")
        server.route("/fhir/Patient", respond(401))
        with pytest.raises(SyncAuthError, match="check the client id and key"):
            http.get("Patient")
    assert auth.tokens_fetched == 2
    assert len(server.requests_to("/fhir/Patient")) == 3


def test_a_fresh_token_that_is_refused_is_not_refreshed(server: FaultServer, ec_key: Any) -> None:
    authority = auth_server(server, ec_key, "ES384")
    server.route("/fhir/Patient", respond(401))
    auth = smart(authority, ec_key)
    with (
        FhirHttp(server.url + "/fhir", auth=auth, sleep=RecordingSleep()) as http,
        pytest.raises(SyncAuthError),
    ):
        http.get("Patient")
    assert auth.tokens_fetched == 1
    assert len(server.requests_to("/fhir/Patient")) == 1


def test_an_assertion_signed_with_the_wrong_key_is_refused_with_advice(
    server: FaultServer, ec_key: Any
) -> None:
    authority = auth_server(server, ec_key, "ES384")
    impostor = ec.generate_private_key(ec.SECP384R1())
    auth = smart(authority, impostor)
    sleep = RecordingSleep()
    with (
        FhirHttp(server.url + "/fhir", auth=auth, sleep=sleep) as http,
        pytest.raises(SyncAuthError) as caught,
    ):
        http.get("Patient")
    message = str(caught.value)
    assert "refused the sync client (invalid_client)" in message
    assert "public key" in message
    assert "0101011234" not in message  # the server's free text is not repeated
    assert sleep.waits == []
    assert len(server.requests_to("/auth/token")) == 1
    assert server.requests_to("/fhir/Patient") == []


def test_a_busy_token_endpoint_is_retried_after_its_retry_after(server: FaultServer, rsa_key: Any) -> None:
    authority = auth_server(server, rsa_key, "RS384")
    server.route("/auth/token", respond(503, headers={"Retry-After": "4"}), authority.issue)
    sleep = RecordingSleep()
    with FhirHttp(server.url + "/fhir", auth=smart(authority, rsa_key), sleep=sleep) as http:
        assert http.get("Patient").json() == BUNDLE
    assert sleep.waits == [4.0]
    assert len(server.requests_to("/auth/token")) == 2


def test_a_token_url_that_is_wrong_says_so(server: FaultServer, rsa_key: Any) -> None:
    authority = auth_server(server, rsa_key, "RS384")
    server.route("/auth/token", respond(404))
    with (
        FhirHttp(server.url + "/fhir", auth=smart(authority, rsa_key), sleep=RecordingSleep()) as http,
        pytest.raises(SyncError, match="check the token URL"),
    ):
        http.get("Patient")


def test_assertion_claims_and_kid(rsa_key: Any) -> None:
    client = SmartClient(CLIENT_ID, "https://auth.example.dk/token", pem(rsa_key), key_id="key-2026")
    auth = SmartBackendAuth(client)
    first, second = auth.client_assertion(), auth.client_assertion()
    assert jwt.get_unverified_header(first) == {"alg": "RS384", "typ": "JWT", "kid": "key-2026"}
    claims = jwt.decode(
        first, rsa_key.public_key(), algorithms=["RS384"], audience="https://auth.example.dk/token"
    )
    assert claims["exp"] - claims["iat"] == 240
    other = jwt.decode(
        second, rsa_key.public_key(), algorithms=["RS384"], audience="https://auth.example.dk/token"
    )
    assert claims["jti"] != other["jti"]


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), "shorter than 2048"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "P-384"),
    ],
)
def test_keys_that_cannot_sign_rs384_or_es384_are_refused(key: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        SmartBackendAuth(SmartClient(CLIENT_ID, "https://auth.example.dk/token", pem(key())))


def test_a_token_url_over_plain_http_is_refused(ec_key: Any) -> None:
    with pytest.raises(SyncError, match="https://"):
        SmartBackendAuth(SmartClient(CLIENT_ID, "http://auth.example.dk/token", pem(ec_key)))


def test_the_private_key_never_shows_in_a_repr(ec_key: Any) -> None:
    client = SmartClient(CLIENT_ID, "https://auth.example.dk/token", pem(ec_key))
    assert "PRIVATE" not in repr(client)
    assert "PRIVATE" not in repr(SmartBackendAuth(client))
    assert "tok" not in repr(BearerAuth("tok-123"))


def test_bearer_token_is_sent_and_a_refusal_is_an_auth_error(server: FaultServer) -> None:
    server.route("/fhir/Patient", respond(401))
    with (
        FhirHttp(server.url + "/fhir", auth=BearerAuth("abc.def"), sleep=RecordingSleep()) as http,
        pytest.raises(SyncAuthError),
    ):
        http.get("Patient")
    assert server.requests[0].headers["authorization"] == "Bearer abc.def"
