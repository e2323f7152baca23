"""The shapes of what a FHIR server answers, checked before anything is read from them.

A server can send JSON of any shape where a manifest, a Bundle or a CapabilityStatement belongs (a number
for ``output``, a string for ``entry``, a list for ``rest``). Each is checked here, once, for what the
sync reads from it; a wrong shape is a ``NotFhirError`` (a SyncError, exit 9) saying which document and
which part, never an internal error and never a value from the document. The checks are of the
structure the sync walks, not a FHIR validation: fields it does not read are not looked at.
"""

from typing import Any

import orjson

from cockpit.errors import SyncError

CHECK_URL = "check the server URL in the sync settings"
ADMINISTRATOR = "tell the server's administrator"


class NotFhirError(SyncError):
    """The server sent something that is not the FHIR document the sync asked for."""

    def __init__(self, what: str, detail: str, advice: str = ADMINISTRATOR) -> None:
        super().__init__(
            f"The server sent something that is not a FHIR {what} ({detail}); the store was not changed: "
            f"{advice}."
        )


def parse_object(
    content: bytes, what: str, advice: str = "tell the server's administrator"
) -> dict[str, Any]:
    """The JSON object in ``content``, or NotFhirError."""
    try:
        document = orjson.loads(content)
    except orjson.JSONDecodeError:
        raise NotFhirError(what, "not JSON", advice) from None
    if not isinstance(document, dict):
        raise NotFhirError(what, "not a JSON object", advice)
    return document


def _list_of_objects(document: dict[str, Any], key: str, what: str, *, where: str = "") -> list[Any]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise NotFhirError(what, f"{where}{key} is not a list")
    if not all(isinstance(item, dict) for item in value):
        raise NotFhirError(what, f"{where}{key} holds something that is not an object")
    return value


def check_manifest(manifest: dict[str, Any]) -> None:
    """A Bulk Data manifest: ``transactionTime`` text, ``output`` and ``error`` lists of objects, each
    output with a ``url`` (text) and a ``type`` (text, if given), ``requiresAccessToken`` a boolean."""
    what = "bulk export manifest"
    if not isinstance(manifest.get("transactionTime"), str):
        raise NotFhirError(what, "transactionTime is missing or not text")
    for key in ("output", "error", "deleted"):
        for item in _list_of_objects(manifest, key, what):
            if not isinstance(item.get("url"), str):
                raise NotFhirError(what, f"an {key} entry has no url")
            if not isinstance(item.get("type", ""), str):
                raise NotFhirError(what, f"an {key} entry's type is not text")
    if not isinstance(manifest.get("requiresAccessToken", False), bool):
        raise NotFhirError(what, "requiresAccessToken is not true or false")


def check_bundle(bundle: dict[str, Any], what: str) -> None:
    """A Bundle as the sync walks it: ``entry`` a list (its items are checked one by one where they are
    read), ``link`` a list of objects, ``total`` a whole number >= 0."""
    if bundle.get("resourceType") != "Bundle":
        raise NotFhirError(what, "not a Bundle")
    entries = bundle.get("entry")
    if entries is not None and not isinstance(entries, list):
        raise NotFhirError(what, "entry is not a list")
    _list_of_objects(bundle, "link", what)
    total = bundle.get("total")
    if total is not None and (type(total) is not int or total < 0):
        raise NotFhirError(what, "total is not a whole number")


def check_capabilities(statement: dict[str, Any]) -> dict[str, Any]:
    """A CapabilityStatement's first ``rest`` entry, with its ``operation``, ``interaction`` and
    ``resource`` lists (and each resource's ``operation``) lists of objects."""
    what = "CapabilityStatement"
    if statement.get("resourceType") != "CapabilityStatement":
        raise NotFhirError(what, "not a CapabilityStatement", CHECK_URL)
    rests = _list_of_objects(statement, "rest", what)
    if not rests:
        raise NotFhirError(what, "it has no rest entry", CHECK_URL)
    rest: dict[str, Any] = rests[0]
    for key in ("operation", "interaction"):
        _list_of_objects(rest, key, what, where="rest.")
    for resource in _list_of_objects(rest, "resource", what, where="rest."):
        _list_of_objects(resource, "operation", what, where="rest.resource.")
    return rest
