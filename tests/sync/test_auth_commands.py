"""`cockpit sync-auth …` as real processes against the real (private) keyring."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cockpit.sync.secrets import SyncSecrets, public_key_fingerprint
from tests.conftest import REPO

TOKEN = "eyJ0eXAi.secret-token-value.sig"


def cockpit(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "sync-auth", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@pytest.fixture
def clean() -> Iterator[SyncSecrets]:
    secrets = SyncSecrets()  # the default profile, as the commands use it, in the throwaway keyring
    secrets.clear()
    yield secrets
    secrets.clear()


def test_set_token_reads_stdin_and_show_never_prints_it(clean: SyncSecrets) -> None:
    saved = cockpit("set-token", stdin=TOKEN + "\n")
    assert saved.returncode == 0, saved.stderr
    assert clean.token() == TOKEN
    shown = cockpit("show")
    assert shown.returncode == 0
    assert "bearer token: saved" in shown.stdout
    assert "SMART client: not saved" in shown.stdout
    for output in (saved.stdout, saved.stderr, shown.stdout, shown.stderr):
        assert "secret-token-value" not in output


def test_a_token_on_the_command_line_is_not_accepted(clean: SyncSecrets) -> None:
    result = cockpit("set-token", TOKEN)
    assert result.returncode == 2  # argparse: unrecognised argument
    assert clean.token() is None


def test_set_key_show_and_clear(clean: SyncSecrets, tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(key_pem)
    saved = cockpit(
        "set-key",
        str(key_file),
        "--client-id",
        "practice-4711",
        "--token-url",
        "https://auth.example.dk/token",
    )
    assert saved.returncode == 0, saved.stderr
    assert "ES384" in saved.stdout
    client = clean.smart_client()
    assert client is not None
    assert client.private_key_pem == key_pem
    assert (client.client_id, client.token_url, client.scope) == (
        "practice-4711",
        "https://auth.example.dk/token",
        "system/*.read",
    )

    shown = cockpit("show", "--json")
    assert shown.returncode == 0
    assert json.loads(shown.stdout) == {
        "bearer_token": False,
        "smart_client": {
            "client_id": "practice-4711",
            "token_url": "https://auth.example.dk/token",
            "scope": "system/*.read",
            "key_id": None,
            "algorithm": "ES384",
            "public_key": public_key_fingerprint(key_pem),
        },
    }
    assert "PRIVATE KEY" not in shown.stdout + cockpit("show").stdout

    cleared = cockpit("clear")
    assert cleared.returncode == 0
    assert clean.smart_client() is None


@pytest.mark.parametrize(
    ("content", "token_url", "message"),
    [
        (b"not a key", "https://auth.example.dk/token", "not a PEM private key"),
        (None, "http://auth.example.dk/token", "https://"),
    ],
)
def test_set_key_refuses_bad_input_with_a_message(
    clean: SyncSecrets, tmp_path: Path, content: bytes | None, token_url: str, message: str
) -> None:
    key_file = tmp_path / "client.pem"
    key_file.write_bytes(
        content
        or ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    result = cockpit("set-key", str(key_file), "--client-id", "c", "--token-url", token_url)
    assert result.returncode in (5, 9)  # InputError, SyncError
    assert message in result.stderr
    assert clean.smart_client() is None


def test_the_commands_module_imports_only_the_standard_library() -> None:
    probe = (
        "import sys; import cockpit.cli.arguments; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'httpx', 'jwt', 'cryptography', 'keyring'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
