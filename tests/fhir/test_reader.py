"""The streaming reader: every input layout, Patients first, exact raw bytes, and damaged files that are
refused with file and line (never with their content)."""

import gzip
import shutil
from collections import Counter
from pathlib import Path

import orjson
import pytest

from cockpit.errors import InputError, MalformedInputError
from cockpit.fhir.reader import ResourceStream
from cockpit.fhir.types import JSONObject, RawResource

FHIR_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "fhir-data"
SYNTHEA = FHIR_DATA / "synthea-r4-100"
DK_EXAMPLES = FHIR_DATA / "dk-examples"

# A marker that stands for patient data: it must never appear in an error message.
SECRET = "Jensen-0101701234"


def _patient(patient_id: str) -> JSONObject:
    return {"resourceType": "Patient", "id": patient_id, "name": [{"family": SECRET}]}


def _condition(condition_id: str) -> JSONObject:
    return {"resourceType": "Condition", "id": condition_id, "subject": {"reference": "Patient/p1"}}


def _ndjson(*resources: JSONObject) -> bytes:
    return b"".join(orjson.dumps(resource) + b"\n" for resource in resources)


def _read_all(path: Path) -> list[RawResource]:
    return list(ResourceStream(path))


def _malformed(path: Path) -> MalformedInputError:
    with pytest.raises(MalformedInputError) as caught:
        _read_all(path)
    assert SECRET not in str(caught.value)
    return caught.value


def _decompressed_lines(path: Path) -> list[bytes]:
    return gzip.decompress(path.read_bytes()).splitlines(keepends=True)


# --- the real data ---------------------------------------------------------------------------------------


def test_synthea_export_yields_every_resource_with_patients_first() -> None:
    stream = ResourceStream(SYNTHEA)
    resources = list(stream)

    counts = Counter(raw.resource["resourceType"] for raw in resources)
    # Counts from shared/fhir-data/README.md.
    assert len(resources) == 38472
    assert counts["Patient"] == 100
    assert counts["Observation"] == 16315
    assert counts["Encounter"] == 3697
    assert counts["Condition"] == 639
    assert counts["MedicationRequest"] == 2386
    assert {raw.resource["resourceType"] for raw in resources[:100]} == {"Patient"}
    assert stream.files[0].name == "Patient.ndjson.gz"
    assert [file.name for file in stream.files[1:]] == sorted(file.name for file in stream.files[1:])


def test_synthea_locations_and_raw_lines_are_exact() -> None:
    observation_lines = _decompressed_lines(SYNTHEA / "Observation.ndjson.gz")
    observations = [raw for raw in ResourceStream(SYNTHEA) if raw.location.file == "Observation.ndjson.gz"]

    assert len(observations) == len(observation_lines) == 16315
    for index in (0, 1, 8000, 16314):
        raw = observations[index]
        assert raw.location.line == index + 1
        assert raw.raw == observation_lines[index].rstrip(b"\n")
        assert orjson.loads(raw.raw) == raw.resource


def test_progress_counts_on_disk_bytes_up_to_the_total() -> None:
    stream = ResourceStream(SYNTHEA)
    assert stream.total_bytes == sum(file.stat().st_size for file in SYNTHEA.glob("*.ndjson.gz"))
    assert stream.bytes_done == 0
    seen = []
    for position, _ in enumerate(stream):
        if position % 1000 == 0:
            seen.append(stream.bytes_done)
    assert seen == sorted(seen)
    assert 0 < seen[1] < stream.total_bytes
    assert stream.bytes_done == stream.total_bytes


def test_dk_examples_directory_of_json_files_patients_first_readme_ignored() -> None:
    stream = ResourceStream(DK_EXAMPLES)
    resources = list(stream)

    assert [file.name for file in stream.files] == [
        "Patient-else.json",
        "Patient-john.json",
        "Condition-JohnDiabetes.json",
        "Observation-ElseINR.json",
        "Observation-ElseKalium.json",
        "Observation-ElseNatrium.json",
    ]
    assert [(raw.resource["resourceType"], raw.resource["id"]) for raw in resources[:2]] == [
        ("Patient", "else"),
        ("Patient", "john"),
    ]
    john = resources[1]
    assert str(john.location) == "Patient-john.json:1"
    # A pretty-printed document has no line of its own: raw is the canonical (sorted-keys) form.
    assert john.raw == orjson.dumps(john.resource, option=orjson.OPT_SORT_KEYS)


def test_a_single_json_file_is_named_by_its_file_name() -> None:
    (raw,) = _read_all(DK_EXAMPLES / "Observation-ElseKalium.json")
    assert raw.location.file == "Observation-ElseKalium.json"
    assert raw.resource["code"]["coding"][0]["code"] == "NPU03230"


# --- layouts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Condition.ndjson", "Condition.jsonl", "Condition.ndjson.gz"])
def test_single_ndjson_file_plain_or_gzip(tmp_path: Path, name: str) -> None:
    content = _ndjson(_condition("c1"), _condition("c2"))
    path = tmp_path / name
    path.write_bytes(gzip.compress(content) if name.endswith(".gz") else content)

    resources = _read_all(path)

    assert [(raw.resource["id"], raw.location.file, raw.location.line) for raw in resources] == [
        ("c1", name, 1),
        ("c2", name, 2),
    ]
    assert resources[0].raw == orjson.dumps(_condition("c1"))


def test_blank_lines_crlf_and_a_last_line_without_newline_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "Condition.ndjson"
    first = orjson.dumps(_condition("c1"))
    last = orjson.dumps(_condition("c2"))
    path.write_bytes(b"\n" + first + b"\r\n   \n\n" + last)

    resources = _read_all(path)

    assert [(raw.location.line, raw.raw) for raw in resources] == [(2, first), (5, last)]


def test_directory_orders_patient_files_first_then_by_name(tmp_path: Path) -> None:
    (tmp_path / "Condition.ndjson").write_bytes(_ndjson(_condition("c1")))
    (tmp_path / "Patient.ndjson.gz").write_bytes(gzip.compress(_ndjson(_patient("p1"))))
    (tmp_path / "Encounter.jsonl").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not FHIR")
    (tmp_path / ".hidden.ndjson").write_text("not read")

    stream = ResourceStream(tmp_path)

    assert [file.name for file in stream.files] == [
        "Patient.ndjson.gz",
        "Condition.ndjson",
        "Encounter.jsonl",
    ]
    assert [raw.resource["id"] for raw in stream] == ["p1", "c1"]


def test_bundle_yields_patient_entries_first_and_skips_entries_without_resource(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"resource": _condition("c1")},
            {"request": {"method": "DELETE", "url": "Condition/c0"}},
            {"resource": _patient("p1")},
            {"resource": _condition("c2")},
        ],
    }
    path = tmp_path / "bundle.json"
    path.write_bytes(orjson.dumps(bundle, option=orjson.OPT_INDENT_2))

    resources = _read_all(path)

    assert [raw.resource["id"] for raw in resources] == ["p1", "c1", "c2"]
    assert {str(raw.location) for raw in resources} == {"bundle.json:1"}
    assert resources[0].raw == orjson.dumps(_patient("p1"), option=orjson.OPT_SORT_KEYS)


def test_bundles_inside_ndjson_are_expanded_with_their_line(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": _condition("c1")}, {"resource": _patient("p1")}],
    }
    path = tmp_path / "bundles.ndjson"
    path.write_bytes(_ndjson(_condition("c0"), bundle))

    resources = _read_all(path)

    assert [(raw.resource["id"], raw.location.line) for raw in resources] == [("c0", 1), ("p1", 2), ("c1", 2)]


def test_a_json_file_holding_ndjson_is_read_as_ndjson(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(_ndjson(_patient("p1"), _condition("c1")))

    resources = _read_all(path)

    assert [(raw.resource["id"], raw.location.line) for raw in resources] == [("p1", 1), ("c1", 2)]
    assert resources[1].raw == orjson.dumps(_condition("c1"))


def test_a_one_line_json_file_is_one_document(tmp_path: Path) -> None:
    path = tmp_path / "Patient-p1.json"
    path.write_bytes(orjson.dumps(_patient("p1")) + b"\n\n")

    (raw,) = _read_all(path)

    assert raw.resource == _patient("p1")
    assert raw.raw == orjson.dumps(_patient("p1"), option=orjson.OPT_SORT_KEYS)


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "Patient.ndjson").write_bytes(b"\xef\xbb\xbf" + _ndjson(_patient("p1")))
    (tmp_path / "Condition-c1.json").write_bytes(b"\xef\xbb\xbf" + orjson.dumps(_condition("c1")))

    assert [raw.resource["id"] for raw in ResourceStream(tmp_path)] == ["p1", "c1"]


def test_a_bulk_export_manifest_in_a_directory_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(orjson.dumps({"transactionTime": "2024-01-01", "output": []}))
    (tmp_path / "export.manifest.json").write_bytes(orjson.dumps({"output": []}))
    (tmp_path / "Patient.ndjson").write_bytes(_ndjson(_patient("p1")))

    assert [raw.resource["id"] for raw in ResourceStream(tmp_path)] == ["p1"]


def test_a_manifest_named_directly_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(orjson.dumps({"output": []}))

    with pytest.raises(InputError, match="import the folder"):
        _read_all(path)


def test_other_json_without_resource_type_in_a_directory_is_malformed(tmp_path: Path) -> None:
    (tmp_path / "Patient.ndjson").write_bytes(_ndjson(_patient("p1")))
    (tmp_path / "settings.json").write_bytes(orjson.dumps({"name": SECRET}))

    error = _malformed(tmp_path)

    assert (error.file, error.line) == ("settings.json", 1)


# --- refused input ---------------------------------------------------------------------------------------


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        ResourceStream(tmp_path / "nowhere")


def test_directory_without_fhir_files_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no FHIR files"):
        ResourceStream(tmp_path)
    (tmp_path / "README.md").write_text("# notes")
    with pytest.raises(InputError, match="no FHIR files"):
        ResourceStream(tmp_path)


@pytest.mark.parametrize(
    ("bad_line", "detail"),
    [
        (b'{"resourceType": "Patient", "name": "' + SECRET.encode() + b'"', "not valid JSON"),
        (b'["' + SECRET.encode() + b'"]', "not a JSON object"),
        (b'{"id": "' + SECRET.encode() + b'"}', "no resourceType"),
        (b'{"resourceType": 7, "id": "' + SECRET.encode() + b'"}', "no resourceType"),
    ],
)
def test_a_bad_line_names_file_and_line_but_not_its_content(
    tmp_path: Path, bad_line: bytes, detail: str
) -> None:
    (tmp_path / "Patient.ndjson").write_bytes(_ndjson(_patient("p1"), _patient("p2")) + bad_line + b"\n")

    error = _malformed(tmp_path)

    assert (error.file, error.line) == ("Patient.ndjson", 3)
    assert detail in error.detail
    assert str(error).startswith("Patient.ndjson:3: ")


def test_resources_before_a_bad_line_are_read_first(tmp_path: Path) -> None:
    """Line by line: the bad third line is only seen when the reader gets there."""
    path = tmp_path / "Patient.ndjson"
    path.write_bytes(_ndjson(_patient("p1"), _patient("p2")) + b"{oops\n")
    resources = iter(ResourceStream(path))

    assert next(resources).resource["id"] == "p1"
    assert next(resources).resource["id"] == "p2"
    with pytest.raises(MalformedInputError):
        next(resources)


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_ndjson_whose_last_line_is_cut_in_half_is_malformed(tmp_path: Path, compressed: bool) -> None:
    lines = _decompressed_lines(SYNTHEA / "Patient.ndjson.gz")
    cut = b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2]
    name = "Patient.ndjson.gz" if compressed else "Patient.ndjson"
    (tmp_path / name).write_bytes(gzip.compress(cut) if compressed else cut)

    error = _malformed(tmp_path)

    assert (error.file, error.line) == (name, 100)
    assert "cut off" in error.detail


def test_gzip_truncated_in_the_middle_names_the_file_and_the_line_reached(tmp_path: Path) -> None:
    data = (SYNTHEA / "Observation.ndjson.gz").read_bytes()
    (tmp_path / "Observation.ndjson.gz").write_bytes(data[: len(data) // 2])
    shutil.copy(SYNTHEA / "Patient.ndjson.gz", tmp_path)
    read: list[RawResource] = []

    with pytest.raises(MalformedInputError) as caught:
        read.extend(ResourceStream(tmp_path))

    error = caught.value
    assert error.file == "Observation.ndjson.gz"
    assert error.detail == "the file ends early (truncated gzip data)"
    observations = [raw for raw in read if raw.resource["resourceType"] == "Observation"]
    assert 1000 < len(observations) < 16315
    # Every line before the one reported was read completely.
    assert error.line == len(observations) + 1


def test_damaged_gzip_data_is_malformed(tmp_path: Path) -> None:
    data = bytearray((SYNTHEA / "Condition.ndjson.gz").read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    (tmp_path / "Condition.ndjson.gz").write_bytes(bytes(data))

    error = _malformed(tmp_path)

    assert error.file == "Condition.ndjson.gz"
    assert error.line is not None and error.line > 1


def test_a_pretty_printed_json_file_that_is_cut_off_is_malformed(tmp_path: Path) -> None:
    text = orjson.dumps(_patient("p1"), option=orjson.OPT_INDENT_2)
    (tmp_path / "Patient-p1.json").write_bytes(text[:-10])

    error = _malformed(tmp_path)

    assert error.file == "Patient-p1.json"
    assert error.detail == "the file is not valid JSON"


def test_empty_json_file_is_malformed(tmp_path: Path) -> None:
    (tmp_path / "Patient-p1.json").write_bytes(b"\n  \n")

    assert _malformed(tmp_path).detail == "the file is empty"


def test_bundle_entry_without_resource_type_is_malformed(tmp_path: Path) -> None:
    bundle = {"resourceType": "Bundle", "entry": [{"resource": _patient("p1")}, {"resource": {"id": SECRET}}]}
    (tmp_path / "bundle.json").write_bytes(orjson.dumps(bundle))

    error = _malformed(tmp_path)

    assert (error.file, error.line) == ("bundle.json", 1)
    assert "entry 2" in error.detail
