"""The value sets the overview and its attention rules need: the same codelists the indicator packs use
(cockpit/codelists/data, docs/codelists.md), so panel and packs recognise the same codes the same way
(prefixes in ATC, SKS and ICD-10; ICPC-2 by its rubric, so a Danish extension such as "T90.01" counts).
"""

from dataclasses import dataclass
from typing import Final

from cockpit.codelists.loader import Codelist, codelist
from cockpit.models import codes


@dataclass(frozen=True, slots=True)
class DiagnosisSet:
    name: str
    codelist: Codelist

    def matches(self, system: str, code: str) -> bool:
        return self.codelist.matches(system, code)


@dataclass(frozen=True, slots=True)
class AtcGroup:
    name: str
    codelists: tuple[Codelist, ...]

    def matches(self, atc: str) -> bool:
        return any(c.matches(codes.ATC, atc) for c in self.codelists)

    @property
    def label(self) -> str:
        """The ATC codes the group includes, for evidence texts ("C10AA, C10BA, C10BX")."""
        return ", ".join(e.code for c in self.codelists for e in c.include if e.system == "ATC")


def _diagnoses(name: str, codelist_id: str) -> DiagnosisSet:
    return DiagnosisSet(name, codelist(codelist_id))


def _drugs(name: str, *codelist_ids: str) -> AtcGroup:
    return AtcGroup(name, tuple(codelist(i) for i in codelist_ids))


# Type 1 diabetes is left out of the type 2 rules on purpose, as in DM-HBA1C-12M: it is followed by the
# hospital's diabetes clinic, not by the GP's annual control.
TYPE_2_DIABETES: Final = _diagnoses("Type 2-diabetes", "t2d")
TYPE_1_DIABETES: Final = _diagnoses("Type 1-diabetes", "t1d")
ISCHAEMIC_HEART_DISEASE: Final = _diagnoses("Iskæmisk hjertesygdom", "ihd")
HYPERTENSION: Final = _diagnoses("Hypertension", "hypertension")

NSAID: Final = _drugs("NSAID", "nsaid")
ORAL_ANTICOAGULANT: Final = _drugs("antikoagulans", "oral-anticoagulant")
# C09 as a whole (combination tablets included), as SAFE-TRIPLE.
ACE_INHIBITOR_OR_ARB: Final = _drugs("ACE-hæmmer/ARB", "ras-blocker")
# ACE inhibitors and ARBs, plain and combined, and loop diuretics, as SAFE-RAS-LOOP-75-MONITOR.
ACE_ARB_OR_LOOP_DIURETIC: Final = _drugs("ACE-hæmmer/ARB/loop-diuretikum", "ace-arb", "loop-diuretic")
DIURETIC: Final = _drugs("diuretikum", "diuretic")
STATIN: Final = _drugs("statin", "statin")
METHOTREXATE: Final = _drugs("methotrexat", "methotrexate")
TRIMETHOPRIM: Final = _drugs("trimethoprim", "trimethoprim")


@dataclass(frozen=True, slots=True)
class MeasurementSet:
    """Observations that record one thing (spirometry: FEV1, FEV1/FVC or FVC), in whatever unit."""

    name: str
    codelists: tuple[Codelist, ...]

    def matches(self, system: str, code: str) -> bool:
        return any(c.matches(system, code) for c in self.codelists)


def _measurements(name: str, *codelist_ids: str) -> MeasurementSet:
    return MeasurementSet(name, tuple(codelist(i) for i in codelist_ids))


CHRONIC_OBSTRUCTIVE_PULMONARY_DISEASE: Final = _diagnoses("KOL", "copd")
# As COPD-SPIRO-12M: any FEV1, FEV1/FVC or FVC result is a spirometry.
SPIROMETRY: Final = _measurements("spirometri", "fev1", "fev1-fvc", "fvc")
# As HT-BP-12M: a systolic pressure (clinic or home, LOINC, DNK or MedCom; a panel's component counts).
BLOOD_PRESSURE: Final = _measurements("blodtryk", "systolic-bp")
LDL_CHOLESTEROL: Final = _measurements("LDL-kolesterol", "ldl")
