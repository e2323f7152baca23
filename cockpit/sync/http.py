"""The HTTP layer under the sync engine: one keep-alive httpx client that retries what is worth retrying.

Timeouts, connection resets and 429/502/503/504 are retried with backoff (the server's ``Retry-After``
wins, clamped); 401/403 become ``SyncAuthError``; any other 4xx is never retried and becomes ``SyncError``
with the server's OperationOutcome summarised; a certificate that does not verify is ``SyncTLSError`` and
is never retried. Messages say what to do and never carry a response body that could hold patient data.

Only the status and headers are retried in ``stream``: once the body flows, the caller owns it (the engine
resumes from its checkpoint); failures while reading it inside the ``with`` block become
``SyncNetworkError``. Nothing here touches the body per line or per chunk.

Deadlines (issue 21): the read timeout bounds only the silence between two reads, so a server that sends
a few bytes a second would keep a sync for ever. Every body (``get``'s, and a stream read through
``body``) must therefore arrive at ``min_rate`` bytes a second on average once ``grace`` seconds have
passed: the deadline of a download is ``grace + size / min_rate``, checked as its bytes come (so an
announced size needs no trust). ``deadline`` (a ``time.monotonic()`` value, set by the engine) ends the
whole sync's use of the server, waits between attempts included. Either ends in ``SyncStalledError``,
"the server stopped sending", never retried. ``get`` reads at most ``max_body`` bytes (a page is held
whole to be parsed).
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Final

import httpx

from cockpit.errors import SyncAuthError, SyncError, SyncNetworkError, SyncTLSError
from cockpit.sync.outcome import describe_target, summarise_outcome
from cockpit.sync.retry import RetryableSyncError, RetryClock, RetryPolicy
from cockpit.sync.tls import require_secure_url, verifying_context

log = logging.getLogger(__name__)
# httpx logs every request's full URL at INFO (and httpcore its traffic at DEBUG): queries can name a
# patient, and bulk-data file URLs can carry signatures. `cockpit -v`/`--debug` must not print them.
for _chatty in ("httpx", "httpcore"):
    logging.getLogger(_chatty).setLevel(logging.WARNING)

MIB: Final = 1 << 20
MIN_RATE: Final = 2048.0  # bytes a second: a 2G (EDGE) link makes several times that
GRACE_S: Final = 60.0
MAX_BODY: Final = 32 * MIB
# A body read whole is handed on decoded: these headers no longer describe it.
_BODY_HEADERS: Final = frozenset({"content-encoding", "content-length", "transfer-encoding"})
# The most of an error response we read to find an OperationOutcome in it.
_ERROR_BODY_LIMIT: Final = 64 * 1024
_DROPPED_CONNECTION: Final = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
_RETRIED_TRANSPORT_ERRORS: Final = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.DecodingError,
)


class FhirHttp:
    """GETs against one FHIR server, with retries, authentication and verified TLS.

    Args:
        base_url: the server's FHIR base (``https://…/fhir``); relative URLs are resolved against it.
            Plain ``http://`` is refused except on the loopback interface.
        auth: an httpx.Auth (see ``cockpit.sync.auth``); sent only to the base URL's origin, never to a
            host a server response points us at.
        ca_bundle: extra CA certificates (PEM) to trust besides the system's.
        timeout: seconds for connecting and between two reads; a slow but steady body is not cut off.
        policy: the retry policy (``RetryPolicy()`` when None).
        transport: an httpx transport for tests; it brings its own TLS settings.
        sleep: how to wait between attempts (tests pass one that records).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        ca_bundle: Path | None = None,
        timeout: float = 60.0,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        min_rate: float = MIN_RATE,
        grace: float = GRACE_S,
        max_body: int = MAX_BODY,
    ) -> None:
        url = httpx.URL(base_url.rstrip("/") + "/")
        self.min_rate = min_rate
        self.grace = grace
        self.max_body = max_body
        self.deadline: float | None = None  # time.monotonic() by which the sync is done with the server
        require_secure_url(url)
        self.base_url: str = str(url)
        self._origin = _origin(url)
        self._auth = auth
        self._policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=self.base_url,
            verify=verifying_context(ca_bundle),
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 20.0)),
            follow_redirects=True,
            # Every request, redirects included: a redirect must not downgrade to plain http.
            event_hooks={"request": [_check_secure_request]},
            headers={"Accept": "application/fhir+json", "User-Agent": "patient-cockpit"},
        )

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """GET ``url`` and read the body (at most ``max_body`` bytes, within the deadlines); returns any
        2xx response (202 included)."""
        request = self._client.build_request("GET", url, params=params, headers=headers)
        return self._send(request, stream=False)

    def body(self, response: httpx.Response) -> Iterator[bytes]:
        """A streamed response's body (decompressed), as it arrives, within the deadlines. (No block size:
        httpx would hold the bytes until a block is full, and the deadlines would not see them come.)"""
        watch = _Watch(self, response.request)
        for data in response.iter_bytes():
            watch.received(len(data))
            yield data

    def check_deadline(self, what: str = "the sync") -> None:
        """SyncStalledError once the sync's deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SyncStalledError(f"{what} did not end within the sync's deadline")

    def stream(
        self, url: str, *, headers: Mapping[str, str] | None = None
    ) -> contextlib.AbstractContextManager[httpx.Response]:
        """GET ``url`` and hand over the open 2xx response for streaming (``iter_bytes``, ``iter_lines``,
        decompressed); retried like ``get`` until the body starts."""
        request = self._client.build_request("GET", url, headers=headers)
        return self._streaming(request)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> FhirHttp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _streaming(self, request: httpx.Request) -> Iterator[httpx.Response]:
        response = self._send(request, stream=True)
        try:
            yield response
        except httpx.TimeoutException:
            raise SyncNetworkError(
                f"The download from {self._origin} stalled: check the network connection and sync again."
            ) from None
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.DecodingError) as exc:
            raise SyncNetworkError(
                f"The download from {self._origin} broke off ({_describe_transport(exc)}): check the "
                "network connection and sync again."
            ) from None
        finally:
            response.close()

    def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        require_secure_url(request.url)
        auth = self._auth if _origin(request.url) == self._origin else None
        clock = RetryClock(self._policy, self._sleep)
        while True:
            clock.attempts += 1
            retry_after: str | None = None
            self.check_deadline(describe_target(request.url, self.base_url))
            try:
                response = self._client.send(request, auth=auth, stream=True)
                if not stream and response.is_success:
                    response = self._read(request, response)
            except RetryableSyncError as exc:
                problem, retry_after = str(exc), exc.retry_after
            except httpx.RequestError as exc:
                self._raise_unless_retryable(exc)
                problem = _describe_transport(exc)
                if clock.attempts == 1 and isinstance(exc, _DROPPED_CONNECTION):
                    # Most likely a kept-alive connection the server had just closed: a new one needs no
                    # wait (once; a second drop backs off as usual).
                    continue
            else:
                if response.is_success:
                    return response
                if response.status_code not in self._policy.retry_statuses:
                    raise self._refusal(request, response)
                problem = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After")
                response.close()
            wait = clock.next_wait(retry_after)
            if wait is None:
                raise SyncNetworkError(
                    f"The FHIR server at {self._origin} kept failing ({problem}) after {clock.attempts} "
                    "attempts: check the network connection, or try again later if the server is busy or "
                    "down."
                )
            if self.deadline is not None and time.monotonic() + wait > self.deadline:
                target = describe_target(request.url, self.base_url)
                raise SyncStalledError(f"{target} kept failing ({problem}) until the sync's deadline")
            # The target names no id or query, so this line is safe in any log.
            log.info(
                "%s: %s, attempt %d; retrying in %.1f s",
                describe_target(request.url, self.base_url),
                problem,
                clock.attempts,
                wait,
            )
            clock.wait(wait)

    def _read(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """The response with its body read (within ``max_body`` and the deadlines); closes the stream."""
        watch = _Watch(self, request)
        chunks: list[bytes] = []
        size = 0
        try:
            for data in response.iter_bytes():
                size += len(data)
                if size > self.max_body:
                    target = describe_target(request.url, self.base_url)
                    raise SyncError(
                        f"The server's answer for {target} is larger than the limit of "
                        f"{self.max_body / MIB:,.1f} MB (max_page_mb in the sync settings): "
                        "raise it if the server's pages are that large, or tell the server's administrator."
                    )
                watch.received(len(data))
                chunks.append(data)
        finally:
            response.close()
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _BODY_HEADERS]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=b"".join(chunks),
            request=request,
            extensions=response.extensions,
        )

    def _raise_unless_retryable(self, exc: httpx.RequestError) -> None:
        verify_failure = _certificate_failure(exc)
        if verify_failure is not None:
            raise SyncTLSError(
                f"The certificate of {self._origin} could not be verified ({verify_failure}). If the "
                "practice's server uses its own certificate authority, set its CA bundle in the sync "
                "settings; otherwise do not sync: the connection may not be the practice's server."
            ) from None
        if isinstance(exc, httpx.ConnectError) and _ssl_failure(exc):
            raise SyncTLSError(
                f"A secure connection to {self._origin} could not be set up: check that the server URL "
                "is right and that the server offers TLS 1.2 or newer."
            ) from None
        if isinstance(exc, _RETRIED_TRANSPORT_ERRORS):
            return
        if isinstance(exc, httpx.TooManyRedirects):
            raise SyncError(
                f"The FHIR server at {self._origin} redirects in circles: check the server URL in the sync "
                "settings."
            ) from None
        raise SyncError(
            f"The request to {self._origin} could not be made ({type(exc).__name__}): check the server URL "
            "in the sync settings."
        ) from None

    def _refusal(self, request: httpx.Request, response: httpx.Response) -> SyncError:
        """The error for a response that is neither 2xx nor worth retrying; closes the response."""
        status = response.status_code
        body = _read_limited(response, _ERROR_BODY_LIMIT)
        said = summarise_outcome(body, response.headers.get("Content-Type", ""))
        said = f" The server said: {said}." if said else ""
        target = describe_target(request.url, self.base_url)
        if status == 401:
            return SyncAuthError(
                f"The server refused the sync credentials (HTTP 401 for {target}): check the client id and "
                f"key (or the token) in the sync settings.{said}"
            )
        if status == 403:
            return SyncAuthError(
                f"The server does not let this sync client read {target} (HTTP 403): ask the server's "
                f"administrator to grant it read access (scope system/*.read).{said}"
            )
        if status == 404:
            return SyncError(
                f"The server has nothing at {target} (HTTP 404): check the server URL in the sync settings."
                f"{said}"
            )
        if 400 <= status < 500:
            return SyncError(
                f"The server rejected the request for {target} (HTTP {status}): it may not support what "
                f"the sync asks for; tell the server's administrator.{said}"
            )
        if status >= 500:
            return SyncError(
                f"The server failed on {target} (HTTP {status}): try again later; if it persists, tell the "
                f"server's administrator.{said}"
            )
        return SyncError(
            f"The server answered {target} with an unexpected HTTP {status}: check the server URL in the "
            "sync settings."
        )


class SyncStalledError(SyncNetworkError):
    """A deadline was reached: "the server stopped sending". Never retried; what was staged stays."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The server stopped sending ({detail}). What was complete is kept: the next sync continues "
            "from there; if it keeps happening, tell the server's administrator (the deadlines are in the "
            "sync settings: cockpit sync --help)."
        )


class _Watch:
    """The deadlines of one body: the sync's, and ``grace + received / min_rate`` from its start."""

    def __init__(self, http: FhirHttp, request: httpx.Request) -> None:
        self.http = http
        self.request = request
        self.started = time.monotonic()
        self.size = 0

    def received(self, count: int) -> None:
        self.size += count
        now = time.monotonic()
        http = self.http
        if now - self.started > http.grace + self.size / http.min_rate:
            raise SyncStalledError(
                f"{describe_target(self.request.url, http.base_url)} came at less than "
                f"{http.min_rate / 1024:,.1f} KB/s"
            )
        if http.deadline is not None and now > http.deadline:
            raise SyncStalledError(
                f"{describe_target(self.request.url, http.base_url)} was not done by the sync's deadline"
            )


def _check_secure_request(request: httpx.Request) -> None:
    require_secure_url(request.url)


def _read_limited(response: httpx.Response, limit: int) -> bytes:
    try:
        if response.is_stream_consumed:
            return response.content[:limit]
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                break
        return b"".join(chunks)[:limit]
    except (httpx.HTTPError, httpx.StreamError):
        return b""  # the status alone still explains the failure
    finally:
        response.close()


def _origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _certificate_failure(exc: BaseException) -> str | None:
    for link in _exception_chain(exc):
        if isinstance(link, ssl.SSLCertVerificationError):
            return link.verify_message or "certificate verify failed"
    return None


def _ssl_failure(exc: BaseException) -> bool:
    # An EOF during the handshake is a dropped connection, worth a retry; other SSL errors are set-up.
    return any(
        isinstance(link, ssl.SSLError) and not isinstance(link, ssl.SSLEOFError | ssl.SSLZeroReturnError)
        for link in _exception_chain(exc)
    )


def _describe_transport(exc: httpx.RequestError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host not found"
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return "connection dropped"
    if isinstance(exc, httpx.DecodingError):
        return "damaged compressed data"
    return type(exc).__name__
