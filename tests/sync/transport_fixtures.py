"""A real HTTP(S) server on 127.0.0.1 that misbehaves on demand, for the sync transport's tests.

Each path gets a queue of actions; each request to the path takes the next one, and the last one repeats
(so ``route("/x", respond(503))`` means "always busy"). Actions are plain functions of the request
handler: answer with a status, reset the connection, stall, trickle a body, cut a body short.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

Action = Callable[["FaultHandler"], None]


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    client_port: int  # tells keep-alive (same port) from new connections


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real FHIR server
    server: FaultServer
    body: bytes = b""  # the current request's body, for actions that read it

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        recorded = Recorded(self.command, self.path, headers, body, self.client_address[1])
        self.body = body
        action = self.server.take(recorded)
        action(self)

    def send(self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0), as a crashed proxy or a dropped NAT entry does."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.requests: list[Recorded] = []
        self._routes: dict[str, list[Action]] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def route(self, path: str, *actions: Action) -> None:
        """Queue ``actions`` for requests to ``path`` (without the query); the last one repeats."""
        with self._lock:
            self._routes[path] = list(actions)

    def take(self, request: Recorded) -> Action:
        with self._lock:
            self.requests.append(request)
            queue = self._routes.get(request.path.split("?", 1)[0])
            if not queue:
                return respond(404)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def requests_to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # resets and stalls end connections rudely on purpose


@dataclass
class RunningServer:
    server: FaultServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def start(tls: ssl.SSLContext | None = None) -> RunningServer:
    server = FaultServer(tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return RunningServer(server, thread)


# Actions ----------------------------------------------------------------------------------------------


def respond(status: int, body: bytes = b"", headers: Mapping[str, str] | None = None) -> Action:
    return lambda handler: handler.send(status, body, headers)


def respond_json(status: int, document: object, headers: Mapping[str, str] | None = None) -> Action:
    merged = {"Content-Type": "application/fhir+json", **(headers or {})}
    return respond(status, json.dumps(document).encode(), merged)


def reset() -> Action:
    return lambda handler: handler.reset()


def stall(seconds: float) -> Action:
    """Read the request, then say nothing for ``seconds`` before dropping the connection."""

    def act(handler: FaultHandler) -> None:
        time.sleep(seconds)
        handler.close_connection = True

    return act


def trickle(body: bytes, chunk: int, pause: float) -> Action:
    """Send ``body`` slowly: ``chunk`` bytes, then ``pause`` seconds, and so on."""

    def act(handler: FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/fhir+ndjson")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for start_at in range(0, len(body), chunk):
            handler.wfile.write(body[start_at : start_at + chunk])
            handler.wfile.flush()
            time.sleep(pause)

    return act


def cut_short(body: bytes, sent: int) -> Action:
    """Announce all of ``body`` but send only ``sent`` bytes, then reset."""

    def act(handler: FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/fhir+ndjson")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:sent])
        handler.wfile.flush()
        handler.reset()

    return act


def outcome(code: str, diagnostics: str) -> dict[str, object]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


class RecordingSleep:
    """Stands in for time.sleep: records the waits and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


# A throwaway CA and a server certificate for 127.0.0.1 -------------------------------------------------


@dataclass(frozen=True)
class ThrowawayPKI:
    ca_bundle: Path
    server_context: ssl.SSLContext


def make_pki(directory: Path, *, server_names: tuple[str, ...] = ("127.0.0.1", "localhost")) -> ThrowawayPKI:
    """A CA and a server certificate for ``server_names`` (IP addresses or DNS names), signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cockpit Test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    alt_names: list[x509.GeneralName] = []
    for name in server_names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, server_names[0])]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    ca_bundle = directory / "ca.pem"
    ca_bundle.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    chain = directory / "server.pem"
    chain.write_bytes(
        server_cert.public_bytes(serialization.Encoding.PEM)
        + server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(chain)
    return ThrowawayPKI(ca_bundle=ca_bundle, server_context=context)


def serve(tls: ssl.SSLContext | None = None) -> Iterator[FaultServer]:
    """Body of a pytest fixture: a running server, stopped afterwards."""
    running = start(tls)
    try:
        yield running.server
    finally:
        running.stop()
