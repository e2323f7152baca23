"""The export as files: byte-identical reruns, gzip headers, the manifest, atomic writes, arguments."""

import gzip
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest

from cockpit.demo import DemoArgumentError, DemoOutputError, DemoSummary, generate_practice
from cockpit.demo.output import MANIFEST, RESOURCE_TYPES, file_name
from tests.demo.conftest import AS_OF
from tests.demo.export import read_export

SMALL = 300


def _all_bytes(out_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out_dir.iterdir())}


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    first = generate_practice(tmp_path / "a", SMALL, 7, AS_OF)
    second = generate_practice(tmp_path / "b", SMALL, 7, AS_OF)

    assert _all_bytes(first.out_dir) == _all_bytes(second.out_dir)
    assert len(_all_bytes(first.out_dir)) == len(RESOURCE_TYPES) + 1


def test_another_seed_gives_other_patients(tmp_path: Path) -> None:
    one = read_export(generate_practice(tmp_path / "a", SMALL, 1, AS_OF).out_dir)["Patient"]
    two = read_export(generate_practice(tmp_path / "b", SMALL, 2, AS_OF).out_dir)["Patient"]

    def people(patients: list[dict[str, object]]) -> set[str]:
        return {orjson.dumps([p["identifier"], p["name"], p["birthDate"]]).decode() for p in patients}

    assert len(people(one) & people(two)) < SMALL // 100
    assert {p["id"] for p in one}.isdisjoint(p["id"] for p in two), "ids carry a tag of the seed"


def test_a_patient_does_not_depend_on_the_list_size(tmp_path: Path) -> None:
    """Each patient has their own random stream: patient 17 is the same person in a list of 100 or 150."""
    small = read_export(generate_practice(tmp_path / "a", 100, 3, AS_OF).out_dir)
    larger = read_export(generate_practice(tmp_path / "b", 150, 3, AS_OF).out_dir)

    assert larger["Patient"][:100] == small["Patient"]
    assert larger["Observation"][: len(small["Observation"])] == small["Observation"]


def test_gzip_headers_have_no_time_or_file_name(tmp_path: Path) -> None:
    summary = generate_practice(tmp_path / "export", 20, 1, AS_OF)
    for path in summary.files.values():
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08"
        assert header[3] & 0x08 == 0, f"{path.name}: FNAME flag set"
        assert header[4:8] == b"\0\0\0\0", f"{path.name}: mtime is not 0"


def test_lines_are_compact_sorted_json_one_resource_each(tmp_path: Path) -> None:
    summary = generate_practice(tmp_path / "export", 20, 1, AS_OF)
    data = gzip.decompress(summary.files["Condition"].read_bytes())
    assert data.endswith(b"\n")
    for line in data.splitlines():
        assert line == orjson.dumps(orjson.loads(line), option=orjson.OPT_SORT_KEYS)


def test_manifest_is_a_bulk_export_manifest(demo_summary: DemoSummary) -> None:
    manifest = orjson.loads(demo_summary.manifest.read_bytes())

    assert demo_summary.manifest.name == MANIFEST
    assert manifest["transactionTime"] == "2025-06-01T00:00:00Z"
    assert manifest["requiresAccessToken"] is False
    assert [entry["type"] for entry in manifest["output"]] == list(RESOURCE_TYPES)
    for entry in manifest["output"]:
        assert entry["url"] == file_name(entry["type"])
        assert entry["count"] == demo_summary.counts[entry["type"]]
        with gzip.open(demo_summary.out_dir / entry["url"]) as lines:
            assert sum(1 for _ in lines) == entry["count"]
    assert demo_summary.counts["Patient"] == demo_summary.patients


def test_an_interrupted_run_leaves_the_previous_export_alone(tmp_path: Path) -> None:
    out_dir = tmp_path / "export"
    generate_practice(out_dir, 30, 1, AS_OF)
    before = _all_bytes(out_dir)

    def interrupt(done: int, _total: int) -> None:
        if done >= 250:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_practice(out_dir, 600, 2, AS_OF, progress=interrupt)

    assert _all_bytes(out_dir) == before, "no half-written or temporary file is left behind"


def test_an_interrupted_first_run_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    out_dir = tmp_path / "export"

    def interrupt(_done: int, _total: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        generate_practice(out_dir, 300, 2, AS_OF, progress=interrupt)

    assert list(out_dir.iterdir()) == []


def test_a_new_run_replaces_an_old_export(tmp_path: Path) -> None:
    out_dir = tmp_path / "export"
    generate_practice(out_dir, 20, 1, AS_OF)
    summary = generate_practice(out_dir, 30, 1, AS_OF)

    assert summary.counts["Patient"] == 30
    assert sorted(path.name for path in out_dir.iterdir()) == sorted(
        [MANIFEST, *(file_name(resource_type) for resource_type in RESOURCE_TYPES)]
    )


def test_progress_is_reported_every_few_hundred_patients_and_at_the_end(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate_practice(
        tmp_path / "export", 600, 1, AS_OF, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(250, 600), (500, 600), (600, 600)]


@pytest.mark.parametrize(
    ("patients", "seed", "as_of"),
    [
        (9, 1, AS_OF),
        (True, 1, AS_OF),
        (10.0, 1, AS_OF),
        (10, "1", AS_OF),
        (10, 1, date(1999, 12, 31)),
        (10, 1, "2025-06-01"),
    ],
)
def test_arguments_outside_the_supported_range_are_refused(
    tmp_path: Path, patients: object, seed: object, as_of: object
) -> None:
    with pytest.raises(DemoArgumentError):
        generate_practice(tmp_path / "export", patients, seed, as_of)  # type: ignore[arg-type]
    assert not (tmp_path / "export").exists()


def test_a_datetime_as_of_counts_as_its_date(tmp_path: Path) -> None:
    summary = generate_practice(tmp_path / "export", 10, 1, datetime(2025, 6, 1, 15, 30))
    assert summary.as_of == AS_OF


def test_an_unwritable_destination_is_a_known_error(tmp_path: Path) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("not a folder")
    with pytest.raises(DemoOutputError, match="cannot write the demo export"):
        generate_practice(occupied, 10, 1, AS_OF)
