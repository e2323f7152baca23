"""The TLS context for the practice's FHIR server: always verifying.

There is deliberately no way to switch verification off: patient data travels over this connection. A
practice whose server uses a private CA configures that CA's bundle, which is trusted *in addition* to the
system's roots.
"""

from __future__ import annotations

import functools
import ssl
from pathlib import Path
from typing import Final

import certifi
import httpx

from cockpit.errors import SyncError, SyncTLSError

_LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})


def require_secure_url(url: httpx.URL) -> None:
    """Refuse a URL that would send patient data or credentials unencrypted: https only, except on the
    loopback interface (a local test server)."""
    if url.scheme == "https" or (url.scheme == "http" and url.host in _LOOPBACK_HOSTS):
        return
    raise SyncError(
        f"The sync only talks to servers over https:// (got {url.scheme}://{url.host}): correct the "
        "URL in the sync settings."
    )


def verifying_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """A client context that checks the certificate chain and the host name (TLS 1.2 or newer).

    Contexts are shared (building one reads every root certificate, ~50 ms); a changed bundle file gets a
    new one.
    """
    if ca_bundle is None:
        return _context(None, None)
    try:
        stat = ca_bundle.stat()
    except FileNotFoundError:
        raise SyncTLSError(
            f"The CA bundle {ca_bundle} does not exist: check the CA bundle path in the sync settings."
        ) from None
    except OSError as exc:
        raise SyncTLSError(
            f"The CA bundle {ca_bundle} cannot be read ({type(exc).__name__}): check the CA bundle path "
            "in the sync settings."
        ) from None
    return _context(str(ca_bundle), (stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _context(ca_bundle: str | None, version: tuple[int, int] | None) -> ssl.SSLContext:
    del version  # part of the cache key only
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if context.cert_store_stats()["x509_ca"] == 0:  # no system roots (some Windows/macOS builds)
        context.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=ca_bundle)
        except (ssl.SSLError, OSError) as exc:
            raise SyncTLSError(
                f"The CA bundle {ca_bundle} could not be read as PEM certificates ({type(exc).__name__}): "
                "check the CA bundle path in the sync settings."
            ) from None
    # Belt and braces: create_default_context sets these, and nothing here may ever weaken them.
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise RuntimeError("TLS verification must be on")
    return context
