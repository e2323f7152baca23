"""The drug indicators and the overview on data shaped as FMK-based servers and bulk exports send it: drugs
named by reference to Medication resources, ATC codes without a display, drugs without a start date. Before
issue 16 every such drug was quarantined: SAFE-NSAID-OAC found nobody and IHD-STATIN listed everyone.

Hand-checked (as of 30-06-2025; every patient alive and over 18):
- ida:  IHD (K74); atorvastatin by reference to Medication "atorva" (ATC C10AA05, no display) -> on a statin
- jens: IHD (K75); a statin by reference to Medication "gone", which never arrives -> no statin known
- karl: IHD (K76); simvastatin C10AA01 without display or start date, status active -> on a statin
- lis:  IHD (K74); simvastatin C10AA01 without a start date, status completed -> no statin
- mona: ibuprofen by reference ("ibu": M01AE01) since 01-05-2025; apixaban B01AF02 without a display,
        without a start date, status active -> NSAID + OAC
- nils: naproxen M01AE02 without a display since 01-06-2025; warfarin B01AA03 by reference ("warf") without
        a start date, status on-hold -> NSAID only
IHD-STATIN: population ida, jens, karl, lis; hits jens, lis.
SAFE-NSAID-OAC: population mona, nils; hits mona.
"""

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from cockpit.fhir.importer import import_path
from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.models import Patient
from cockpit.services.overview.service import OverviewService
from cockpit.store import Store
from cockpit.store.medication_products import unresolved_count
from tests.indicators.fhir_fixtures import ATC, ICPC2, condition, patient

AS_OF = date(2025, 6, 30)


def product(med_id: str, code: str) -> dict[str, Any]:
    return {"resourceType": "Medication", "id": med_id, "code": {"coding": [{"system": ATC, "code": code}]}}


def by_reference(
    rid: str, pid: str, med_id: str, start: str | None, status: str = "active"
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": status,
        "subject": {"reference": f"Patient/{pid}"},
        "medicationReference": {"reference": f"Medication/{med_id}"},
    }
    if start is not None:
        resource["effectivePeriod"] = {"start": start}
    return resource


def coded(rid: str, pid: str, code: str, start: str | None, status: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": status,
        "subject": {"reference": f"Patient/{pid}"},
        "medicationCodeableConcept": {"coding": [{"system": ATC, "code": code}]},
    }
    if start is not None:
        resource["effectivePeriod"] = {"start": start}
    return resource


RESOURCES = [
    patient("ida", "0101501111", "Ida", "Isaksen", "1950-01-01"),
    patient("jens", "0101502222", "Jens", "Jensen", "1950-01-01"),
    patient("karl", "0101503333", "Karl", "Karlsen", "1950-01-01"),
    patient("lis", "0101504444", "Lis", "Larsen", "1950-01-01"),
    patient("mona", "0101505555", "Mona", "Madsen", "1950-01-01"),
    patient("nils", "0101506666", "Nils", "Nielsen", "1950-01-01"),
    condition("c-ida", "ida", ICPC2, "K74", "Angina pectoris"),
    condition("c-jens", "jens", ICPC2, "K75", "Akut myokardieinfarkt"),
    condition("c-karl", "karl", ICPC2, "K76", "Iskæmisk hjertesygdom"),
    condition("c-lis", "lis", ICPC2, "K74", "Angina pectoris"),
    # the statements first, their Medications after (as a server's type order may have them)
    by_reference("m-ida", "ida", "atorva", "2019-03-01"),
    by_reference("m-jens", "jens", "gone", "2019-03-01"),
    coded("m-karl", "karl", "C10AA01", None, "active"),
    coded("m-lis", "lis", "C10AA01", None, "completed"),
    by_reference("m-mona-1", "mona", "ibu", "2025-05-01"),
    coded("m-mona-2", "mona", "B01AF02", None, "active"),
    coded("m-nils-1", "nils", "M01AE02", "2025-06-01", "active"),
    by_reference("m-nils-2", "nils", "warf", None, "on-hold"),
    product("atorva", "C10AA05"),
    product("ibu", "M01AE01"),
    product("warf", "B01AA03"),
]


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    source = tmp_path / "fmk.ndjson"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in RESOURCES))
    summary = import_path(store, source, today=AS_OF)
    assert summary.quarantined == 0
    # named from the catalogue: 3 Medications and 4 coded statements, all without a display
    assert (summary.named_from_catalogue, summary.unresolved_medication_refs) == (7, 1)
    return store


def _names(store: Store, indicator_id: str) -> tuple[int, list[str]]:
    result = evaluate(store, PackRegistry.load(None).indicator(indicator_id), AS_OF)
    return result.population, sorted(hit.name for hit in result.hits)


def test_ihd_without_statin_on_drugs_by_reference_and_without_start_dates(filled: Store) -> None:
    assert _names(filled, "IHD-STATIN") == (4, ["Jens Jensen", "Lis Larsen"])


def test_nsaid_with_anticoagulant_on_drugs_by_reference_and_without_start_dates(filled: Store) -> None:
    assert _names(filled, "SAFE-NSAID-OAC") == (2, ["Mona Madsen"])


def test_the_overview_lists_the_resolved_drugs(filled: Store) -> None:
    with filled.session() as session:
        ids = dict(session.execute(select(Patient.fhir_id, Patient.id)).all())
    service = OverviewService(filled)
    mona = service.patient_overview(ids["mona"], AS_OF)
    assert [(m.drug_name, m.atc, m.active, m.start) for m in mona.medications] == [
        ("Apixaban", "B01AF02", True, None),  # no start date, status active: active since an unknown day
        ("Ibuprofen", "M01AE01", True, date(2025, 5, 1)),
    ]
    jens = service.patient_overview(ids["jens"], AS_OF)
    assert [(m.drug_name, m.atc, m.active) for m in jens.medications] == [("Ukendt lægemiddel", None, True)]
    lis = service.patient_overview(ids["lis"], AS_OF)
    assert [m.drug_name for m in lis.medications if m.active] == []
    with filled.engine.connect() as conn:
        assert unresolved_count(conn) == 1  # Jens's statin: a data-quality problem
