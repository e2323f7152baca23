"""Acceptance: on a generated demo practice, every active diagnosis, active medication and latest lab value
in the store appears in the overview, and nothing else (so nothing of another patient).

The expectations are direct SQL over the store, written from the definitions, independent of the service's
own code; a few attention rules are checked the same way on every patient.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.models import codes
from cockpit.services.overview.labcatalogue import key_test_for
from cockpit.services.overview.sections import PatientOverview
from cockpit.services.overview.service import OverviewService
from cockpit.store import Store

PATIENTS = 300
SEED = 11
AS_OF = date(2026, 6, 1)
SAMPLE = 20

ACTIVE_CONDITIONS = """
    SELECT code_system, code FROM conditions
    WHERE patient_id = :p AND (onset IS NULL OR onset <= :d) AND (abatement IS NULL OR abatement > :d)
      AND coalesce(clinical_status, '') NOT IN ('inactive', 'resolved', 'remission')
      AND coalesce(verification_status, '') NOT IN ('refuted', 'entered-in-error')
"""
ACTIVE_MEDICATIONS = """
    SELECT code_system, code, drug_name FROM medications
    WHERE patient_id = :p AND start <= :d AND (\"end\" IS NULL OR \"end\" >= :d)
      AND coalesce(status, '') NOT IN ('entered-in-error', 'cancelled', 'draft', 'not-taken')
      AND NOT (\"end\" IS NULL AND coalesce(status, '') IN ('stopped', 'completed'))
"""
LATEST_RESULTS = """
    SELECT code_system, code, value_num, value_text, effective FROM (
        SELECT *, row_number() OVER (PARTITION BY code_system, code ORDER BY effective DESC, id DESC) AS n
        FROM observations
        WHERE patient_id = :p AND effective < :next_day
          AND coalesce(status, '') NOT IN ('entered-in-error', 'cancelled')
          AND (value_num IS NOT NULL OR value_text IS NOT NULL)
    ) WHERE n = 1
"""
CONTACTS = """
    SELECT encounter_class, start FROM encounters
    WHERE patient_id = :p AND start IS NOT NULL
      AND coalesce(status, '') NOT IN ('cancelled', 'entered-in-error')
"""
RUNNING_HOME_CARE = """
    SELECT service_display FROM home_care_services
    WHERE patient_id = :p AND (start IS NULL OR start <= :d) AND (\"end\" IS NULL OR \"end\" >= :d)
      AND coalesce(status, '') NOT IN ('draft', 'revoked', 'completed', 'entered-in-error')
"""


@pytest.fixture(scope="module")
def demo_store(module_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    out = tmp_path_factory.mktemp("demo")
    generate_practice(Path(out), patients=PATIENTS, seed=SEED, as_of=AS_OF)
    summary = import_path(module_store, out, today=AS_OF)
    assert summary.quarantined == 0
    return module_store


@pytest.fixture(scope="module")
def overviews(demo_store: Store) -> dict[int, PatientOverview]:
    service = OverviewService(demo_store)
    return {patient_id: service.patient_overview(patient_id, AS_OF) for patient_id in patient_ids(demo_store)}


def patient_ids(store: Store) -> list[int]:
    with store.session() as session:
        return [int(i) for i in session.execute(text("SELECT id FROM patients ORDER BY id")).scalars()]


def sample(store: Store) -> list[int]:
    """Random patients plus those with the longest medication lists and the most results."""
    ids = patient_ids(store)
    with store.session() as session:
        busiest = [
            int(i)
            for table in ("medications", "observations", "conditions")
            for i in session.execute(
                text(f"SELECT patient_id FROM {table} GROUP BY patient_id ORDER BY count(*) DESC LIMIT 2")
            ).scalars()
        ]
    chosen = random.Random(SEED).sample(ids, SAMPLE - len(busiest))
    return sorted(set(chosen + busiest))


def rows(session: Session, sql: str, patient_id: int) -> list[Any]:
    """Dates are bound as the ISO text SQLite stores them as."""
    parameters = {
        "p": patient_id,
        "d": AS_OF.isoformat(),
        "next_day": (AS_OF + timedelta(days=1)).isoformat(),
    }
    return list(session.execute(text(sql), parameters))


@pytest.fixture(scope="module")
def chosen(demo_store: Store) -> Iterator[list[int]]:
    yield sample(demo_store)


def test_the_sample_is_not_trivial(chosen: list[int], overviews: dict[int, PatientOverview]) -> None:
    assert len(chosen) >= SAMPLE - 3
    picked = [overviews[p] for p in chosen]
    assert sum(len(o.medications) for o in picked) > 40
    assert sum(len(o.labs) for o in picked) > 40
    assert any(o.home_care for o in overviews.values())
    assert any(o.attention for o in overviews.values())


def test_every_active_diagnosis_and_nothing_else(
    demo_store: Store, chosen: list[int], overviews: dict[int, PatientOverview]
) -> None:
    with demo_store.session() as session:
        for patient_id in chosen:
            expected = {(system, code) for system, code in rows(session, ACTIVE_CONDITIONS, patient_id)}
            shown = {(d.system, d.code) for d in overviews[patient_id].diagnoses if d.active}
            assert shown == expected, patient_id


def test_every_active_medication_and_nothing_else(
    demo_store: Store, chosen: list[int], overviews: dict[int, PatientOverview]
) -> None:
    with demo_store.session() as session:
        for patient_id in chosen:
            active = rows(session, ACTIVE_MEDICATIONS, patient_id)
            assert all(system == codes.ATC for system, _, _ in active)
            expected = {(code, name) for _, code, name in active}
            shown = {(m.atc, m.drug_name) for m in overviews[patient_id].medications if m.active}
            assert shown == expected, patient_id
            assert overviews[patient_id].active_substances == len({code[:7] for code, _ in expected})


def test_every_latest_lab_value_and_nothing_else(
    demo_store: Store, chosen: list[int], overviews: dict[int, PatientOverview]
) -> None:
    with demo_store.session() as session:
        for patient_id in chosen:
            expected: dict[str, tuple[float | None, str | None, datetime]] = {}
            for system, code, value, value_text, effective in rows(session, LATEST_RESULTS, patient_id):
                test = key_test_for(system, code)
                key = test.key if test is not None else f"{system}|{code}"
                when = datetime.fromisoformat(effective)
                # One key test may arrive under several codes (DNK, LOINC, MedCom home BP): the newest wins.
                if key not in expected or when > expected[key][2]:
                    expected[key] = (value, value_text if value is None else None, when)
            shown = {row.key: (row.value, row.text, row.effective) for row in overviews[patient_id].labs}
            assert shown == expected, patient_id


def test_timeline_header_and_home_care_are_the_patients_own(
    demo_store: Store, chosen: list[int], overviews: dict[int, PatientOverview]
) -> None:
    with demo_store.session() as session:
        for patient_id in chosen:
            overview = overviews[patient_id]
            contacts = sorted(
                (datetime.fromisoformat(start), kind) for kind, start in rows(session, CONTACTS, patient_id)
            )
            shown = sorted((e.start, e.kind) for e in overview.timeline if e.kind != "home_care")
            assert shown == contacts, patient_id
            running = sorted(name for (name,) in rows(session, RUNNING_HOME_CARE, patient_id))
            assert [h.service for h in overview.home_care] == running, patient_id
            name, cpr = session.execute(
                text("SELECT name, cpr FROM patients WHERE id = :p"), {"p": patient_id}
            ).one()
            assert (overview.header.name, overview.header.cpr) == (name, cpr)


def test_diabetes_without_hba1c_and_polypharmacy_agree_with_sql(
    demo_store: Store, overviews: dict[int, PatientOverview]
) -> None:
    """DM-01 and POLY-01 for all patients, against SQL written from the rule definitions."""
    diabetics = 0
    with demo_store.session() as session:
        for patient_id, overview in overviews.items():
            active = rows(session, ACTIVE_CONDITIONS, patient_id)
            diabetic = any(
                (system == codes.ICPC2 and code == "T90")
                or (system == codes.SKS_D and code.startswith("DE11"))
                for system, code in active
            )
            recent_hba1c = session.execute(
                text(
                    "SELECT count(*) FROM observations WHERE patient_id = :p AND code = 'NPU27300'"
                    " AND effective >= '2025-06-02' AND effective < '2026-06-02'"  # within 12 months
                ),
                {"p": patient_id},
            ).scalar_one()
            substances = {code[:7] for _, code, _ in rows(session, ACTIVE_MEDICATIONS, patient_id)}
            fired = {item.rule_id for item in overview.attention}
            assert ("DM-01" in fired) is (diabetic and recent_hba1c == 0), patient_id
            assert ("POLY-01" in fired) is (len(substances) >= 10), patient_id
            diabetics += diabetic
    assert diabetics > 0


def test_overdue_annual_controls_agree_with_sql(
    demo_store: Store, overviews: dict[int, PatientOverview]
) -> None:
    """CTRL-HT-13M and CTRL-COPD-13M for all patients, against SQL written from the definitions
    (docs/attention.md): active disease and no measurement within 13 months (after 01-05-2025)."""
    measured = """
        SELECT count(*) FROM observations
        WHERE patient_id = :p AND code IN :codes AND effective >= '2025-05-02' AND effective < '2026-06-02'
          AND coalesce(status, '') NOT IN ('entered-in-error', 'cancelled')
          AND (value_num IS NOT NULL OR value_text IS NOT NULL)
    """
    blood_pressure = ("8480-6", "DNK05472", "MCS88019")
    spirometry = ("20150-9", "MCS88015", "19926-5", "19868-9")
    counted = {"CTRL-HT-13M": [0, 0], "CTRL-COPD-13M": [0, 0]}  # [in population, overdue]
    with demo_store.session() as session:
        for patient_id, overview in overviews.items():
            active = rows(session, ACTIVE_CONDITIONS, patient_id)
            hypertensive = any(
                (system == codes.ICPC2 and code[:3] in ("K86", "K87"))
                or (system == codes.SKS_D and code[:4] in ("DI10", "DI11", "DI12", "DI13", "DI15"))
                or (system == codes.ICD10 and code[:3] in ("I10", "I11", "I12", "I13", "I15"))
                or (system == codes.SNOMED and code in ("38341003", "59621000"))
                for system, code in active
            )
            copd = any(
                (system == codes.ICPC2 and code[:3] == "R95")
                or (system == codes.SKS_D and code.startswith("DJ44"))
                or (system == codes.ICD10 and code.startswith("J44"))
                or (system == codes.SNOMED and code == "13645005")
                for system, code in active
            )
            fired = {item.rule_id for item in overview.attention}
            for rule_id, ill, measurement_codes in (
                ("CTRL-HT-13M", hypertensive, blood_pressure),
                ("CTRL-COPD-13M", copd, spirometry),
            ):
                statement = text(measured).bindparams(bindparam("codes", expanding=True))
                recent = session.execute(
                    statement, {"p": patient_id, "codes": measurement_codes}
                ).scalar_one()
                assert (rule_id in fired) is (ill and recent == 0), (rule_id, patient_id)
                counted[rule_id][0] += ill
                counted[rule_id][1] += rule_id in fired
    assert all(population > 0 for population, _ in counted.values()), counted
    assert sum(overdue for _, overdue in counted.values()) > 0, counted
