"""The few value sets the overview and its attention rules need, from ../shared/domain.

Diagnosis sets follow indicators-reference.yaml (vs_t2d, vs_ihd, ...) with their verified codes; ATC groups
follow its atc_* sets. Hierarchical systems (SKS, ICD-10, ATC) match by prefix, ICPC-2 by its rubric (the
first three characters, so a Danish extension such as "T90.00" still counts).
"""

from dataclasses import dataclass
from typing import Final

from cockpit.models import codes

ICPC_RUBRIC_LENGTH: Final = 3
_ICPC: Final = codes.ICPC2
_SKS_SYSTEMS: Final = (codes.SKS_D, codes.SKS)


@dataclass(frozen=True, slots=True)
class DiagnosisSet:
    name: str
    # system -> codes (prefixes in hierarchical systems)
    codes: dict[str, frozenset[str]]

    def matches(self, system: str, code: str) -> bool:
        wanted = self.codes.get(system)
        if not wanted:
            return False
        if system == _ICPC:
            return code[:ICPC_RUBRIC_LENGTH] in wanted
        if system in codes.HIERARCHICAL:
            return code.replace(".", "").startswith(tuple(wanted))
        return code in wanted


def _diagnoses(name: str, icpc: set[str], icd10: set[str], snomed: set[str]) -> DiagnosisSet:
    """SKS D-codes are "D" + the ICD-10 code, under either SKS system URI."""
    sks = frozenset("D" + code for code in icd10)
    table = {_ICPC: frozenset(icpc), codes.ICD10: frozenset(icd10), codes.SNOMED: frozenset(snomed)}
    table |= dict.fromkeys(_SKS_SYSTEMS, sks)
    return DiagnosisSet(name, table)


# vs_t2d (all codes verified). Type 1 diabetes is left out on purpose, as in DM-01/DM-02: it is followed
# by the hospital's diabetes clinic, not by the GP's annual control.
TYPE_2_DIABETES: Final = _diagnoses("Type 2-diabetes", {"T90"}, {"E11"}, {"44054006"})
# vs_ihd: ICPC K74-K76, ICD-10 I20-I25 (DI22 not seen in a source), SNOMED 414545008.
ISCHAEMIC_HEART_DISEASE: Final = _diagnoses(
    "Iskæmisk hjertesygdom", {"K74", "K75", "K76"}, {"I20", "I21", "I22", "I23", "I24", "I25"}, {"414545008"}
)
# vs_hypertension: ICPC K86/K87, ICD-10 I10-I13 and I15, SNOMED 38341003 and 59621000.
HYPERTENSION: Final = _diagnoses(
    "Hypertension", {"K86", "K87"}, {"I10", "I11", "I12", "I13", "I15"}, {"38341003", "59621000"}
)
# No specific ICPC-2 code for CKD (U99 is unverified, so unused); N18 and SNOMED 709044004 are V*.
CHRONIC_KIDNEY_DISEASE: Final = _diagnoses("Kronisk nyresygdom", set(), {"N18"}, {"709044004"})


@dataclass(frozen=True, slots=True)
class AtcGroup:
    name: str
    prefixes: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def matches(self, atc: str) -> bool:
        # startswith(()) is False, so no exclusions excludes nothing.
        return atc.startswith(self.prefixes) and not atc.startswith(self.excluded)


# atc_nsaid_systemic: M01A without M01AX (non-NSAID anti-inflammatory agents such as glucosamine).
NSAID: Final = AtcGroup("NSAID", ("M01A",), ("M01AX",))
# atc_oral_anticoagulants: VKA, dabigatran (the only oral B01AE) and the factor Xa inhibitors.
ORAL_ANTICOAGULANT: Final = AtcGroup("antikoagulans", ("B01AA", "B01AE07", "B01AF"))
ACE_INHIBITOR_OR_ARB: Final = AtcGroup("ACE-hæmmer/ARB", ("C09",))
DIURETIC: Final = AtcGroup("diuretikum", ("C03",))
LOOP_DIURETIC: Final = AtcGroup("loop-diuretikum", ("C03C",))
STATIN: Final = AtcGroup("statin", ("C10AA",))
METHOTREXATE: Final = AtcGroup("methotrexat", ("L04AX03", "L01BA01"))
TRIMETHOPRIM: Final = AtcGroup("trimethoprim", ("J01EA01", "J01EE01"))
