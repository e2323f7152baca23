"""Reading a pack file: YAML with line numbers, the checksum, the JSON Schema, then the semantic checks.

The checksum (``checksum: sha256:<hex>`` at the top level) is the SHA-256 of the pack's *canonical
content*: the parsed document without its ``checksum`` key, as JSON with sorted keys, no spaces, UTF-8.
Comments and layout may change without breaking it; any change to what the pack means does.
"""

import functools
import hashlib
import json
import os
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from cockpit.indicators.build import MAX_PROBLEMS, build_pack, non_finite_paths
from cockpit.indicators.errors import PackInvalidError, PackTamperedError, Problem
from cockpit.indicators.model import Pack
from cockpit.indicators.yamlsource import SourceDocument, parse_yaml

MAX_PACK_BYTES: Final = 2_000_000
DEV_ENV: Final = "COCKPIT_DEV_PACKS"  # "1": run every pack's fixtures whenever it is loaded


def canonical_checksum(data: dict[str, Any]) -> str:
    body = {key: value for key, value in data.items() if key != "checksum"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_pack(path: Path, *, require_checksum: bool = False, run_fixtures: bool | None = None) -> Pack:
    """Read, check and build the pack in ``path``.

    Raises ``PackInvalidError`` (with file:line: field: problem), ``PackTamperedError`` when the content
    does not match its checksum (or has none and ``require_checksum``), ``PackFixtureError`` when its
    fixtures fail. Fixtures run when ``run_fixtures`` is set, or by default under COCKPIT_DEV_PACKS=1.
    """
    return parse_pack(
        read_pack_text(path), path, require_checksum=require_checksum, run_fixtures=run_fixtures
    )


def parse_pack(
    text: str, path: Path, *, require_checksum: bool = False, run_fixtures: bool | None = None
) -> Pack:
    document = parse_yaml(text, str(path))
    if not isinstance(document.data, dict):
        raise PackInvalidError([Problem(str(path), 1, "", "a pack is a mapping (id, version, title, ...)")])
    computed = canonical_checksum(document.data)
    _check_checksum(document, computed, require_checksum)
    _validate_schema(document)
    pack = replace(build_pack(document, computed), path=path)
    if run_fixtures if run_fixtures is not None else os.environ.get(DEV_ENV) == "1":
        from cockpit.indicators.fixtures import check_fixtures  # noqa: PLC0415 (a database for tests only)

        check_fixtures(pack)
    return pack


def read_pack_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PackInvalidError([Problem(str(path), None, "", f"cannot be read ({error.strerror})")]) from None
    if len(raw) > MAX_PACK_BYTES:
        raise PackInvalidError([Problem(str(path), None, "", "is larger than 2 MB; not a pack")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PackInvalidError([Problem(str(path), line, "", "is not UTF-8 text")]) from None


def _check_checksum(document: SourceDocument, computed: str, required: bool) -> None:
    written = document.data.get("checksum")
    if written is None:
        if required:
            raise PackTamperedError(
                f"{document.file}: the pack has no checksum, so it cannot be shown to be the one the "
                "cluster published; ask for a pack with a checksum line"
            )
        return
    if isinstance(written, str) and written.lower() != computed:
        line = document.line_of(("checksum",))
        raise PackTamperedError(
            f"{document.file}:{line}: checksum: the content does not match the pack's checksum, so it was "
            "changed after it was published; it was refused and nothing was changed"
        )


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.files("cockpit.indicators").joinpath("schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _validate_schema(document: SourceDocument) -> None:
    problems = [document.problem(path, "is not a finite number") for path in non_finite_paths(document.data)]
    errors = sorted(_validator().iter_errors(document.data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        specific = _most_specific(error)
        path = tuple(specific.absolute_path)
        problems.append(document.problem(path, specific.message))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise PackInvalidError(problems[:MAX_PROBLEMS])


def _most_specific(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the branch error that says the most (deepest path)."""
    if not error.context:
        return error
    return best_match(error.context) or error


_CHECKSUM_LINE = re.compile(r"^checksum:.*$", re.MULTILINE)
_VERSION_LINE = re.compile(r"^version:.*$", re.MULTILINE)


def with_checksum(text: str, file: Path) -> tuple[str, str]:
    """``text`` with its top-level ``checksum:`` line set to the content's checksum (added after the
    ``version:`` line when missing), and the checksum. For pack authors (``cockpit packs checksum``)."""
    document = parse_yaml(text, str(file))
    if not isinstance(document.data, dict):
        raise PackInvalidError([Problem(str(file), 1, "", "a pack is a mapping (id, version, title, ...)")])
    checksum = canonical_checksum(document.data)
    line = f"checksum: {checksum}"
    if _CHECKSUM_LINE.search(text):
        updated = _CHECKSUM_LINE.sub(line, text, count=1)
    elif _VERSION_LINE.search(text):
        updated = _VERSION_LINE.sub(lambda match: f"{match.group(0)}\n{line}", text, count=1)
    else:
        updated = f"{line}\n{text}"
    parse_pack(updated, file, require_checksum=True)  # the result must be a valid, matching pack
    return updated, checksum
