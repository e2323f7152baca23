"""The key lab tests and measurements the patient overview shows first, and how to read them.

Each key test takes the codes that mean it from the codelists the indicator packs use (cockpit/codelists/data:
NPU/DNK, MedCom, and LOINC so that international data such as Synthea works too); here are the unit the GP
reads and how values in other units are converted. A value whose unit is not one the test knows is never
guessed at: it stays an "other test" under its own code.

``verified`` on a code is the codelist's: the unverified ones are the LOINC codes Synthea uses for the same
quantity in another specimen or unit (blood rather than plasma, mg/dL rather than mmol/L).

Targets come only from cockpit/codelists/data/targets.yaml (see ``target_for``), the file the indicator packs
read too; reference intervals come from the lab's own result.
"""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeAlias

from cockpit.codelists import targets
from cockpit.codelists.loader import SYSTEMS, codelist
from cockpit.codelists.targets import TargetRule
from cockpit.codelists.units import unit_key

CREATININE_MG_DL_TO_UMOL_L: Final = 88.4
LDL_MG_DL_PER_MMOL_L: Final = 38.67
HB_G_DL_TO_MMOL_L: Final = 0.6206
# IFCC (mmol/mol) = 10.929 x (DCCT % - 2.15), the IFCC/NGSP master equation.
HBA1C_IFCC_PER_DCCT_PERCENT: Final = 10.929
HBA1C_DCCT_OFFSET: Final = 2.15
# 1 mg albumin per mmol creatinine = 8.84 mg per g (creatinine: 113.12 g/mol).
UACR_MG_MMOL_TO_MG_G: Final = 8.84


@dataclass(frozen=True, slots=True)
class Conversion:
    """value in the test's unit = value x factor + offset."""

    factor: float = 1.0
    offset: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.factor == 1.0 and self.offset == 0.0

    def apply(self, value: float) -> float:
        return value * self.factor + self.offset


SAME: Final = Conversion()


@dataclass(frozen=True, slots=True)
class LabCode:
    system: str  # the codelists' symbolic name (NPU, LOINC, MEDCOM), which stands for all its URIs
    code: str
    verified: bool


@dataclass(frozen=True, slots=True)
class KeyTest:
    """One key test. ``units`` maps a normalised source unit (see ``unit_key``) to its conversion; a value
    without a unit is taken to be in ``unit``."""

    key: str
    name: str
    unit: str
    decimals: int
    codes: tuple[LabCode, ...]
    units: Mapping[str, Conversion] = field(default_factory=dict)

    def conversion(self, unit: str | None) -> Conversion | None:
        """How to bring a value in ``unit`` to this test's unit; None when the unit is not known."""
        if unit is None:
            return SAME
        return self.units.get(unit_key(unit))


Target: TypeAlias = TargetRule  # one rule of the targets file: limit, comparison, reason


@dataclass(frozen=True, slots=True)
class TargetContext:
    """What a target depends on: the patient's age on the day and the codelists (ids) of which they have
    an active condition (only those the targets file names matter, see ``target_codelists``)."""

    age: int | None
    conditions: frozenset[str]


def _units(*pairs: tuple[str, Conversion]) -> dict[str, Conversion]:
    return {unit_key(unit): conversion for unit, conversion in pairs}


def _codes(*codelist_ids: str) -> tuple[LabCode, ...]:
    """The included codes of the codelists (cockpit/codelists/data), in file order."""
    return tuple(
        LabCode(entry.system, entry.code, entry.verified is not False)
        for codelist_id in codelist_ids
        for entry in codelist(codelist_id).include
    )


_MMOL_L: Final = _units(("mmol/L", SAME), ("meq/L", SAME))  # K+ and Na+ are monovalent: 1 mEq = 1 mmol
_HBA1C_FROM_PERCENT: Final = Conversion(
    HBA1C_IFCC_PER_DCCT_PERCENT, -HBA1C_IFCC_PER_DCCT_PERCENT * HBA1C_DCCT_OFFSET
)

KEY_TESTS: Final[tuple[KeyTest, ...]] = (
    KeyTest(
        "hba1c",
        "HbA1c",
        "mmol/mol",
        0,
        # hba1c-dcct is the legacy DCCT-% code; one LOINC code is %, the other mmol/mol: the unit decides.
        _codes("hba1c", "hba1c-dcct"),
        _units(("mmol/mol", SAME), ("%", _HBA1C_FROM_PERCENT)),
    ),
    KeyTest(
        "egfr",
        "eGFR",
        "mL/min/1,73 m²",
        0,
        _codes("egfr"),
        # Synthea writes plain "mL/min" for an eGFR that is per 1.73 m² by definition.
        _units(("mL/min/{1.73_m2}", SAME), ("mL/min/1.73m2", SAME), ("mL/min", SAME)),
    ),
    KeyTest(
        "creatinine",
        "Kreatinin",
        "µmol/L",
        0,
        _codes("creatinine"),
        _units(
            ("umol/L", SAME),
            ("mg/dL", Conversion(CREATININE_MG_DL_TO_UMOL_L)),
            ("mmol/L", Conversion(1000.0)),
        ),
    ),
    KeyTest(
        "ldl",
        "LDL-kolesterol",
        "mmol/L",
        1,
        _codes("ldl"),
        _units(("mmol/L", SAME), ("mg/dL", Conversion(1 / LDL_MG_DL_PER_MMOL_L))),
    ),
    KeyTest(
        "uacr",
        "U-albumin/kreatinin",
        "mg/g",
        0,
        _codes("uacr"),
        _units(("mg/g", SAME), ("mg/mmol", Conversion(UACR_MG_MMOL_TO_MG_G))),
    ),
    KeyTest("potassium", "Kalium", "mmol/L", 1, _codes("potassium"), _MMOL_L),
    KeyTest("sodium", "Natrium", "mmol/L", 0, _codes("sodium"), _MMOL_L),
    KeyTest("alat", "ALAT", "U/L", 0, _codes("alat"), _units(("U/L", SAME), ("IU/L", SAME))),
    KeyTest(
        "haemoglobin",
        "Hæmoglobin",
        "mmol/L",
        1,
        _codes("haemoglobin"),
        _units(
            ("mmol/L", SAME),
            ("g/dL", Conversion(HB_G_DL_TO_MMOL_L)),
            ("g/L", Conversion(HB_G_DL_TO_MMOL_L / 10)),
        ),
    ),
    KeyTest(
        "weight",
        "Vægt",
        "kg",
        1,
        _codes("weight"),
        _units(("kg", SAME), ("g", Conversion(0.001)), ("[lb_av]", Conversion(0.45359237))),
    ),
    KeyTest("bmi", "BMI", "kg/m²", 1, _codes("bmi"), _units(("kg/m2", SAME))),
    # Arm blood pressure at the clinic (LOINC, DNK) or at home (MedCom); a panel's components count.
    KeyTest(
        "systolic",
        "Blodtryk, systolisk",
        "mmHg",
        0,
        _codes("systolic-bp"),
        _units(("mm[Hg]", SAME), ("mmHg", SAME)),
    ),
    KeyTest(
        "diastolic",
        "Blodtryk, diastolisk",
        "mmHg",
        0,
        _codes("diastolic-bp"),
        _units(("mm[Hg]", SAME), ("mmHg", SAME)),
    ),
    KeyTest(
        "fev1_fvc",
        "FEV1/FVC",
        "%",
        0,
        _codes("fev1-fvc"),
        _units(("%", SAME), ("1", Conversion(100.0)), ("{ratio}", Conversion(100.0))),
    ),
    KeyTest("fev1", "FEV1", "L", 2, _codes("fev1"), _units(("L", SAME))),
)
KEY_TEST_BY_KEY: Final = {test.key: test for test in KEY_TESTS}
KEY_TEST_ORDER: Final = {test.key: position for position, test in enumerate(KEY_TESTS)}


def _by_code() -> dict[tuple[str, str], KeyTest]:
    table: dict[tuple[str, str], KeyTest] = {}
    for test in KEY_TESTS:
        for lab_code in test.codes:
            for system in SYSTEMS[lab_code.system]:
                table[(system, lab_code.code)] = test
    return table


_KEY_TEST_BY_CODE: Final = _by_code()


def key_test_for(system: str, code: str) -> KeyTest | None:
    return _KEY_TEST_BY_CODE.get((system, code))


def key_test_with_code(code: str) -> KeyTest | None:
    """The key test one of whose codes is ``code`` (in whichever system)."""
    return next((test for test in KEY_TESTS if any(c.code == code for c in test.codes)), None)


# --- targets (cockpit/codelists/data/targets.yaml, the same file the indicator packs read) ------------------

# The key test each measure of the targets file is about.
TARGET_MEASURES: Final = {
    "systolic": "systolic-bp",
    "diastolic": "diastolic-bp",
    "ldl": "ldl",
    "hba1c": "hba1c",
}


def target_context(age: int | None, active_conditions: Iterable[tuple[str, str]]) -> TargetContext:
    """The context of a patient of ``age`` with these active conditions ((system URI, code) pairs)."""
    active = tuple(active_conditions)
    return TargetContext(
        age,
        frozenset(
            codelist_id
            for codelist_id in target_codelists()
            if any(codelist(codelist_id).matches(system, code) for system, code in active)
        ),
    )


def target_for(key: str, context: TargetContext) -> Target | None:
    """The patient's target for this key test from the targets file (the first rule that applies, with
    its reason), or None where the file gives none."""
    measure_id = TARGET_MEASURES.get(key)
    if measure_id is None:
        return None
    return targets.measure(measure_id).target_for(context.age, context.conditions)


@functools.cache
def target_codelists() -> tuple[str, ...]:
    """The codelists whose active conditions some target depends on."""
    return tuple(dict.fromkeys(c for m in TARGET_MEASURES.values() for c in targets.measure(m).codelists))
