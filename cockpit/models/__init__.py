"""The clinical data model: SQLAlchemy 2.0 typed mappings of what the store keeps.

Every clinical row carries its provenance (where it came from, as which FHIR resource and version), so
an import or a sync can tell new, changed and unchanged data apart and a user can see where a value came
from.
"""

from cockpit.models.audit import AuditEntry, AuditHead  # noqa: F401 (registers the tables)
from cockpit.models.base import Base
from cockpit.models.clinical import (
    Condition,
    Encounter,
    EncounterClass,
    HomeCareService,
    Medication,
    MedicationProduct,
    Observation,
    Patient,
    PatientSearchTerm,
)
from cockpit.models.imports import ImportRun, QuarantinedResource
from cockpit.models.sync import SyncSource  # noqa: F401 (registers all the sync tables)
from cockpit.models.users import PracticeUser, SignInFailure  # noqa: F401 (registers the tables)
from cockpit.models.worklists import Worklist  # noqa: F401 (registers the worklist tables)

__all__ = [
    "Base",
    "Condition",
    "Encounter",
    "EncounterClass",
    "HomeCareService",
    "ImportRun",
    "Medication",
    "MedicationProduct",
    "Observation",
    "Patient",
    "PatientSearchTerm",
    "QuarantinedResource",
]
