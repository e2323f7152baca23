"""Clinical tables: patients and what the practice knows about them.

Indexes follow the real access paths: everything of one patient (``patient_id`` first), every row of a
code in a time window (``code`` then the date: a prefix range on ATC/ICD-10/SKS uses the same index),
and patient search by CPR and name.
"""

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base, Provenance


class EncounterClass(enum.StrEnum):
    """Kinds of contact the overview distinguishes (values are stored as they are)."""

    GP_CONSULTATION = "gp_consultation"
    PHONE = "phone"
    EMAIL = "email"
    HOME_VISIT = "home_visit"
    OUTPATIENT = "outpatient"
    INPATIENT = "inpatient"
    EMERGENCY = "emergency"
    OTHER = "other"


class Patient(Provenance, Base):
    __tablename__ = "patients"
    __table_args__ = (
        UniqueConstraint("fhir_id"),
        Index("ix_patients_cpr", "cpr"),
        Index("ix_patients_name", "family", "given"),
        # What "alive" and the age bands read: the indicator engine scans only this (schema 0009).
        Index("ix_patients_alive", "deceased", "deceased_date", "birth_date", "sex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cpr: Mapped[str | None] = mapped_column(String(10))
    family: Mapped[str | None] = mapped_column(String)
    given: Mapped[str | None] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    # Lower-cased name, CPR digits and birth date: what "find a patient" matches against.
    search_text: Mapped[str] = mapped_column(String)
    birth_date: Mapped[date | None]
    sex: Mapped[str] = mapped_column(String(10))
    gp_name: Mapped[str | None] = mapped_column(String)
    gp_identifier: Mapped[str | None] = mapped_column(String)
    municipality: Mapped[str | None] = mapped_column(String)
    deceased: Mapped[bool]
    deceased_date: Mapped[date | None]


class Condition(Provenance, Base):
    __tablename__ = "conditions"
    __table_args__ = (
        UniqueConstraint("fhir_id"),
        # Both indexes cover what the indicator criteria test (schema 0009, docs/indicators.md "Performance").
        Index(
            "ix_conditions_patient",
            *(
                "patient_id",
                "onset",
                "code",
                "code_system",
                "abatement",
                "clinical_status",
                "verification_status",
            ),
        ),
        Index(
            "ix_conditions_code",
            *(
                "code",
                "onset",
                "code_system",
                "patient_id",
                "abatement",
                "clinical_status",
                "verification_status",
            ),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    code_system: Mapped[str] = mapped_column(String)
    code: Mapped[str] = mapped_column(String)
    display: Mapped[str | None] = mapped_column(String)
    onset: Mapped[date | None]
    abatement: Mapped[date | None]
    clinical_status: Mapped[str | None] = mapped_column(String(20))
    verification_status: Mapped[str | None] = mapped_column(String(20))
    # "gp" (ICPC-2 from the clinic system), "hospital" (SKS/ICD-10 from LPR) or None when unknown.
    recorded_by: Mapped[str | None] = mapped_column(String(10))


class Medication(Provenance, Base):
    """A MedicationStatement (what the patient takes) or a MedicationRequest (a prescription)."""

    __tablename__ = "medications"
    __table_args__ = (
        UniqueConstraint("fhir_type", "fhir_id"),
        # Both cover what the indicator criteria test (schema 0009).
        Index("ix_medications_patient", "patient_id", "start", "code", "code_system", "status", "end"),
        Index("ix_medications_code", "code", "start", "code_system", "patient_id", "status", "end"),
        Index("ix_medications_medication_ref", "medication_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    code_system: Mapped[str | None] = mapped_column(String)
    code: Mapped[str | None] = mapped_column(String)
    drug_name: Mapped[str] = mapped_column(String)
    strength: Mapped[str | None] = mapped_column(String)
    dosage_text: Mapped[str | None] = mapped_column(String)
    start: Mapped[date | None]
    end: Mapped[date | None]
    status: Mapped[str | None] = mapped_column(String(20))
    # The id of the Medication resource the drug was named by ("Medication/<id>" without the type), when it
    # was; code_system/code/drug_name/strength are then resolved from ``medication_products``.
    medication_ref: Mapped[str | None] = mapped_column(String(64))
    # Where drug_name came from: "sent", "catalogue" (ATC catalogue), "code" (the code itself) or "unresolved"
    # (a Medication not in the store); NULL for rows written before schema 0008.
    name_source: Mapped[str | None] = mapped_column(String(20))


class MedicationProduct(Provenance, Base):
    """A FHIR Medication resource: the drug that statements and requests may name by reference."""

    __tablename__ = "medication_products"
    __table_args__ = (UniqueConstraint("fhir_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_system: Mapped[str | None] = mapped_column(String)
    code: Mapped[str | None] = mapped_column(String)
    drug_name: Mapped[str | None] = mapped_column(String)
    strength: Mapped[str | None] = mapped_column(String)
    name_source: Mapped[str | None] = mapped_column(String(20))  # as Medication.name_source


class Observation(Provenance, Base):
    """One measured value. A FHIR Observation with components (blood pressure) gives one row per
    component; ``part`` is 0 for the Observation's own value and 1.. for its components."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("fhir_id", "part"),
        # Both cover what the indicator criteria test (schema 0009).
        Index(
            "ix_observations_patient",
            *("patient_id", "code", "effective", "code_system", "status", "value_num", "unit"),
        ),
        Index(
            "ix_observations_code",
            *("code", "effective", "code_system", "status", "value_num", "unit", "patient_id"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    part: Mapped[int]
    code_system: Mapped[str] = mapped_column(String)
    code: Mapped[str] = mapped_column(String)
    display: Mapped[str | None] = mapped_column(String)
    value_num: Mapped[float | None]
    unit: Mapped[str | None] = mapped_column(String)
    value_text: Mapped[str | None] = mapped_column(String)
    effective: Mapped[datetime | None]
    ref_low: Mapped[float | None]
    ref_high: Mapped[float | None]
    interpretation: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(20))


class Encounter(Provenance, Base):
    __tablename__ = "encounters"
    __table_args__ = (
        UniqueConstraint("fhir_id"),
        # Both cover what the indicator criteria test (schema 0009).
        Index("ix_encounters_patient", "patient_id", "start", "encounter_class", "status", "priority", "end"),
        Index("ix_encounters_class", "encounter_class", "start", "patient_id", "status", "priority", "end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    encounter_class: Mapped[str] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(20))
    # v3 ActPriority code (EM emergency, UR urgent, EL elective, R routine, ...); None when not sent.
    priority: Mapped[str | None] = mapped_column(String(20))
    start: Mapped[datetime | None]
    end: Mapped[datetime | None]
    provider: Mapped[str | None] = mapped_column(String)
    type_display: Mapped[str | None] = mapped_column(String)
    reason_system: Mapped[str | None] = mapped_column(String)
    reason_code: Mapped[str | None] = mapped_column(String)
    reason_display: Mapped[str | None] = mapped_column(String)


class HomeCareService(Provenance, Base):
    """A municipal home-care service (FHIR ServiceRequest, see docs/fhir-mapping.md)."""

    __tablename__ = "home_care_services"
    __table_args__ = (
        UniqueConstraint("fhir_id"),
        Index("ix_home_care_services_patient", "patient_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    service_system: Mapped[str | None] = mapped_column(String)
    service_code: Mapped[str | None] = mapped_column(String)
    service_display: Mapped[str] = mapped_column(String)
    hours_per_week: Mapped[float | None]
    start: Mapped[date | None]
    end: Mapped[date | None]
    status: Mapped[str | None] = mapped_column(String(20))
    provider: Mapped[str | None] = mapped_column(String)


class PatientSearchTerm(Base):
    """The words a patient can be found by (each name part, the CPR number, the ISO birth date), so that
    "find a patient" is an index range scan (prefix of a term) instead of a scan of every patient."""

    __tablename__ = "patient_search_terms"
    __table_args__ = (Index("ix_patient_search_terms_term", "term", "patient_id"),)

    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String, primary_key=True)
