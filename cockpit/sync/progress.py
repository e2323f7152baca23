"""What a sync reports while it runs (progress, cancel) and what it returns (the result)."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from cockpit.errors import SyncError

CONNECTING: Final = "connecting"
EXPORTING: Final = "exporting"  # the server prepares a bulk export
DOWNLOADING: Final = "downloading"
APPLYING: Final = "applying"
PHASES: Final = (CONNECTING, EXPORTING, DOWNLOADING, APPLYING)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """One progress report. Downloading: units are export files, searched types or patients
    (``units_total`` 0 while unknown); applying: units are the received resources, so ``fraction`` is the
    share applied. ``detail`` is what the server says it is doing (X-Progress), never patient data."""

    phase: str
    resources: int = 0
    bytes: int = 0
    units_done: int = 0
    units_total: int = 0
    detail: str = ""

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.units_done / self.units_total) if self.units_total else None


ProgressCallback = Callable[[SyncProgress], None]


class SyncCancelledError(SyncError):
    """The sync was asked to stop; what it downloaded stays staged and the next sync continues it."""


class Reporter:
    """Progress reports (at most every ``interval`` seconds, phase changes always) and the cancel check.

    ``stop``: the sync itself ends the work that reports here (a download whose apply failed) as a
    cancel would; ``quiet``: check for a cancel but report nothing (the apply while the download
    reports)."""

    def __init__(
        self, callback: ProgressCallback | None, cancel: threading.Event | None, interval: float = 0.2
    ) -> None:
        self._callback = callback
        self._cancel = cancel
        self._stopped = threading.Event()
        self.quiet = False
        self._interval = interval
        self._last_at = 0.0
        self._last_phase = ""
        self.resources = 0
        self.bytes = 0
        self.units_done = 0
        self.units_total = 0

    def check_cancel(self) -> None:
        if self._stopped.is_set() or (self._cancel is not None and self._cancel.is_set()):
            raise SyncCancelledError(
                "The sync was stopped. What was downloaded is kept; the next sync continues from there."
            )

    def stop(self) -> None:
        self._stopped.set()

    def sibling(self) -> "Reporter":
        """A reporter to the same callback with the same cancel, for work on another thread."""
        return Reporter(self._callback, self._cancel, self._interval)

    def report(self, phase: str, detail: str = "", *, force: bool = False) -> None:
        self.check_cancel()
        if self._callback is None or self.quiet:
            return
        now = time.monotonic()
        if not force and phase == self._last_phase and now - self._last_at < self._interval:
            return
        self._last_at, self._last_phase = now, phase
        self._callback(
            SyncProgress(phase, self.resources, self.bytes, self.units_done, self.units_total, detail)
        )


@dataclass(slots=True)
class SyncResult:
    """What one sync did. Patient ids are the store's internal ids (the window refreshes an open
    patient) and FHIR ids; a deleted patient's internal id is included although the row is gone."""

    source: str
    method: str
    full: bool
    resumed: bool = False
    downloaded: int = 0
    downloaded_bytes: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    quarantined: int = 0
    skipped: int = 0
    changed_patient_ids: frozenset[int] = frozenset()
    changed_patient_fhir_ids: frozenset[str] = frozenset()
    watermark: str | None = None
    seconds_download: float = 0.0
    seconds_apply: float = 0.0
    quarantine_examples: list[tuple[str, str]] = field(default_factory=list)
    named_from_catalogue: int = 0  # drugs written with the ATC catalogue's name (sent without a display)
    unresolved_medication_refs: int = 0  # drugs in the store named by a Medication the store does not have

    @property
    def seconds(self) -> float:
        return self.seconds_download + self.seconds_apply

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)

    def as_dict(self) -> dict[str, Any]:
        """For ``--json`` and the stored last summary: counts and times, no patient data."""
        return {
            "source": self.source,
            "method": self.method,
            "full": self.full,
            "resumed": self.resumed,
            "downloaded": self.downloaded,
            "downloaded_bytes": self.downloaded_bytes,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "quarantined": self.quarantined,
            "skipped": self.skipped,
            "patients_changed": len(self.changed_patient_ids),
            "watermark": self.watermark,
            "seconds_download": round(self.seconds_download, 3),
            "seconds_apply": round(self.seconds_apply, 3),
            "quarantine_examples": [{"where": w, "reason": r} for w, r in self.quarantine_examples],
            "named_from_catalogue": self.named_from_catalogue,
            "unresolved_medication_refs": self.unresolved_medication_refs,
        }

    def summary_line(self) -> str:
        kind = "full" if self.full else "incremental"
        return (
            f"Synced ({kind}, {self.method}) from {self.source}: {self.downloaded:,} received, "
            f"{self.inserted:,} new, {self.updated:,} changed, {self.unchanged:,} unchanged, "
            f"{self.deleted:,} deleted, {self.quarantined:,} quarantined; "
            f"{len(self.changed_patient_ids):,} patients changed in {self.seconds:.1f} s."
            + _drug_note(self.named_from_catalogue, self.unresolved_medication_refs)
        )


def _drug_note(named: int, unresolved: int) -> str:
    """The drugs named from the ATC catalogue and those whose Medication is missing, when there are any."""
    parts = []
    if named:
        parts.append(f"{named:,} drugs named from the ATC catalogue (sent without a name)")
    if unresolved:
        parts.append(f"{unresolved:,} drugs whose Medication resource is missing (kept as unknown drugs)")
    return " " + "; ".join(parts) + "." if parts else ""
