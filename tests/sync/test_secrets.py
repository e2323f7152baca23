"""Sync secrets in the real OS keyring (Secret Service, via tools/with-keyring), and auth_from_settings."""

import uuid
from collections.abc import Iterator

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from cockpit.errors import InputError, KeyringUnavailableError, SyncAuthError, SyncError
from cockpit.security import keys
from cockpit.sync.auth import BearerAuth, SmartBackendAuth, auth_from_settings
from cockpit.sync.secrets import SERVICE, SmartClient, SyncSecrets

TOKEN_URL = "https://auth.example.dk/token"


def pem(key: PrivateKeyTypes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.fixture(scope="module")
def long_pem() -> bytes:
    return pem(rsa.generate_private_key(public_exponent=65537, key_size=4096))


@pytest.fixture
def secrets() -> Iterator[SyncSecrets]:
    """A profile of its own in the real keyring, cleared afterwards."""
    profile = f"test-{uuid.uuid4().hex}"
    store = SyncSecrets(profile=profile)
    store.check_available()
    yield store
    store.clear()


def test_token_round_trip_and_clear(secrets: SyncSecrets) -> None:
    assert secrets.token() is None
    secrets.set_token("  eyJhbGciOi.payload.sig\n")
    assert secrets.token() == "eyJhbGciOi.payload.sig"
    secrets.clear()
    assert secrets.token() is None


@pytest.mark.parametrize("token", ["", "   ", "two words"])
def test_a_token_that_cannot_be_one_is_refused(secrets: SyncSecrets, token: str) -> None:
    with pytest.raises(InputError, match="one word"):
        secrets.set_token(token)


def test_a_long_key_is_split_over_entries_and_read_back_whole(secrets: SyncSecrets, long_pem: bytes) -> None:
    key_pem = long_pem
    assert len(key_pem) > 3000  # more than one Windows Credential Locker entry holds
    secrets.set_smart_client(SmartClient("client-1", TOKEN_URL, key_pem, key_id="k1", scope="system/*.rs"))
    profile = secrets._profile
    assert keyring.get_password(SERVICE, f"{profile}:smart-key#3") is not None
    assert keyring.get_password(SERVICE, f"{profile}:smart-key#4") is None
    client = secrets.smart_client()
    assert client == SmartClient("client-1", TOKEN_URL, key_pem, key_id="k1", scope="system/*.rs")
    secrets.clear()
    assert secrets.smart_client() is None
    assert keyring.get_password(SERVICE, f"{profile}:smart-key#1") is None  # no chunk left behind


def test_a_shorter_value_replaces_a_longer_one_entirely(secrets: SyncSecrets, long_pem: bytes) -> None:
    short_pem = pem(ec.generate_private_key(ec.SECP384R1()))
    secrets.set_smart_client(SmartClient("c", TOKEN_URL, long_pem))
    secrets.set_smart_client(SmartClient("c", TOKEN_URL, short_pem))
    client = secrets.smart_client()
    assert client is not None
    assert client.private_key_pem == short_pem
    assert keyring.get_password(SERVICE, f"{secrets._profile}:smart-key#1") is None


def test_profiles_do_not_see_each_other(secrets: SyncSecrets) -> None:
    secrets.set_token("abc")
    other = SyncSecrets(profile=f"test-{uuid.uuid4().hex}")
    assert other.token() is None


def test_sync_secrets_are_kept_apart_from_store_keys(secrets: SyncSecrets) -> None:
    store_keys = keys.KeyStore()
    store_id = f"test-{uuid.uuid4().hex}"
    store_key = store_keys.create(store_id)
    try:
        secrets.set_token("abc")
        assert keyring.get_password(keys.SERVICE, f"{secrets._profile}:bearer-token") is None
        secrets.clear()
        assert store_keys.get(store_id) == store_key  # clearing the sync's secrets leaves the store's key
    finally:
        store_keys.delete(store_id)


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()])
def test_a_keyring_that_would_not_protect_the_secret_is_refused(
    backend: keyring.backend.KeyringBackend,
) -> None:
    secrets = SyncSecrets(backend=backend)
    with pytest.raises(KeyringUnavailableError, match="No usable OS keyring"):
        secrets.set_token("abc")
    with pytest.raises(KeyringUnavailableError):
        secrets.token()


def test_an_unusable_key_is_refused_before_it_is_saved(secrets: SyncSecrets) -> None:
    with pytest.raises(InputError, match="not a PEM private key"):
        secrets.set_smart_client(SmartClient("c", TOKEN_URL, b"-----BEGIN NONSENSE-----"))
    assert secrets.smart_client() is None


def test_auth_from_settings(secrets: SyncSecrets) -> None:
    assert auth_from_settings("none", secrets=secrets) is None
    with pytest.raises(SyncAuthError, match="cockpit sync-auth set-token"):
        auth_from_settings("bearer", secrets=secrets)
    with pytest.raises(SyncAuthError, match="cockpit sync-auth set-key"):
        auth_from_settings("smart", secrets=secrets)
    with pytest.raises(SyncError, match="none, bearer, smart"):
        auth_from_settings("basic", secrets=secrets)

    secrets.set_token("abc")
    assert isinstance(auth_from_settings("bearer", secrets=secrets), BearerAuth)

    secrets.set_smart_client(SmartClient("saved-id", TOKEN_URL, pem(ec.generate_private_key(ec.SECP384R1()))))
    smart = auth_from_settings("smart", client_id="settings-id", secrets=secrets)
    assert isinstance(smart, SmartBackendAuth)
    assert smart.algorithm == "ES384"
    assert "settings-id" in repr(smart)  # the settings' client id wins over the saved one
