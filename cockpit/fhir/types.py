"""Types shared by the FHIR reader, the mapping and the importer."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

JSONObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a resource was read: a file (as the user named it, relative where possible) and a 1-based
    line (for a Bundle or a single-resource JSON file: the line where the file starts, 1)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def __reduce__(self) -> tuple[type["SourceLocation"], tuple[str, int]]:
        return SourceLocation, (self.file, self.line)  # pickles as a plain pair (a sync's worker sends many)


@dataclass(frozen=True, slots=True)
class RawResource:
    """One parsed resource with the exact bytes it came from (used for the content hash and, if it does
    not fit, for quarantine)."""

    resource: JSONObject
    raw: bytes
    location: SourceLocation


class ResourceDoesNotFit(Exception):
    """A well-formed resource that cannot be mapped (wrong shape, absurd value). It is quarantined,
    not imported. The reason names the field, never a value from the record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class MappedResource:
    """What one FHIR resource becomes in the store.

    Attributes:
        table: the target table name (``patients``, ``conditions``, ``medications``, ``observations``,
            ``encounters``, ``home_care_services``).
        fhir_type, fhir_id, fhir_version, last_updated: provenance from the resource.
        patient_ref: the FHIR id of the Patient it belongs to (None for a Patient itself).
        rows: column values for that table, without ``id``, ``patient_id`` and the provenance columns.
            Usually one row; an Observation with components gives one row per part.
    """

    table: str
    fhir_type: str
    fhir_id: str
    fhir_version: str | None
    last_updated: datetime | None
    patient_ref: str | None
    rows: list[JSONObject] = field(default_factory=list)
