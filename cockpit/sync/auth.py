"""Authentication to the FHIR server: a plain bearer token, or SMART Backend Services.

SMART Backend Services (client credentials): the cockpit signs a short-lived JWT with the client's private
key (RS384 or ES384), posts it to the token URL, and gets an access token that it reuses until shortly
before it expires. A 401 on a cached token means the server dropped it early: one fresh token is fetched
and the request repeated once. The token request goes through the same httpx client as everything else,
so it shares its verified TLS, its timeouts and FhirHttp's retries.
"""

from __future__ import annotations

import json
import re
import secrets as random_tokens
import threading
import time
from collections.abc import Callable, Generator
from typing import Final

import httpx
import jwt

from cockpit.errors import SyncAuthError, SyncError
from cockpit.sync.retry import RetryableSyncError
from cockpit.sync.secrets import DEFAULT_SCOPE, SmartClient, SyncSecrets, signing_algorithm
from cockpit.sync.tls import require_secure_url

CLIENT_ASSERTION_TYPE: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# The SMART spec allows at most five minutes; a little less leaves room for clock skew.
ASSERTION_LIFETIME: Final = 240
# Fetch a new token this long before the old one expires (at most a fifth of its lifetime).
_REFRESH_MARGIN: Final = 60.0
_OAUTH_ERROR: Final = re.compile(r"[a-z_]{1,40}")


class BearerAuth(httpx.Auth):
    """A fixed token the server's administrator issued."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


class SmartBackendAuth(httpx.Auth):
    """SMART Backend Services: a signed client assertion buys an access token, cached until near expiry.

    Args:
        client: the client id, token URL, scope and private key (see ``SyncSecrets.smart_client``).
        clock: the current Unix time (tests move it).
    """

    def __init__(self, client: SmartClient, *, clock: Callable[[], float] = time.time) -> None:
        self._client = client
        self._token_url = httpx.URL(client.token_url)
        require_secure_url(self._token_url)
        self._algorithm = signing_algorithm(client.private_key_pem)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        self.tokens_fetched = 0  # for tests and diagnostics: how often the token endpoint issued one

    @property
    def algorithm(self) -> str:
        return self._algorithm

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._cached_token()
        fresh = token is None
        if token is None:
            token = yield from self._fetch_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401 and not fresh:
            self._forget(token)
            token = yield from self._fetch_token()
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # Only reached through httpx's async client, which the sync does not use: fail loudly rather than
        # send the request without credentials.
        raise NotImplementedError("SmartBackendAuth works with httpx.Client only")

    def client_assertion(self) -> str:
        """A signed JWT naming this client to the token URL; valid for ASSERTION_LIFETIME seconds."""
        now = int(self._clock())
        claims = {
            "iss": self._client.client_id,
            "sub": self._client.client_id,
            "aud": self._client.token_url,
            "jti": random_tokens.token_urlsafe(24),
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
        }
        headers = {"typ": "JWT"}
        if self._client.key_id is not None:
            headers["kid"] = self._client.key_id
        return jwt.encode(claims, self._client.private_key_pem, algorithm=self._algorithm, headers=headers)

    def _cached_token(self) -> str | None:
        with self._lock:
            if self._token is not None and self._clock() < self._refresh_at:
                return self._token
            return None

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch_token(self) -> Generator[httpx.Request, httpx.Response, str]:
        token_request = httpx.Request(
            "POST",
            self._token_url,
            headers={"Accept": "application/json"},
            data={
                "grant_type": "client_credentials",
                "scope": self._client.scope,
                "client_assertion_type": CLIENT_ASSERTION_TYPE,
                "client_assertion": self.client_assertion(),
            },
        )
        asked_at = self._clock()
        response = yield token_request
        response.read()
        token, lifetime = _read_token_response(response)
        with self._lock:
            self._token = token
            self._refresh_at = asked_at + lifetime - min(_REFRESH_MARGIN, lifetime / 5)
            self.tokens_fetched += 1
        return token

    def __repr__(self) -> str:
        return f"SmartBackendAuth(client_id={self._client.client_id!r})"


def _read_token_response(response: httpx.Response) -> tuple[str, float]:
    """The access token and its lifetime in seconds; raises with a message that says what to do."""
    status = response.status_code
    if status == 429 or status >= 500:
        raise RetryableSyncError(f"token server HTTP {status}", response.headers.get("Retry-After"))
    try:
        answer = json.loads(response.content)
    except ValueError:
        answer = None
    if status in (400, 401, 403):
        error = answer.get("error") if isinstance(answer, dict) else None
        code = error if isinstance(error, str) and _OAUTH_ERROR.fullmatch(error) else f"HTTP {status}"
        raise SyncAuthError(
            f"The token server refused the sync client ({code}): check the client id in the sync settings "
            "and that the server has this client's public key (see `cockpit sync-auth show`)."
        )
    if status != 200:
        raise SyncError(
            f"The token URL answered HTTP {status}: check the token URL in the sync settings "
            "(`cockpit sync-auth set-key … --token-url URL`)."
        )
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token or any(ch.isspace() for ch in token):
        raise SyncAuthError(
            "The token server's answer held no usable access token: check the token URL in the sync settings."
        )
    expires_in = answer.get("expires_in") if isinstance(answer, dict) else None
    # Without expires_in the token is used for five minutes, then replaced: safe whatever it really is.
    lifetime = float(expires_in) if isinstance(expires_in, int | float) and expires_in > 0 else 300.0
    return token, min(lifetime, 24 * 3600.0)


AUTH_KINDS: Final = ("none", "bearer", "smart")


def auth_from_settings(
    kind: str,
    client_id: str | None = None,
    token_url: str | None = None,
    *,
    scope: str | None = None,
    secrets: SyncSecrets | None = None,
) -> httpx.Auth | None:
    """The httpx.Auth for the sync settings, with the secret from the OS keyring.

    Args:
        kind: "none" (no auth), "bearer" (the saved token) or "smart" (SMART Backend Services with the
            saved private key).
        client_id, token_url, scope: for "smart", override what `cockpit sync-auth set-key` saved.
        secrets: where the secrets are (the default keyring profile when None).

    Raises:
        SyncAuthError: the secret for that kind is not saved (the message names the command to save it).
        SyncError: an unknown kind.
        KeyringUnavailableError: no usable OS keyring.
    """
    if kind == "none":
        return None
    if kind not in AUTH_KINDS:
        raise SyncError(f"Unknown sync authentication {kind!r}: use one of {', '.join(AUTH_KINDS)}.")
    secrets = secrets if secrets is not None else SyncSecrets()
    if kind == "bearer":
        token = secrets.token()
        if token is None:
            raise SyncAuthError("No sync token is saved: save it with `cockpit sync-auth set-token`.")
        return BearerAuth(token)
    saved = secrets.smart_client()
    if saved is None:
        raise SyncAuthError(
            "No sync client key is saved: save it with "
            "`cockpit sync-auth set-key FILE.pem --client-id ID --token-url URL`."
        )
    client = SmartClient(
        client_id=client_id or saved.client_id,
        token_url=token_url or saved.token_url,
        private_key_pem=saved.private_key_pem,
        key_id=saved.key_id,
        scope=scope or saved.scope or DEFAULT_SCOPE,
    )
    return SmartBackendAuth(client)
