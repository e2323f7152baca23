"""The error taxonomy: what the user is told, and how the program exits.

``CockpitError`` and its subclasses are *known* failures of the environment or the input (no keyring, a
wrong key, a damaged file, bad FHIR): their message is written for the user and says what to do, and it
never contains a key, a CPR number, a name or a clinical value. Anything else is a bug.
"""


class CockpitError(Exception):
    """A failure the user can understand and act on. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class KeyringUnavailableError(CockpitError):
    exit_code = 3


class StoreKeyMissingError(CockpitError):
    exit_code = 3


class StoreLockedError(CockpitError):
    """The store could not be opened with its key: a wrong key, or not a SQLCipher store at all."""

    exit_code = 4


class StoreDamagedError(CockpitError):
    exit_code = 4


class StoreVersionError(CockpitError):
    """The store was written by a newer Patient Cockpit than this one."""

    exit_code = 4


class InputError(CockpitError):
    """Input that cannot be read at all (missing path, malformed file): the whole operation is refused."""

    exit_code = 5


class MalformedInputError(InputError):
    """A file that is not what it claims to be (e.g. NDJSON cut short). Names file and line."""

    def __init__(self, file: str, line: int | None, detail: str) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {detail}")
        self.file = file
        self.line = line
        self.detail = detail


class PatientNotFoundError(CockpitError):
    exit_code = 6


class PermissionDeniedError(CockpitError):
    """The signed-in user's role does not allow this."""

    exit_code = 7


class SignInError(CockpitError):
    """Sign-in failed (unknown user, wrong password, locked out) or is required and was not given.

    ``reason`` ("wrong", "locked", "disabled" or "required") and ``minutes`` (of a lock-out) let the window
    say it in the user's language."""

    exit_code = 8

    def __init__(self, message: str, *, reason: str = "required", minutes: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.minutes = minutes


class SyncError(CockpitError):
    """A sync could not finish. The message says what to do; the store keeps what was applied whole."""

    exit_code = 9


class SyncAuthError(SyncError):
    """The server refused our credentials (401/403) or the token endpoint did."""


class SyncNetworkError(SyncError):
    """The server could not be reached, or kept failing after retries (timeouts, resets, 5xx, 429)."""


class SyncTLSError(SyncError):
    """The server's certificate could not be verified."""


class StoreFullError(CockpitError):
    """The disk is full: the operation was rolled back, nothing is damaged."""

    exit_code = 10
