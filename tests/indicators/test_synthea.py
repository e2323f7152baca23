"""The built-in indicators on the Synthea sample (SNOMED/LOINC/RxNorm, US data up to May 2020): they run,
every hit is explained, and the hits are the ones a reader finds by hand in the files.

Known gaps, by design of the reference definitions: Synthea codes ischaemic heart disease as SNOMED
53741008 (a descendant of 414545008, and SNOMED is matched exactly), and its drugs only in RxNorm, so the
ATC-based indicators find no one there."""

import re
from datetime import date
from pathlib import Path

from cockpit.indicators.engine import IndicatorResult, evaluate
from cockpit.indicators.packformat import load_pack
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.conftest import SYNTHEA_AS_OF


def run(store: Store, indicator_id: str, as_of: date = SYNTHEA_AS_OF) -> IndicatorResult:
    return evaluate(store, PackRegistry.load(None).indicator(indicator_id), as_of)


def test_every_builtin_indicator_runs_and_explains_its_hits(synthea_store: Store) -> None:
    for indicator in PackRegistry.load(None).indicators():
        result = evaluate(synthea_store, indicator, SYNTHEA_AS_OF)
        assert len(result.hits) <= result.population <= 100, indicator.id
        assert all(hit.evidence for hit in result.hits), indicator.id


def test_the_one_patient_with_two_or_more_admissions(synthea_store: Store) -> None:
    result = run(synthea_store, "UTIL-ADM-12M")
    assert result.population == 100
    assert [(hit.name, hit.evidence) for hit in result.hits] == [
        (
            "Nina Legros",
            # Synthea sends two overlapping IMP encounters (no priority) for each of her yearly stays:
            # 29-05-2019 and 23-04-2020, each 1 day; both pairs are one acute stay each.
            ["2 akutte indlæggelser inden for 12 måneder: 29-05-2019, 23-04-2020"],
        )
    ]


def test_the_type_2_diabetic_and_her_hba1c_in_percent(synthea_store: Store) -> None:
    measured = run(synthea_store, "DM-HBA1C-12M")
    assert (measured.population, measured.hits) == (1, [])  # last HbA1c 30-12-2019
    a_year_later = run(synthea_store, "DM-HBA1C-12M", date(2021, 3, 1))
    assert [(hit.name, hit.evidence) for hit in a_year_later.hits] == [
        ("Wenona Cormier", ["Ingen HbA1c inden for 12 måneder (seneste 30-12-2019: 3,9 %)"])
    ]


def test_hba1c_in_percent_is_converted_to_ifcc(synthea_store: Store, tmp_path: Path) -> None:
    """3.91 % is 10.929 × (3.91 − 2.15) = 19.2 mmol/mol; a test pack with a low limit shows it."""
    text = (Path(__file__).resolve().parents[2] / "cockpit/indicators/packs/diabetes.yaml").read_text("utf-8")
    text = text.replace('latest: {op: ">=", value: $limit}', 'latest: {op: "<", value: $limit}')
    path = tmp_path / "diabetes.yaml"
    path.write_text(text, encoding="utf-8")
    indicator = load_pack(path).indicator("DM-HBA1C-HIGH")
    assert indicator is not None
    result = evaluate(synthea_store, indicator, SYNTHEA_AS_OF, thresholds={"limit": 53})
    assert [hit.evidence for hit in result.hits] == [
        ["Seneste HbA1c 19,2 mmol/mol den 30-12-2019 (målt som 3,91 %)"]
    ]


def test_blood_pressure_above_target_follows_the_patients_target(synthea_store: Store) -> None:
    result = run(synthea_store, "HT-BP-ABOVE-TARGET")
    # SNOMED 59621000 essential hypertension, adults (23), of whom only those measured within 12 months.
    assert 0 < result.population <= 23
    assert result.hits
    for hit in result.hits:
        (pressure_line,) = hit.evidence
        found = re.fullmatch(
            r"Seneste systolisk blodtryk (\d+) mmHg den .* \(mål < (\d+): (.*)\)", pressure_line
        )
        assert found is not None, hit.evidence
        value, limit, reason = int(found.group(1)), int(found.group(2)), found.group(3)
        assert value >= limit, hit.evidence  # strict: the target is met only below the limit
        assert (limit, reason) in {
            (145, "80 år og derover"),
            (130, "diabetes"),
            (130, "iskæmisk hjertesygdom"),
            (130, "kronisk nyresygdom"),
            (135, "hypertension under 80 år"),
        }, hit.evidence


def test_antibiotic_users_found_by_their_rxnorm_codes(synthea_store: Store) -> None:
    # The population of AB-MACROLIDE-12M is every patient given an antibiotic within 12 months; the
    # macrolides themselves are listed by ATC only, so Synthea's RxNorm data gives no hits.
    result = run(synthea_store, "AB-MACROLIDE-12M", date(2020, 5, 1))
    assert result.population > 0
    assert result.hits == []
