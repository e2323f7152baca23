"""The store's encryption key, kept only in the OS keyring.

A random 256-bit raw key is created when a store is created and written to the keyring under the store's
id. It is never written to disk, logged or put into an exception. A raw key (rather than a passphrase)
also spares SQLCipher its deliberately slow key derivation on every connection.

Only a real OS keyring is accepted (Secret Service, macOS Keychain, Windows Credential Locker, KWallet).
File-based or null backends are refused rather than silently downgrading protection.
"""

import contextlib
import hashlib
import hmac
import secrets
from typing import Final

import keyring
import keyring.backend
import keyring.errors

from cockpit.errors import KeyringUnavailableError

SERVICE: Final = "patient-cockpit"
DATABASE_SERVICE: Final = "patient-cockpit-database"
KEY_BYTES: Final = 32

# Backends that either do not store anything or store it in a plain file: never acceptable for this key.
_REFUSED_BACKEND_MODULES: Final = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

_HOW_TO_FIX: Final = (
    "Patient Cockpit keeps its encryption key in the operating system's keyring and will not run without "
    "one. On Linux, sign in to a desktop session with a Secret Service keyring (GNOME Keyring or KWallet) "
    "and make sure it is unlocked."
)


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _usable_backend(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_REFUSED_BACKEND_MODULES):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable only if every backend it chains is
        return bool(children) and all(_usable_backend(child) for child in children)
    return True


class KeyStore:
    """Creates, reads and deletes store keys in the OS keyring.

    Args:
        backend: the keyring backend; the platform's default when None.
    """

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()

    @property
    def backend_name(self) -> str:
        return _describe(self._backend)

    def check_available(self) -> None:
        """Raise KeyringUnavailableError unless a real, reachable OS keyring is there."""
        if not _usable_backend(self._backend):
            raise KeyringUnavailableError(
                f"No usable OS keyring was found (backend: {self.backend_name}). {_HOW_TO_FIX}"
            )

    def get(self, store_id: str) -> bytes | None:
        self.check_available()
        try:
            stored = self._backend.get_password(SERVICE, _username(store_id))
        except Exception as exc:  # backends raise their own types (D-Bus, locked collection, ...)
            raise KeyringUnavailableError(
                f"The OS keyring could not be read ({type(exc).__name__}). {_HOW_TO_FIX}"
            ) from None
        if stored is None:
            return None
        try:
            key = bytes.fromhex(stored)
        except ValueError:
            return None
        return key if len(key) == KEY_BYTES else None

    def create(self, store_id: str) -> bytes:
        """Create a new random key and store it; the keyring is written before any data file is."""
        self.check_available()
        key = secrets.token_bytes(KEY_BYTES)
        try:
            self._backend.set_password(SERVICE, _username(store_id), key.hex())
        except Exception as exc:
            raise KeyringUnavailableError(
                f"The key could not be saved in the OS keyring ({type(exc).__name__}). {_HOW_TO_FIX}"
            ) from None
        if self.get(store_id) != key:
            raise KeyringUnavailableError(f"The OS keyring did not keep the key. {_HOW_TO_FIX}")
        return key

    def delete(self, store_id: str) -> None:
        self.check_available()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._backend.delete_password(SERVICE, _username(store_id))

    # The practice server's database password (cockpit.store.server), under its connection URL.

    def database_password(self, url: str) -> str | None:
        self.check_available()
        try:
            return self._backend.get_password(DATABASE_SERVICE, url)
        except Exception as exc:
            raise KeyringUnavailableError(
                f"The OS keyring could not be read ({type(exc).__name__}). {_HOW_TO_FIX}"
            ) from None

    def set_database_password(self, url: str, password: str) -> None:
        self.check_available()
        try:
            self._backend.set_password(DATABASE_SERVICE, url, password)
        except Exception as exc:
            raise KeyringUnavailableError(
                f"The password could not be saved in the OS keyring ({type(exc).__name__}). {_HOW_TO_FIX}"
            ) from None

    def delete_database_password(self, url: str) -> None:
        self.check_available()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._backend.delete_password(DATABASE_SERVICE, url)


def _username(store_id: str) -> str:
    return f"store-key:{store_id}"


def key_check_value(key: bytes) -> str:
    """A one-way fingerprint of the key, stored beside the database so that a *wrong key* can be told
    apart from a *damaged file*. Revealing it does not help an attacker: the key is 256 random bits."""
    return hmac.new(key, b"patient-cockpit key check v1", hashlib.sha256).hexdigest()[:16]
