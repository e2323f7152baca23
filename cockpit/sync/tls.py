"""The TLS context for the practice's FHIR server: always verifying.

There is deliberately no way to switch verification off: patient data travels over this connection. A
practice whose server uses a private CA configures that CA's bundle, which is trusted *in addition* to the
system's roots.
"""

from __future__ import annotations

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
    """A client context that checks the certificate chain and the host name (TLS 1.2 or newer)."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    # The system's roots when it has them, certifi's otherwise (Windows/macOS builds without a CA path).
    context.load_verify_locations(cafile=certifi.where())
    if ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(ca_bundle))
        except FileNotFoundError:
            raise SyncTLSError(
                f"The CA bundle {ca_bundle} does not exist: check the CA bundle path in the sync settings."
            ) from None
        except (ssl.SSLError, OSError) as exc:
            raise SyncTLSError(
                f"The CA bundle {ca_bundle} could not be read as PEM certificates ({type(exc).__name__}): "
                "check the CA bundle path in the sync settings."
            ) from None
    # Belt and braces: create_default_context sets these, and nothing here may ever weaken them.
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise RuntimeError("TLS verification must be on")
    return context
