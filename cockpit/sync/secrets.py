"""Sync credentials in the OS keyring: a bearer token, or a SMART client's private key and its details.

They live under their own keyring service, apart from the store keys, so clearing one never touches the
other. The same backend rules as for the store key apply (``KeyStore.check_available``): no plaintext file,
no null backend. Nothing here is written to a config file or logged.

Long values are split over several keyring entries: Windows' Credential Locker holds at most 2,560 bytes
per entry (UTF-16), less than an RSA key's PEM.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Final

import keyring.backend
import keyring.errors
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cockpit.errors import InputError, KeyringUnavailableError
from cockpit.security.keys import KeyStore

SERVICE: Final = "patient-cockpit-sync"
_CHUNK: Final = 1000  # characters per keyring entry
_MAX_CHUNKS: Final = 64
_TOKEN: Final = "bearer-token"
_CLIENT: Final = "smart-client"
_KEY: Final = "smart-key"
DEFAULT_SCOPE: Final = "system/*.read"


@dataclass(frozen=True)
class SmartClient:
    """A SMART Backend Services client: who we are to the token server, and the key we sign with."""

    client_id: str
    token_url: str
    private_key_pem: bytes
    key_id: str | None = None
    scope: str = DEFAULT_SCOPE

    def __repr__(self) -> str:  # never the key, even in a debugger or a traceback
        return f"SmartClient(client_id={self.client_id!r}, token_url={self.token_url!r})"


def signing_algorithm(private_key_pem: bytes) -> str:
    """RS384 for an RSA key (2048 bits or more), ES384 for an EC P-384 key; anything else is refused."""
    try:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
    except TypeError:
        raise InputError(
            "The private key is protected by a passphrase: export it without one (the OS keyring "
            "protects it here)."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise InputError("The file is not a PEM private key: give the client's private key file.") from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise InputError("The RSA key is shorter than 2048 bits: create a new key of 2048 bits or more.")
        return "RS384"
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP384R1):
        return "ES384"
    raise InputError("The key must be RSA (for RS384) or EC on the P-384 curve (for ES384).")


def public_key_fingerprint(private_key_pem: bytes) -> str:
    """SHA-256 of the public key (DER), shortened: lets a user match the key with what the server holds."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()[:32]


class SyncSecrets:
    """Reads and writes the sync credentials of one profile (one server) in the OS keyring.

    Args:
        backend: the keyring backend; the platform's default when None.
        profile: which set of credentials (a practice syncing from two servers has two).
    """

    def __init__(
        self, backend: keyring.backend.KeyringBackend | None = None, profile: str = "default"
    ) -> None:
        self._keys = KeyStore(backend)
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._profile = profile

    def check_available(self) -> None:
        self._keys.check_available()

    def token(self) -> str | None:
        return self._get(_TOKEN)

    def set_token(self, token: str) -> None:
        token = token.strip()
        if not token or any(ch.isspace() for ch in token):
            raise InputError("A bearer token is one word without spaces: give the token the server issued.")
        self._put(_TOKEN, token)

    def smart_client(self) -> SmartClient | None:
        details = self._get(_CLIENT)
        pem = self._get(_KEY)
        if details is None or pem is None:
            return None
        try:
            fields = json.loads(details)
            return SmartClient(
                client_id=str(fields["client_id"]),
                token_url=str(fields["token_url"]),
                private_key_pem=pem.encode("ascii"),
                key_id=fields.get("key_id"),
                scope=str(fields.get("scope", DEFAULT_SCOPE)),
            )
        except (ValueError, KeyError, TypeError, UnicodeEncodeError):
            return None  # damaged entry: as good as none, and `set-key` writes it anew

    def set_smart_client(self, client: SmartClient) -> None:
        signing_algorithm(client.private_key_pem)  # refuse a key we could not sign with, now
        details = {"client_id": client.client_id, "token_url": client.token_url, "scope": client.scope}
        if client.key_id is not None:
            details["key_id"] = client.key_id
        self._put(_KEY, client.private_key_pem.decode("ascii"))
        self._put(_CLIENT, json.dumps(details))

    def clear(self) -> None:
        for name in (_TOKEN, _CLIENT, _KEY):
            self._delete(name)

    # One value over entries "<profile>:<name>" ("<count>:<first chunk>") and "<profile>:<name>#<i>".

    def _entry(self, name: str, index: int = 0) -> str:
        return f"{self._profile}:{name}" if index == 0 else f"{self._profile}:{name}#{index}"

    def _put(self, name: str, value: str) -> None:
        self.check_available()
        chunks = [value[i : i + _CHUNK] for i in range(0, len(value), _CHUNK)] or [""]
        if len(chunks) > _MAX_CHUNKS:
            raise InputError("The secret is too long to keep in the OS keyring.")
        self._delete(name)
        try:
            for index in range(len(chunks) - 1, 0, -1):
                self._backend.set_password(SERVICE, self._entry(name, index), chunks[index])
            self._backend.set_password(SERVICE, self._entry(name), f"{len(chunks)}:{chunks[0]}")
        except Exception as exc:  # backends raise their own types (D-Bus, locked collection, ...)
            raise KeyringUnavailableError(
                f"The sync credentials could not be saved in the OS keyring ({type(exc).__name__}): make "
                "sure the keyring is unlocked and try again."
            ) from None
        if self._get(name) != value:
            raise KeyringUnavailableError("The OS keyring did not keep the sync credentials.")

    def _get(self, name: str) -> str | None:
        self.check_available()
        try:
            head = self._backend.get_password(SERVICE, self._entry(name))
            if head is None:
                return None
            count_text, _, first = head.partition(":")
            count = int(count_text)
            if not 1 <= count <= _MAX_CHUNKS:
                return None
            rest = [self._backend.get_password(SERVICE, self._entry(name, i)) for i in range(1, count)]
        except ValueError:
            return None
        except Exception as exc:
            raise KeyringUnavailableError(
                f"The OS keyring could not be read ({type(exc).__name__}): make sure it is unlocked."
            ) from None
        if any(part is None for part in rest):
            return None
        return first + "".join(part for part in rest if part is not None)

    def _delete(self, name: str) -> None:
        self.check_available()
        for index in range(_MAX_CHUNKS):
            try:
                self._backend.delete_password(SERVICE, self._entry(name, index))
            except keyring.errors.PasswordDeleteError:
                if index > 0:
                    break
            except Exception as exc:
                raise KeyringUnavailableError(
                    f"The OS keyring could not be changed ({type(exc).__name__}): make sure it is unlocked."
                ) from None
