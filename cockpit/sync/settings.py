"""Sync settings: where to sync from and how, in ``sync.json`` in the data directory.

Only what is not secret lives here (server URL, export level, auth kind, client id, token URL, CA bundle
path, schedule); tokens and keys are in the OS keyring (``cockpit.sync.secrets``).
"""

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Final

import orjson

from cockpit.errors import SyncError
from cockpit.fhir.limits import MIB, Limits
from cockpit.store.meta import write_atomically

SETTINGS_NAME: Final = "sync.json"
METHODS: Final = ("auto", "export", "search", "everything")
EXPORT_LEVELS: Final = ("system", "patient", "group")


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Attributes:
    server_url: the FHIR base URL, or None when no server is set up.
    folder: a folder of NDJSON files a clinic system drops, synced instead of a server (or None).
    method: "auto" (bulk export if the server offers it, else $everything, else paged search), or one of
        "export", "search", "everything" to force it.
    export_level: "system", "patient" or "group" (then ``group_id``).
    auth_kind: "none", "bearer" or "smart" (secrets: ``cockpit sync-auth``).
    schedule_minutes: the window syncs every so many minutes; None = only on request.

    Deadlines and limits (docs/sync.md, "Limits and deadlines"; the defaults hold any real practice):
    deadline_minutes: the whole sync, download and apply.
    export_wait_minutes: how long the server may take to prepare a bulk export.
    min_rate_kb_s: every download must average at least this (after ``stall_grace_seconds``): a server
        that sends a few bytes a second is "the server stopped sending". 2 KB/s is what a 2G link makes.
    stall_grace_seconds: how long a download may start slower than ``min_rate_kb_s``.
    read_timeout_seconds: the longest silence between two reads of an answer (then retried).
    max_line_mb, max_resource_mb, max_string_chars, max_resources_per_patient: see cockpit.fhir.limits
        (over a limit: that resource is quarantined).
    max_page_mb: the largest search or history page (a JSON document held whole to read it).
    max_pages: pages of one search or history at most (fewer where the server gives a total).
    """

    server_url: str | None = None
    folder: str | None = None
    method: str = "auto"
    export_level: str = "system"
    group_id: str | None = None
    auth_kind: str = "none"
    client_id: str | None = None
    token_url: str | None = None
    scope: str | None = None
    ca_bundle: str | None = None
    schedule_minutes: int | None = None
    deadline_minutes: float = 360.0
    export_wait_minutes: float = 180.0
    min_rate_kb_s: float = 2.0
    stall_grace_seconds: float = 60.0
    read_timeout_seconds: float = 60.0
    max_line_mb: float = 8.0
    max_resource_mb: float = 8.0
    max_string_chars: int = 1 << 20
    max_resources_per_patient: int = 250_000
    max_page_mb: float = 32.0
    max_pages: int = 100_000

    def with_changes(self, **changes: Any) -> "SyncSettings":
        return replace(self, **changes)

    def check(self) -> None:
        """Raise SyncError with what to fix when a value cannot work."""
        if self.method not in METHODS:
            raise SyncError(
                f"Unknown sync method {self.method!r} in the sync settings: use {', '.join(METHODS)}."
            )
        if self.export_level not in EXPORT_LEVELS:
            raise SyncError(
                f"Unknown export level {self.export_level!r} in the sync settings: use "
                f"{', '.join(EXPORT_LEVELS)}."
            )
        if self.export_level == "group" and not self.group_id:
            raise SyncError(
                "The export level is 'group' but no group id is set: set group_id in the sync settings."
            )
        if self.schedule_minutes is not None and self.schedule_minutes < 1:
            raise SyncError("The sync schedule must be at least 1 minute (or empty for manual sync only).")
        for name in LIMIT_NAMES:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise SyncError(f"{name} in the sync settings must be a number above 0 (it is {value!r}).")

    def limits(self) -> Limits:
        """The limits on one resource, for the mapping."""
        return Limits(
            max_line_bytes=max(1, int(self.max_line_mb * MIB)),
            max_resource_bytes=max(1, int(self.max_resource_mb * MIB)),
            max_string_chars=int(self.max_string_chars),
            max_resources_per_patient=int(self.max_resources_per_patient),
        )


# The deadlines and limits (numbers above 0), as they are named in sync.json.
LIMIT_NAMES: Final = (
    "deadline_minutes",
    "export_wait_minutes",
    "min_rate_kb_s",
    "stall_grace_seconds",
    "read_timeout_seconds",
    "max_line_mb",
    "max_resource_mb",
    "max_string_chars",
    "max_resources_per_patient",
    "max_page_mb",
    "max_pages",
)


def settings_path(home: Path) -> Path:
    return home / SETTINGS_NAME


def load_settings(home: Path) -> SyncSettings:
    """The saved settings, or the defaults (nothing set up) when there is no file."""
    path = settings_path(home)
    if not path.exists():
        return SyncSettings()
    try:
        data = orjson.loads(path.read_bytes())
        if not isinstance(data, dict):
            raise TypeError
        known = {f.name for f in fields(SyncSettings)}
        settings = SyncSettings(**{k: v for k, v in data.items() if k in known})
    except (orjson.JSONDecodeError, TypeError, OSError):
        raise SyncError(
            f"{path} cannot be read: fix it or delete it and set the sync server again."
        ) from None
    settings.check()
    return settings


def save_settings(home: Path, settings: SyncSettings) -> None:
    settings.check()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = orjson.dumps(asdict(settings), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    write_atomically(settings_path(home), data)
