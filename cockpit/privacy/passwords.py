"""Practice users' passwords: scrypt with a per-user random salt, the parameters stored with the hash.

The stored form is ``scrypt$n$r$p$salt$hash`` (salt and hash base64), so the cost can be raised later
and old hashes still verify. Comparison is constant-time. A sign-in for a name that does not exist
still costs one scrypt (``burn_time``), so timing does not tell whether a user exists.
"""

import base64
import hashlib
import hmac
import secrets
from typing import Final

from cockpit.errors import InputError

MIN_LENGTH: Final = 10
MAX_LENGTH: Final = 1024  # scrypt hashes anything, but a megabyte "password" is a mistake or an attack

SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
HASH_BYTES: Final = 32
_SCHEME: Final = "scrypt"


def check_password_rule(password: str) -> None:
    """Raise InputError (saying what is wanted) unless ``password`` is acceptable for a new password."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"The password is too short: use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InputError(f"The password is too long: use at most {MAX_LENGTH} characters.")
    if password.strip() != password:
        raise InputError("The password starts or ends with a space; leave those out.")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join((_SCHEME, str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored``; False for a wrong password or an unreadable hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def burn_time(password: str) -> None:
    """Spend what a verification costs, for a user name that does not exist."""
    _scrypt(password, b"\0" * SALT_BYTES, SCRYPT_N, SCRYPT_R, SCRYPT_P)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    encoded = password.encode("utf-8")[: MAX_LENGTH * 4]
    return hashlib.scrypt(encoded, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=HASH_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
