"""Staged chunks are packed with zstd; chunks an earlier version packed with zlib are still read."""

import gzip
import zlib

from cockpit.sync.packing import pack, unpack
from tests.conftest import SYNTHEA


def test_a_chunk_of_ndjson_is_packed_to_a_twentieth_and_back() -> None:
    ndjson = gzip.decompress((SYNTHEA / "Observation.ndjson.gz").read_bytes())[: 1 << 20]
    packed = pack(ndjson)
    assert packed[:4] == b"\x28\xb5\x2f\xfd"  # a zstd frame
    assert len(packed) < len(ndjson) / 15  # Synthea's observations: ~20x
    assert unpack(packed) == ndjson


def test_a_chunk_packed_by_an_earlier_version_with_zlib_is_unpacked() -> None:
    ndjson = b'{"resourceType":"Patient","id":"p1"}\n' * 100
    assert unpack(zlib.compress(ndjson, 1)) == ndjson
    assert unpack(pack(b"")) == b""
