"""Finding patients and reading a patient's whole record."""

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Table, func, or_, select
from sqlalchemy.orm import Session

from cockpit.errors import PatientNotFoundError
from cockpit.models import Base, Patient, PatientSearchTerm
from cockpit.models.audit import AuditAction
from cockpit.models.cpr import normalise_cpr
from cockpit.models.refs import internal_id
from cockpit.privacy.audit import append
from cockpit.privacy.identity import Actor, os_actor
from cockpit.store import Store
from cockpit.store.search_terms import prefix_upper_bound
from cockpit.store.transactions import immediate_session

DEFAULT_LIMIT: Final = 500
_DANISH_DATE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})$")


@dataclass(frozen=True, slots=True)
class PatientSummary:
    id: int
    fhir_id: str
    cpr: str | None
    name: str
    birth_date: date | None
    sex: str
    gp_name: str | None
    municipality: str | None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Everything the store holds about one patient, rows as plain dicts (dates as date/datetime)."""

    patient: dict[str, Any]
    conditions: list[dict[str, Any]]
    medications: list[dict[str, Any]]
    observations: list[dict[str, Any]]
    encounters: list[dict[str, Any]]
    home_care: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "patient": _jsonable(self.patient),
            "conditions": [_jsonable(r) for r in self.conditions],
            "medications": [_jsonable(r, display="drug_name") for r in self.medications],
            "observations": [_jsonable(r) for r in self.observations],
            "encounters": [
                _jsonable(r, code_system="reason_system", code="reason_code", display="reason_display")
                for r in self.encounters
            ],
            "home_care": [
                _jsonable(r, code_system="service_system", code="service_code", display="service_display")
                for r in self.home_care
            ],
        }


_SUMMARY_COLUMNS = (
    Patient.id,
    Patient.fhir_id,
    Patient.cpr,
    Patient.name,
    Patient.birth_date,
    Patient.sex,
    Patient.gp_name,
    Patient.municipality,
)
_PROVENANCE = ("source", "fhir_version", "last_updated", "content_hash", "patient_id")


class PatientService:
    """``actor`` is asked at each audited call (search results, a whole record): who is looking."""

    def __init__(self, store: Store, actor: Callable[[], Actor] = os_actor) -> None:
        self._store = store
        self._actor = actor

    def count(self) -> int:
        with self._store.session() as session:
            return int(session.scalar(select(func.count()).select_from(Patient)) or 0)

    def search(self, text: str = "", limit: int | None = DEFAULT_LIMIT) -> list[PatientSummary]:
        """Patients whose name, CPR (with or without the dash) or birth date (ISO or dd-mm-yyyy)
        contains every word of ``text``; all patients when it is empty. Sorted by name.

        Audited: one entry per search with the number of patients shown, never the search text."""
        terms = search_terms(text)
        with immediate_session(self._store) as session:
            found = self._search(session, terms, limit, by_prefix=True)
            if not found and terms:
                # Nothing starts with what was typed: try it anywhere in the name ("ersen"), a full scan.
                found = self._search(session, terms, limit, by_prefix=False)
            action = AuditAction.PATIENT_SEARCH if terms else AuditAction.LIST_SHOW
            list_ref = None if terms else "patients"
            append(session.connection(), self._actor(), action, list_ref=list_ref, patient_count=len(found))
        return found

    def _search(
        self, session: Session, terms: list[str], limit: int | None, by_prefix: bool
    ) -> list[PatientSummary]:
        query = select(*_SUMMARY_COLUMNS)
        words = PatientSearchTerm.__table__.c  # a Table: its columns are typed by the mapping
        for term in terms:
            if by_prefix:
                matching = select(words.patient_id).where(
                    words.term >= term, words.term < prefix_upper_bound(term)
                )
                query = query.where(Patient.id.in_(matching))
            else:
                query = query.where(Patient.search_text.like(f"%{_escape_like(term)}%", escape="\\"))
        query = query.order_by(Patient.family, Patient.given, Patient.id)
        if limit is not None:
            query = query.limit(limit)
        return [PatientSummary(*row) for row in session.execute(query)]

    def summary(self, patient_id: int) -> PatientSummary:
        with self._store.session() as session:
            row = session.execute(select(*_SUMMARY_COLUMNS).where(Patient.id == patient_id)).first()
        if row is None:
            raise PatientNotFoundError("That patient is no longer in the store.")
        return PatientSummary(*row)

    def resolve(self, ref: str) -> int:
        """The internal id of the patient that ``ref`` names: a CPR (dash optional), a FHIR id or the
        internal id."""
        ref = ref.strip()
        conditions = [Patient.fhir_id == ref]
        if (cpr := normalise_cpr(ref)) is not None:
            conditions.append(Patient.cpr == cpr)
        if (number := internal_id(ref)) is not None:
            conditions.append(Patient.id == number)
        with self._store.session() as session:
            ids = session.scalars(select(Patient.id).where(or_(*conditions))).all()
        if not ids:
            raise PatientNotFoundError("No patient matches that CPR number or id.")
        if len(set(ids)) > 1:
            raise PatientNotFoundError("More than one patient matches; give the CPR number instead.")
        return ids[0]

    def record(self, patient_id: int) -> PatientRecord:
        """The whole record; audited as an opened patient (an unknown patient leaves no entry)."""
        tables = Base.metadata.tables
        with immediate_session(self._store) as session:
            patient = (
                session.execute(select(tables["patients"]).where(tables["patients"].c.id == patient_id))
                .mappings()
                .first()
            )
            if patient is None:
                raise PatientNotFoundError("That patient is no longer in the store.")

            def rows(name: str, *order: str) -> list[dict[str, Any]]:
                table: Table = tables[name]
                query = select(table).where(table.c.patient_id == patient_id)
                query = query.order_by(*(table.c[o].desc() for o in order), table.c.id)
                return [_clean(r) for r in session.execute(query).mappings()]

            append(session.connection(), self._actor(), AuditAction.PATIENT_OPEN, patient_id=patient_id)
            return PatientRecord(
                patient=_clean(patient, keep_ids=True),
                conditions=rows("conditions", "onset"),
                medications=rows("medications", "start"),
                observations=rows("observations", "effective"),
                encounters=rows("encounters", "start"),
                home_care=rows("home_care_services", "start"),
            )

    def record_by_ref(self, ref: str) -> PatientRecord:
        """The whole record of the patient ``ref`` names (``resolve``); audited as ``record``."""
        return self.record(self.resolve(ref))


def search_terms(text: str) -> list[str]:
    """Normalise what the user typed to the form ``search_text`` is stored in."""
    terms = []
    for word in text.lower().split():
        term = word
        if (cpr := normalise_cpr(word)) is not None:
            term = cpr
        elif m := _DANISH_DATE.match(word):
            day, month, year = m.groups()
            term = f"{year}-{int(month):02d}-{int(day):02d}"
        terms.append(term)
    return terms


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clean(row: Any, keep_ids: bool = False) -> dict[str, Any]:
    data = dict(row)
    for key in _PROVENANCE:
        data.pop(key, None)
    data.pop("search_text", None)
    if not keep_ids:
        data.pop("id", None)
    return data


def _jsonable(row: dict[str, Any], **aliases: str) -> dict[str, Any]:
    """Dates as ISO strings; ``aliases`` give every section the same code_system/code/display keys."""
    data = {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}
    for key, column in aliases.items():
        data.setdefault(key, data.get(column))
    return data
