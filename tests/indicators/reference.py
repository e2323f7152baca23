"""A deliberately simple, separate implementation of the reference definitions (docs/indicators.md):
read every row into Python, then decide patient by patient with plain loops and ifs.

It shares no code with cockpit.indicators (not the dates, not the code matching), so an error in the
engine is not repeated here. Clarity over speed: the benchmark shows how much slower it is.
"""

import calendar
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

ICPC2 = "urn:oid:1.2.208.176.2.31"
SKS_SYSTEMS = ("urn:oid:1.2.208.176.2.4.12", "urn:oid:1.2.208.176.2.4")
ICD10 = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"
ATC = "http://www.whocc.no/atc"
NPU_SYSTEMS = ("http://npu-terminology.org", "https://labterm.dk/", "urn:oid:1.2.208.176.2.1")
LOINC = "http://loinc.org"
MEDCOM_SYSTEMS = (
    "urn:oid:1.2.208.184.100.8",
    "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-observation-codes",
)


@dataclass
class PatientRecord:
    id: int
    birth_date: date | None
    deceased: bool
    deceased_date: date | None
    conditions: list[Any] = field(default_factory=list)
    medications: list[Any] = field(default_factory=list)
    observations: list[Any] = field(default_factory=list)
    encounters: list[Any] = field(default_factory=list)


def load_records(conn: Connection) -> list[PatientRecord]:
    patients = {
        row.id: PatientRecord(row.id, _day(row.birth_date), bool(row.deceased), _day(row.deceased_date))
        for row in conn.execute(text("SELECT id, birth_date, deceased, deceased_date FROM patients"))
    }
    by_table = {
        "conditions": "id, patient_id, code_system, code, onset, abatement, clinical_status, "
        "verification_status",
        "medications": 'id, patient_id, code_system, code, start, "end", status',
        "observations": "id, patient_id, code_system, code, value_num, unit, effective, status",
        "encounters": 'id, patient_id, encounter_class, start, "end", status, priority',
    }
    for table, columns in by_table.items():
        for row in conn.execute(text(f"SELECT {columns} FROM {table}")):
            getattr(patients[row.patient_id], table).append(row)
    return list(patients.values())


def _day(value: Any) -> date | None:
    """Dates come back as text from a raw SELECT on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


# --- the definitions, word for word --------------------------------------------------------------------


def twelve_months_before(day: date) -> date:
    year = day.year - 1
    last_day = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last_day))


def within_12_months(moment: Any, as_of: date) -> bool:
    happened = _moment(moment)
    if happened is None:
        return False
    return twelve_months_before(as_of) < happened.date() <= as_of


def age(patient: PatientRecord, as_of: date) -> int | None:
    if patient.birth_date is None:
        return None
    born = patient.birth_date
    years = as_of.year - born.year
    if (as_of.month, as_of.day) < (born.month, born.day):
        years -= 1
    return years


def alive(patient: PatientRecord, as_of: date) -> bool:
    return not patient.deceased and (patient.deceased_date is None or patient.deceased_date > as_of)


def active_condition(row: Any, day: date) -> bool:
    onset, abatement = _day(row.onset), _day(row.abatement)
    if onset is not None and onset > day:
        return False
    if abatement is not None and abatement <= day:
        return False
    if row.clinical_status in ("inactive", "resolved", "remission"):
        return False
    return row.verification_status not in ("refuted", "entered-in-error")


def active_medication(row: Any, day: date) -> bool:
    start, end = _day(row.start), _day(row.end)
    if start is None and row.status != "active":
        return False
    if start is not None and start > day:
        return False
    if end is not None and end < day:
        return False
    if row.status in ("entered-in-error", "cancelled", "draft", "not-taken"):
        return False
    return not (end is None and row.status in ("stopped", "completed"))


def observation_counts(row: Any) -> bool:
    return row.status not in ("entered-in-error", "cancelled")


def icpc_rubric(code: str) -> str:
    """ICPC-2 is matched by its rubric, the first three characters: T90.01 and T9001 are T90."""
    return code[:3]


def is_type_2_diabetes(row: Any) -> bool:
    system: str = row.code_system
    code: str = row.code
    if system == ICPC2:
        return icpc_rubric(code) == "T90"
    if system in SKS_SYSTEMS:
        return code.startswith("DE11")
    if system == ICD10:
        return code.startswith("E11")
    return system == SNOMED and code == "44054006"


def is_type_1_diabetes(row: Any) -> bool:
    system: str = row.code_system
    code: str = row.code
    if system == ICPC2:
        return icpc_rubric(code) == "T89"
    if system in SKS_SYSTEMS:
        return code.startswith("DE10")
    if system == ICD10:
        return code.startswith("E10")
    return system == SNOMED and code == "46635009"


def is_hypertension(row: Any) -> bool:
    """The definition names ICPC-2, SKS and ICD-10; the codelist also has the two SNOMED codes (for
    international data), so they are here too."""
    system: str = row.code_system
    code: str = row.code
    if system == ICPC2:
        return icpc_rubric(code) in ("K86", "K87")
    if system in SKS_SYSTEMS:
        return code.startswith(("DI10", "DI11", "DI12", "DI13", "DI15"))
    if system == ICD10:
        return code.startswith(("I10", "I11", "I12", "I13", "I15"))
    return system == SNOMED and code in ("38341003", "59621000")


def is_systolic_bp(row: Any) -> bool:
    """LOINC 8480-6, DNK05472 (NPU systems), MedCom MCS88019; a panel's component is its own row."""
    system: str = row.code_system
    code: str = row.code
    if system in NPU_SYSTEMS:
        return code == "DNK05472"
    if system in MEDCOM_SYSTEMS:
        return code == "MCS88019"
    return system == LOINC and code == "8480-6"


def is_ischaemic_heart_disease(row: Any) -> bool:
    system: str = row.code_system
    code: str = row.code
    if system == ICPC2:
        return icpc_rubric(code) in ("K74", "K75", "K76")
    if system in SKS_SYSTEMS:
        return any(code.startswith(f"DI2{n}") for n in range(6))
    if system == ICD10:
        return any(code.startswith(f"I2{n}") for n in range(6))
    return system == SNOMED and code == "414545008"


def is_hba1c(row: Any) -> bool:
    system: str = row.code_system
    code: str = row.code
    if system in NPU_SYSTEMS:
        return code == "NPU27300"
    return system == LOINC and code in ("59261-8", "4548-4")


def atc(row: Any, *prefixes: str) -> bool:
    code: str | None = row.code
    return row.code_system == ATC and code is not None and code.startswith(prefixes)


def is_nsaid(row: Any) -> bool:
    return atc(row, "M01A") and not atc(row, "M01AX")


def hba1c_mmol_mol(row: Any) -> float | None:
    value: float | None = row.value_num
    if value is None:
        return None
    unit = (row.unit or "").replace(" ", "").lower()  # the definition's units, in any case or spacing
    if unit == "mmol/mol":
        return value
    if unit == "%":
        return 10.929 * (value - 2.15)
    return None


# --- the indicators: (population, hits) ------------------------------------------------------------------

Result = tuple[set[int], set[int]]


def dm_population(patient: PatientRecord, as_of: date) -> bool:
    years = age(patient, as_of)
    if not alive(patient, as_of) or years is None or years < 18:
        return False
    if any(is_type_1_diabetes(c) and active_condition(c, as_of) for c in patient.conditions):
        return False
    return any(is_type_2_diabetes(c) and active_condition(c, as_of) for c in patient.conditions)


def dm_measured_population(patient: PatientRecord, as_of: date) -> bool:
    """DM-HBA1C-HIGH: DM-HBA1C-12M's population with at least one numeric HbA1c within 12 months."""
    if not dm_population(patient, as_of):
        return False
    return any(
        is_hba1c(row)
        and observation_counts(row)
        and row.value_num is not None
        and within_12_months(row.effective, as_of)
        for row in patient.observations
    )


def dm_hba1c_12m(patient: PatientRecord, as_of: date) -> bool:
    for row in patient.observations:
        if is_hba1c(row) and observation_counts(row) and within_12_months(row.effective, as_of):
            return False
    return True


def dm_hba1c_high(patient: PatientRecord, as_of: date) -> bool:
    latest = None
    for row in patient.observations:
        if not (is_hba1c(row) and observation_counts(row) and within_12_months(row.effective, as_of)):
            continue
        if hba1c_mmol_mol(row) is None:
            continue
        if latest is None or (_moment(row.effective), row.id) > (_moment(latest.effective), latest.id):
            latest = row
    if latest is None:
        return False
    value = hba1c_mmol_mol(latest)
    return value is not None and value >= 75


def ihd_population(patient: PatientRecord, as_of: date) -> bool:
    if not alive(patient, as_of):
        return False
    return any(is_ischaemic_heart_disease(c) and active_condition(c, as_of) for c in patient.conditions)


def ihd_statin(patient: PatientRecord, as_of: date) -> bool:
    statins = ("C10AA", "C10BA", "C10BX")
    return not any(atc(m, *statins) and active_medication(m, as_of) for m in patient.medications)


def on_nsaid(patient: PatientRecord, as_of: date) -> bool:
    if not alive(patient, as_of):
        return False
    return any(is_nsaid(m) and active_medication(m, as_of) for m in patient.medications)


def safe_nsaid_oac(patient: PatientRecord, as_of: date) -> bool:
    return any(atc(m, "B01AA", "B01AE", "B01AF") and active_medication(m, as_of) for m in patient.medications)


def safe_triple(patient: PatientRecord, as_of: date) -> bool:
    raas = any(atc(m, "C09") and active_medication(m, as_of) for m in patient.medications)
    diuretics = ("C03", "C07B", "C07C", "C09BA", "C09DA", "C09XA52")
    diuretic = any(atc(m, *diuretics) and active_medication(m, as_of) for m in patient.medications)
    return raas and diuretic


def poly_population(patient: PatientRecord, as_of: date) -> bool:
    years = age(patient, as_of)
    return alive(patient, as_of) and years is not None and years >= 75


def poly_75_10(patient: PatientRecord, as_of: date) -> bool:
    codes = set()
    for row in patient.medications:
        if (
            row.code_system == ATC
            and row.code is not None
            and len(row.code) == 7
            and active_medication(row, as_of)
        ):
            codes.add(row.code)
    return len(codes) >= 10


def ht_population(patient: PatientRecord, as_of: date) -> bool:
    years = age(patient, as_of)
    if not alive(patient, as_of) or years is None or years < 18:
        return False
    return any(is_hypertension(c) and active_condition(c, as_of) for c in patient.conditions)


def ht_bp_12m(patient: PatientRecord, as_of: date) -> bool:
    return not any(
        is_systolic_bp(row) and observation_counts(row) and within_12_months(row.effective, as_of)
        for row in patient.observations
    )


def everyone_alive(patient: PatientRecord, as_of: date) -> bool:
    return alive(patient, as_of)


def acute_inpatient_stays(patient: PatientRecord, as_of: date) -> list[tuple[date, date]]:
    """(first day, last day) of each acute inpatient stay that began on or before as_of, in order.

    Acute: priority not EL or R (none counts). An encounter that starts at most 1 day after the last day
    of the stay so far belongs to that stay. An encounter without an end lasts its start day."""
    contacts = []
    for row in patient.encounters:
        if row.encounter_class != "inpatient" or row.status in ("cancelled", "entered-in-error"):
            continue
        if row.priority in ("EL", "R"):
            continue
        start = _moment(row.start)
        if start is None or start.date() > as_of:
            continue
        end = _moment(row.end) or start
        contacts.append((start, row.id, end.date()))
    stays: list[tuple[date, date]] = []
    for start, _id, last_day in sorted(contacts):
        if stays and (start.date() - stays[-1][1]).days <= 1:
            stays[-1] = (stays[-1][0], max(stays[-1][1], last_day))
        else:
            stays.append((start.date(), last_day))
    return stays


def util_adm_12m(patient: PatientRecord, as_of: date) -> bool:
    stays = acute_inpatient_stays(patient, as_of)
    return sum(within_12_months(first, as_of) for first, _last in stays) >= 2


def util_readmit_30d(patient: PatientRecord, as_of: date) -> bool:
    stays = acute_inpatient_stays(patient, as_of)
    for previous, stay in itertools.pairwise(stays):
        if within_12_months(stay[0], as_of) and (stay[0] - previous[1]).days <= 30:
            return True
    return False


Rule = Callable[[PatientRecord, date], bool]
DEFINITIONS: dict[str, tuple[Rule, Rule]] = {
    "DM-HBA1C-12M": (dm_population, dm_hba1c_12m),
    "DM-HBA1C-HIGH": (dm_measured_population, dm_hba1c_high),
    "IHD-STATIN": (ihd_population, ihd_statin),
    "SAFE-NSAID-OAC": (on_nsaid, safe_nsaid_oac),
    "SAFE-TRIPLE": (on_nsaid, safe_triple),
    "POLY-75-10": (poly_population, poly_75_10),
    "UTIL-ADM-12M": (everyone_alive, util_adm_12m),
    "HT-BP-12M": (ht_population, ht_bp_12m),
    "UTIL-READMIT-30D": (everyone_alive, util_readmit_30d),
}


def evaluate_reference(records: list[PatientRecord], indicator_id: str, as_of: date) -> Result:
    in_population, is_hit = DEFINITIONS[indicator_id]
    population: set[int] = set()
    hits: set[int] = set()
    for patient in records:
        if in_population(patient, as_of):
            population.add(patient.id)
            if is_hit(patient, as_of):
                hits.add(patient.id)
    return population, hits
