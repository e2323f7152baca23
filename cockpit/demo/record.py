"""What the simulation knows about one made-up patient, before it is written as FHIR.

The simulation steps (states, treatment, episodes, monitoring, contacts, home care) fill a ``PatientRecord``
in turn; ``fhir.py`` turns it into resources. Keeping the facts apart from the FHIR shape lets the clinical
rules read like rules.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random

from cockpit.demo.dates import working_day
from cockpit.demo.vocabulary import Code, Drug, Measure


@dataclass(frozen=True, slots=True)
class Gp:
    id: str
    given: str
    family: str
    ydernummer: str

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass(frozen=True, slots=True)
class Practice:
    id: str
    name: str
    street: str
    postal_code: str
    city: str
    municipality: str
    gps: tuple[Gp, ...]


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    id: str
    male: bool
    birth_date: date
    age: int
    given: list[str]
    family: str
    cpr: str
    street: str
    postal_code: str
    city: str
    municipality: str
    hospital: str
    gp: Gp


@dataclass(slots=True)
class Diagnosis:
    code: Code
    onset: date
    abatement: date | None = None


@dataclass(slots=True)
class Prescription:
    drug: Drug
    start: date
    end: date | None = None  # None: still taken on the as-of date


@dataclass(slots=True)
class Result:
    measure: Measure
    when: datetime
    value: float


@dataclass(slots=True)
class BloodPressure:
    when: datetime
    systolic: int
    diastolic: int
    home: bool = False  # measured by the patient at home and sent by telemedicine (MedCom codes)


@dataclass(frozen=True, slots=True)
class CodingStyle:
    """How this patient's data reach the cockpit: the clinic system, lab and drug list decide the shapes,
    not the clinical facts (drawn from a stream of its own, see model.CODING)."""

    vitals: str = "danish"  # "danish" (NPU/DNK) or "loinc"
    bp_panel: bool = False  # one panel Observation with components, else two Observations
    other_unit_spelling: bool = False  # "mmol/l", "mL/min/1.73m2"... (vocabulary.UNIT_SPELLINGS)
    medcom_spirometry: bool = False  # FEV1 as MedCom MCS88015 instead of LOINC
    drugs: str = "concept"  # "concept", "atc_only" (no display, no text) or "reference" (Medication/<id>)
    fmk_without_start: bool = False  # long-term active drugs sent without a start date


@dataclass(slots=True)
class SmokingStatus:
    when: datetime
    status: Code


@dataclass(slots=True)
class Contact:
    kind: str  # a code of vocabulary.CONTACT_TYPES
    start: datetime
    end: datetime
    provider: str | None  # a hospital; None: the patient's own practice
    reason: Code | None = None
    emergency: bool | None = None  # hospital contacts: acute (True) or planned (False)


@dataclass(slots=True)
class HomeCare:
    service: Code
    start: date
    end: date | None
    hours_per_week: float | None


@dataclass(slots=True)
class Physiology:
    """Per-patient levels the lab values and measurements scatter around."""

    egfr_now: float
    egfr_decline: float  # mL/min/1.73 m2 per year
    hba1c_level: float  # where a controlled diabetic's HbA1c settles
    hba1c_at_diagnosis: float
    hba1c_peak: float  # the latest HbA1c of a poorly controlled diabetic (> 70)
    hba1c_poor: bool
    ldl_untreated: float
    uacr_level: float
    potassium: float
    sodium: float
    alat: float
    haemoglobin: float
    systolic: float
    diastolic: float
    height_m: float
    bmi: float
    fev1_fvc: float
    fev1_fraction: float


@dataclass(slots=True)
class PatientRecord:
    """A patient under simulation: who they are, the drawn states, and the facts generated so far."""

    person: Person
    rng: Random
    as_of: date
    last_day: date  # the last day events may fall on (the day before as_of)
    history_start: date  # first day of the generated history (not before birth)
    states: dict[str, date] = field(default_factory=dict)  # state -> since when
    flags: set[str] = field(default_factory=set)  # gap and sub-type flags, see model.GapRates
    smoking: Code | None = None
    physiology: Physiology | None = None
    diagnoses: list[Diagnosis] = field(default_factory=list)
    prescriptions: list[Prescription] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    blood_pressures: list[BloodPressure] = field(default_factory=list)
    smoking_records: list[SmokingStatus] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    home_care: list[HomeCare] = field(default_factory=list)
    ami_date: date | None = None
    coding: CodingStyle = field(default_factory=CodingStyle)

    @property
    def age(self) -> int:
        return self.person.age

    def weekday(self, day: date, earliest: date | None = None) -> date:
        """``day`` moved off a weekend (general practice, outpatient clinics and labs work Monday-Friday),
        staying within [``earliest`` or the history start, the last day]."""
        return working_day(day, earliest or self.history_start, self.last_day)

    def has(self, state: str) -> bool:
        return state in self.states

    def active_atc(self) -> set[str]:
        return {p.drug.atc for p in self.prescriptions if p.end is None}

    def on(self, *prefixes: str) -> bool:
        """Whether an active drug's ATC starts with one of ``prefixes``."""
        return any(p.end is None and p.drug.atc.startswith(prefixes) for p in self.prescriptions)

    def started(self, *prefixes: str) -> date | None:
        """The earliest start of an active drug in ``prefixes`` (None if none is active)."""
        starts = [p.start for p in self.prescriptions if p.end is None and p.drug.atc.startswith(prefixes)]
        return min(starts) if starts else None

    @property
    def physio(self) -> Physiology:
        assert self.physiology is not None, "states.draw_states sets the physiology first"
        return self.physiology
