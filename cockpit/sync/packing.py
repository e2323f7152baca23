"""How a staged chunk is packed: Zstandard, level 1.

A chunk is a megabyte of NDJSON; zstd shrinks it ~20x at ~2 GB/s (zlib level 1: ~13x at ~0.5 GB/s) and
unpacks it three times as fast, so a first sync of a large practice stages a twentieth of its bytes (which
SQLCipher then encrypts) for a few milliseconds of a core per megabyte. Both directions let go of the GIL:
any thread may pack. Chunks staged by an earlier version are zlib streams; they are still read.
"""

import zlib
from typing import Final

import zstandard

_LEVEL: Final = 1
_ZSTD_MAGIC: Final = b"\x28\xb5\x2f\xfd"  # every zstd frame begins with it; a zlib stream never does


def pack(payload: bytes) -> bytes:
    """``payload`` as it is staged. (A compressor per call: it is not thread-safe, and costs ~10 us.)"""
    return zstandard.ZstdCompressor(level=_LEVEL).compress(payload)


def unpack(packed: bytes) -> bytes:
    """What ``pack`` (or an earlier version's zlib) was given."""
    if packed[:4] == _ZSTD_MAGIC:
        # The frame records its size (``pack`` writes it), so the output is allocated once.
        return zstandard.ZstdDecompressor().decompress(packed)
    return zlib.decompress(packed)
