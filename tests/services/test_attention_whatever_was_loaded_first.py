"""The attention panel does not depend on whether the risk lists were loaded first (issue 17): the panel
asks the risk service for the lists of the day, which evaluates them if they were not yet (recording no
list as shown: none is).

Hand-checked on Else of tests/indicators/fhir_fixtures.py (AS_OF 30-06-2025): the active indicators that
find her are those of tests/indicators/test_engine.py::test_one_patients_attention_panel; the built-in rules
that find her (SAFE-03: ibuprofen with apixaban; DM-03: HbA1c 81; UTIL-01: two admissions) all give way,
to SAFE-NSAID-OAC and UTIL-ADM-12M (active) and to the DM-HBA1C-HIGH hit."""

from pathlib import Path

from cockpit.services.practice import Practice
from cockpit.store import Store
from tests.privacy.audit_support import ANNA, AS_OF, ELSE_CPR, log_rows, patient_id, three_patients

ELSE_PANEL = {
    "DM-HBA1C-HIGH",
    "DM-UACR-24M",
    "DM-BP-12M",
    "DM-LIPID",
    "SAFE-NSAID-OAC",
    "SAFE-NSAID-65-PPI",
    "UTIL-ADM-12M",
}


def test_a_patient_opened_before_and_after_the_risk_lists_shows_the_same_attention(
    store: Store, tmp_path: Path
) -> None:
    three_patients(store, tmp_path)
    else_id = patient_id(store, ELSE_CPR)
    practice = Practice(store, today=lambda: AS_OF, actor=ANNA)

    before = practice.patient_overview(else_id).attention
    assert [r[4] for r in log_rows(store)] == ["patient.open"]  # no list was recorded as shown
    practice.risk_lists()
    after = practice.patient_overview(else_id).attention

    assert {item.rule_id for item in before} == ELSE_PANEL
    assert before == after
    # A second window that loads the risk lists first shows the same too.
    lists_first = Practice(store, today=lambda: AS_OF, actor=ANNA)
    lists_first.risk_lists()
    assert lists_first.patient_overview(else_id).attention == before
