"""The common Observation prepared directly (``prepare._plain_observation``) gives exactly what the general
mapping gives, or steps aside: on every Observation of the Synthea set, on thousands of damaged copies
(a field removed or replaced by a wrong type, an absurd value, a field the fast way does not know), and
on a hand-checked example; and the content hash both ways use, pinned."""

import copy
import gzip
import random
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import orjson
import pytest

import cockpit.fhir.prepare as prepare_module
from cockpit.fhir.prepare import Prepared, content_hash, prepare
from cockpit.fhir.types import JSONObject, ResourceDoesNotFit, SourceLocation
from tests.conftest import SYNTHEA

PLAIN_OBSERVATION = prepare_module._plain_observation  # (the fixture below takes it out of ``prepare``)
TODAY = date(2025, 6, 1)
HERE = SourceLocation("Observation.ndjson", 7)
# Replacements for a field: wrong types, empty and absurd values, dates that are not dates or too early
# or too late, shapes of other fields.
ODD_VALUES: tuple[Any, ...] = (
    None, 0, 1, 1.5, -2e9, 2e9, True, False, "", "x", "final" * 5, [], [{}], {}, {"a": 1},
    "2020-13-01", "1800-01-01", "2030-01-01T00:00:00Z", "2025-06-02T23:00:00-05:00", "<",
    {"coding": []}, {"coding": [{"system": "s"}]}, {"coding": [{"system": "s", "code": "c"}, {}]},
    {"value": 3, "comparator": "<", "unit": "mg"}, {"reference": "Group/g1"}, "a" * 65,
)  # fmt: skip
# Fields the general mapping reads beyond the common shape: added to a copy, they send it the general way.
EXTRA_FIELDS = (
    "valueString", "valueInteger", "valueBoolean", "referenceRange", "interpretation", "effectivePeriod",
    "effectiveInstant", "component", "valueCodeableConcept", "meta", "performer", "note",
)  # fmt: skip


def _synthea_observations() -> list[tuple[JSONObject, bytes]]:
    lines = gzip.decompress((SYNTHEA / "Observation.ndjson.gz").read_bytes()).splitlines()
    return [(orjson.loads(line), line) for line in lines if line]


def _general(resource: JSONObject, raw: bytes, *, text_dates: bool = True) -> Prepared | str | None:
    """What the general mapping makes of it (the reason, if it does not fit)."""
    try:
        return prepare(resource, raw, HERE, today=TODAY, source="sync:test", text_dates=text_dates)
    except ResourceDoesNotFit as problem:
        return problem.reason


def _plain(resource: JSONObject, raw: bytes, *, text_dates: bool = True) -> Prepared | None:
    if resource.get("resourceType") != "Observation":
        return None  # (``prepare`` asks only for Observations)
    return PLAIN_OBSERVATION(
        resource, raw, HERE, today=TODAY, source="sync:test", keep_raw=True, text_dates=text_dates
    )


@pytest.fixture
def general_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """``prepare`` without the fast way: the reference."""
    monkeypatch.setattr(prepare_module, "_plain_observation", lambda *_args, **_kwargs: None)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _damaged(resource: JSONObject, rng: random.Random) -> JSONObject:
    """A copy with one field removed or replaced, and sometimes one more field."""
    copied = copy.deepcopy(resource)
    path = rng.choice(list(_paths(copied)))
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    if rng.random() < 0.3:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    if rng.random() < 0.3:
        copied[rng.choice(EXTRA_FIELDS)] = copy.deepcopy(rng.choice(ODD_VALUES))
    return copied


@pytest.mark.usefixtures("general_only")
def test_every_synthea_observation_is_prepared_as_the_general_mapping_does() -> None:
    observations = _synthea_observations()
    plain = 0
    for resource, raw in observations:
        for text_dates in (True, False):
            fast = _plain(resource, raw, text_dates=text_dates)
            if fast is not None:
                assert fast == _general(resource, raw, text_dates=text_dates), resource["id"]
                plain += 1
    # Synthea: 14,251 of 16,315 have one valueQuantity and no other value, components or ranges; 14,172 of
    # them one coding (79 have two: the general way picks one by the systems' preference).
    assert plain == 2 * 14_172


@pytest.mark.usefixtures("general_only")
def test_a_damaged_observation_is_prepared_as_the_general_mapping_does_or_left_to_it() -> None:
    rng = random.Random(20261123)
    common = [(r, raw) for r, raw in _synthea_observations() if "valueQuantity" in r and "component" not in r]
    outcomes = {"plain": 0, "general": 0, "does not fit": 0}
    for resource, _ in rng.sample(common, 400):
        for _ in range(10):
            damaged = _damaged(resource, rng)
            raw = orjson.dumps(damaged)
            fast, general = _plain(damaged, raw), _general(damaged, raw)
            if fast is not None:
                assert fast == general, damaged
                outcomes["plain"] += 1
            else:
                outcomes["does not fit" if isinstance(general, str) else "general"] += 1
    # Each way is taken often enough to mean something (the counts of this seed, so that a change to the
    # fast way that makes it step aside more, or less, shows).
    assert outcomes == {"plain": 1588, "general": 700, "does not fit": 1712}


def test_a_common_observation_gives_the_hand_checked_row() -> None:
    resource = {
        "resourceType": "Observation",
        "id": "obs-1",
        "meta": {"versionId": "3", "lastUpdated": "2025-05-02T10:00:00+02:00"},
        "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}],
        "code": {"coding": [{"system": "urn:oid:1.2.208.176.2.1", "code": "NPU27300", "display": "HbA1c"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2025-05-01T08:30:00+02:00",
        "valueQuantity": {
            "value": 58,
            "unit": "mmol/mol",
            "system": "http://unitsofmeasure.org",
            "code": "mmol/mol",
        },
    }
    raw = orjson.dumps(resource)
    digest = content_hash(raw)
    tail = ("sync:test", "Observation", "obs-1", "3")
    expected_row = (0, "urn:oid:1.2.208.176.2.1", "NPU27300", "HbA1c", 58.0, "mmol/mol", None)
    as_text = (
        *expected_row,
        "2025-05-01 06:30:00",
        None,
        None,
        None,
        "final",
        *tail,
        "2025-05-02 08:00:00",
        digest,
    )
    assert prepare(resource, raw, HERE, today=TODAY, source="sync:test", text_dates=True) == (
        "observations", "Observation", "obs-1", "p1", digest, (as_text,), "Observation.ndjson", 7, raw,
    )  # fmt: skip
    moments = (datetime(2025, 5, 1, 6, 30), datetime(2025, 5, 2, 8, 0))
    as_dates = (*expected_row, moments[0], None, None, None, "final", *tail, moments[1], digest)
    prepared = prepare(resource, raw, HERE, today=TODAY, source="sync:test", keep_raw=False)
    assert prepared == (
        "observations",
        "Observation",
        "obs-1",
        "p1",
        digest,
        (as_dates,),
        "Observation.ndjson",
        7,
        None,
    )
    assert _plain(resource, raw) is not None  # (and it was the fast way that gave these)


def test_the_content_hash_is_pinned() -> None:
    # BLAKE2b-128 of the bytes, personalised with the mapping version: a change would make every store
    # re-map everything on its next sync, so it must be deliberate (a MAPPING_VERSION bump; now 4).
    assert content_hash(b'{"resourceType":"Patient","id":"p1"}') == "10d537860f486af993170a5f2f520fed"
