"""The patient overview and the indicator pack judge a systolic pressure against the same target, read
from the same file (cockpit/codelists/data/targets.yaml): for every patient, the rule the pack's SQL picks
is the rule the overview picks, and a hit of HT-BP-ABOVE-TARGET is exactly a hypertensive measured patient
whose overview row says the target is not met, with the same limit and reason in its evidence.

Expectations by hand from NBV hypertension as the file has it (AS_OF 30-06-2025): < 145 from 80, < 130
with diabetes, IHD or CKD, < 135 with hypertension alone; strict."""

from datetime import date
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

from cockpit.fhir.importer import import_path
from cockpit.indicators import model as m
from cockpit.indicators.engine import evaluate
from cockpit.indicators.observations import target_rule_index
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.selection import PracticeChoice
from cockpit.indicators.sqlbase import PATIENTS, Context
from cockpit.models import codes
from cockpit.services.overview.facts import load_facts
from cockpit.services.overview.labcatalogue import target_for
from cockpit.services.overview.sections import target_context
from cockpit.store import Store
from tests.indicators.fhir_fixtures import ICPC2, condition, observation, patient

AS_OF = date(2025, 6, 30)
LOINC = "http://loinc.org"

# (name, born, conditions (system, code), systolic): the target each should get, by hand.
PATIENTS_BY_HAND: list[tuple[str, str, list[tuple[str, str]], float]] = [
    ("Hanne", "1960-01-01", [(ICPC2, "K86")], 135),  # < 135 hypertension: 135 is a miss (strict)
    ("Dorte", "1960-01-01", [(ICPC2, "K86"), (ICPC2, "T90")], 130),  # < 130 diabetes: miss
    ("Ida", "1960-01-01", [(ICPC2, "K86"), (ICPC2, "K76")], 129),  # < 130 IHD: met
    ("Nina", "1960-01-01", [(ICPC2, "K86"), (codes.ICD10, "N18")], 131),  # < 130 CKD: miss
    ("Olga", "1940-01-01", [(ICPC2, "K86"), (ICPC2, "T90")], 144),  # < 145 from 80 (first rule): met
    ("Oda", "1940-01-01", [(ICPC2, "K87")], 145),  # < 145 from 80: miss
    ("Dina", "1960-01-01", [(ICPC2, "T90")], 150),  # < 130 diabetes, but not in the pack's population
    ("Gerda", "1940-01-01", [], 150),  # no target anywhere
]
EXPECTED = {
    "Hanne": ("<", 135, "hypertension under 80 år"),
    "Dorte": ("<", 130, "diabetes"),
    "Ida": ("<", 130, "iskæmisk hjertesygdom"),
    "Nina": ("<", 130, "kronisk nyresygdom"),
    "Olga": ("<", 145, "80 år og derover"),
    "Oda": ("<", 145, "80 år og derover"),
    "Dina": ("<", 130, "diabetes"),
    "Gerda": None,
}


def _resources() -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    for number, (name, born, conditions, systolic) in enumerate(PATIENTS_BY_HAND):
        pid = f"p{number}"
        cpr = ("0101601" if born.startswith("1960") else "0101401") + f"{200 + number}"
        resources.append(patient(pid, cpr, name, "Hansen", born))
        for index, (system, code) in enumerate(conditions):
            resources.append(condition(f"c{number}-{index}", pid, system, code, code))
        resources.append(
            observation(f"o{number}", pid, (LOINC, "8480-6"), systolic, unit="mm[Hg]", when="2025-03-03")
        )
    return resources


def test_the_overview_and_the_pack_give_the_same_target(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "Bundle.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in _resources()))
    assert import_path(store, source).quarantined == 0
    indicator = PackRegistry.load(None).indicator("HT-BP-ABOVE-TARGET")
    assert isinstance(indicator.hit, m.ObservationIn) and indicator.hit.target is not None
    target = indicator.hit.target

    with store.engine.connect() as conn:
        rows = conn.execute(
            select(PATIENTS.c.id, PATIENTS.c.given, target_rule_index(target, Context(AS_OF, {})))
        ).all()
    pack_targets = {given: None if index is None else target.rules[index] for _, given, index in rows}
    ids = {given: patient_id for patient_id, given, _ in rows}

    panel = {}
    with store.session() as session:
        for name, patient_id in ids.items():
            facts = load_facts(session, patient_id)
            assert facts is not None
            panel[name] = target_for("systolic", target_context(facts, AS_OF))

    for name, expected in EXPECTED.items():
        shown = panel[name]
        rule = pack_targets[name]
        assert (None if shown is None else (shown.sign, shown.limit, shown.reason.da)) == expected, name
        assert (None if rule is None else (rule.sign, rule.limit, rule.reason.da)) == expected, name

    result = evaluate(store, indicator, AS_OF)
    assert result.population == 6  # the hypertensives; Dina has no hypertension, Gerda no condition
    names = {patient_id: name for name, patient_id in ids.items()}
    hits = {names[hit.patient_id]: hit for hit in result.hits}
    assert sorted(hits) == ["Dorte", "Hanne", "Nina", "Oda"]
    for name, hit in hits.items():
        shown = panel[name]
        assert shown is not None
        systolic = next(value for n, _, _, value in PATIENTS_BY_HAND if n == name)
        assert not shown.met_by(systolic)
        assert hit.evidence == [
            f"Seneste systolisk blodtryk {systolic:g} mmHg den 03-03-2025 "
            f"(mål {shown.sign} {shown.limit:g}: {shown.reason.da})"
        ]


def test_a_practices_old_age_group_thresholds_are_reported_as_unused() -> None:
    # hypertension 1.2.0 took the limits out of the pack (they come from the targets file).
    indicator = PackRegistry.load(None).indicator("HT-BP-ABOVE-TARGET")
    choice = PracticeChoice(thresholds={"HT-BP-ABOVE-TARGET": {"under_80": 140.0, "from_80": 150.0}})
    assert choice.problems(indicator) == [
        "HT-BP-ABOVE-TARGET: threshold under_80=140 is not used: the pack allows no threshold under_80 "
        "(it allows: none)",
        "HT-BP-ABOVE-TARGET: threshold from_80=150 is not used: the pack allows no threshold from_80 "
        "(it allows: none)",
    ]
    assert indicator.thresholds(choice.thresholds_for(indicator)) == {}
