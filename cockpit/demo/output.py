"""Writing a bulk-data export: one gzip NDJSON file per resource type and a manifest, all or nothing.

Byte-identical for the same input: compact JSON with sorted keys, one resource per line, gzip without
a time stamp or file name in its header. Files are written under hidden temporary names (".<name>.partial",
which the importer ignores) and renamed only when all of them are complete; an old manifest is removed
before the first rename and the new one is renamed last, so a folder with a manifest never holds a mix
of two runs, and an interrupted run never leaves a file that looks complete.
"""

import gzip
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, Final

import orjson

RESOURCE_TYPES: Final = (
    "Patient",
    "Practitioner",
    "Organization",
    "Condition",
    "Medication",
    "MedicationStatement",
    "Observation",
    "Encounter",
    "ServiceRequest",
)
MANIFEST: Final = "manifest.json"
COMPRESS_LEVEL: Final = 6
_FLUSH_LINES: Final = 4096
_DUMP_OPTIONS: Final = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def file_name(resource_type: str) -> str:
    return f"{resource_type}.ndjson.gz"


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


class _GzipNdjson:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._raw: BinaryIO = _partial(path).open("wb")
        self._gzip = gzip.GzipFile(
            fileobj=self._raw, mode="wb", mtime=0, filename="", compresslevel=COMPRESS_LEVEL
        )
        self._lines: list[bytes] = []

    def add(self, resource: dict[str, Any]) -> None:
        self._lines.append(orjson.dumps(resource, option=_DUMP_OPTIONS))
        self.count += 1
        if len(self._lines) >= _FLUSH_LINES:
            self._flush()

    def _flush(self) -> None:
        self._gzip.write(b"".join(self._lines))
        self._lines.clear()

    def finish(self) -> None:
        self._flush()
        self._gzip.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()

    def discard(self) -> None:
        self._gzip.close()
        self._raw.close()
        _partial(self.path).unlink(missing_ok=True)


class BulkExportWriter:
    """The files of one export, written under temporary names until ``commit``."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self._files: dict[str, _GzipNdjson] = {}
        try:
            for resource_type in RESOURCE_TYPES:
                self._files[resource_type] = _GzipNdjson(out_dir / file_name(resource_type))
        except BaseException:
            self.abort()
            raise

    def add(self, resource_type: str, resource: dict[str, Any]) -> None:
        self._files[resource_type].add(resource)

    def add_all(self, resources: Iterable[tuple[str, dict[str, Any]]]) -> None:
        files = self._files
        for resource_type, resource in resources:
            files[resource_type].add(resource)

    def counts(self) -> dict[str, int]:
        return {resource_type: file.count for resource_type, file in self._files.items()}

    def paths(self) -> dict[str, Path]:
        return {resource_type: file.path for resource_type, file in self._files.items()}

    def commit(self, manifest: dict[str, Any]) -> Path:
        """Finish every file, then rename them into place with the manifest last."""
        for file in self._files.values():
            file.finish()
        manifest_path = self.out_dir / MANIFEST
        partial_manifest = _partial(manifest_path)
        partial_manifest.write_bytes(
            orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"
        )
        manifest_path.unlink(missing_ok=True)
        for file in self._files.values():
            os.replace(_partial(file.path), file.path)
        os.replace(partial_manifest, manifest_path)
        _sync_directory(self.out_dir)
        return manifest_path

    def abort(self) -> None:
        for file in self._files.values():
            file.discard()
        _partial(self.out_dir / MANIFEST).unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    """Make the renames durable where the platform allows it (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
