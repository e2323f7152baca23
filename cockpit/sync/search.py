"""Downloads without bulk export: paged search per type, per-patient ``$everything``, and ``_history``.

Every page is staged with the next page's URL as its unit's checkpoint, so a resumed run asks for exactly
the page it had not yet staged. Offset paging (sekmet) is no snapshot: items can repeat, so each type/id is
staged once per run.
"""

import re
from typing import Final
from urllib.parse import quote

import httpx
import orjson

from cockpit.fhir.fields import FHIR_ID
from cockpit.fhir.limits import QUARANTINE_HEAD, marker
from cockpit.fhir.mapping import KEPT_TYPES
from cockpit.sync.fetch import (
    PAGE_SIZE,
    SYNC_TYPES,
    Fetch,
    PageGuard,
    bundle_of,
    entry_lines,
    keep_params,
    next_link,
    stage_page,
)
from cockpit.sync.progress import DOWNLOADING
from cockpit.sync.staging import DELETED

HISTORY_UNIT: Final = "_history"
PATIENT_LIST_UNIT: Final = "Patient ids"
_PAGING_PARAMS: Final = ("_since", "_lastUpdated", "_count", "_type")


def download_search(fetch: Fetch, since: str | None) -> None:
    """Every kept type, page by page; with ``since`` only what changed from then on (no deletions)."""
    fetch.staging.add_units(list(SYNC_TYPES))
    units = fetch.staging.units()
    fetch.reporter.units_total = len(SYNC_TYPES)
    for resource_type in SYNC_TYPES:
        state = units[resource_type]
        if state.done:
            fetch.reporter.units_done += 1
            continue
        first = f"{resource_type}?_count={PAGE_SIZE}"
        if since is not None:
            first += f"&_lastUpdated=ge{quote(since)}"
        _page_through(fetch, resource_type, state.cursor or first, state.lines)
        fetch.reporter.units_done += 1


def download_everything(fetch: Fetch) -> None:
    """The Patient ids first (paged search of ids only), then ``Patient/<id>/$everything`` for each."""
    fetch.staging.add_units([PATIENT_LIST_UNIT])
    state = fetch.staging.units()[PATIENT_LIST_UNIT]
    url: str | None = state.cursor or f"Patient?_count={PAGE_SIZE}&_elements=id"
    guard = PageGuard("the list of patients", fetch.http.base_url, url, max_pages=fetch.max_pages)
    while not state.done and url is not None:
        bundle = bundle_of(fetch.http.get(url), "the list of patients")
        ids = [
            entry["resource"]["id"]
            for entry in bundle.get("entry") or []
            if isinstance(entry, dict)
            and isinstance(entry.get("resource"), dict)
            and isinstance(entry["resource"].get("id"), str)
            and FHIR_ID.fullmatch(entry["resource"]["id"])  # it becomes part of a URL
        ]
        fetch.staging.add_units([f"Patient/{pid}/$everything" for pid in ids])
        url = guard.next(bundle, next_link(bundle))
        fetch.staging.stage(
            PATIENT_LIST_UNIT, payload=b"", lines=0, first_line=0, cursor=url, done=url is None
        )
        fetch.reporter.report(DOWNLOADING)
    units = {name: s for name, s in fetch.staging.units().items() if name != PATIENT_LIST_UNIT}
    fetch.reporter.units_total = len(units)
    for name, unit in sorted(units.items()):
        if unit.done:
            fetch.reporter.units_done += 1
            continue
        _page_through(fetch, name, unit.cursor or name, unit.lines)
        fetch.reporter.units_done += 1


def download_history(fetch: Fetch, since: str) -> None:
    """System ``_history`` from ``since``: changed resources and deletions (the only way to see those)."""
    fetch.staging.add_units([HISTORY_UNIT])
    state = fetch.staging.units()[HISTORY_UNIT]
    if state.done:
        return
    url: str | None = state.cursor or f"_history?_since={quote(since)}&_count={PAGE_SIZE}"
    line = state.lines
    fetch.reporter.units_total = 1
    guard = PageGuard("the change history (_history)", fetch.http.base_url, url, max_pages=fetch.max_pages)
    while url is not None:
        requested = httpx.URL(fetch.http.base_url).join(url)
        bundle = bundle_of(fetch.http.get(url), "the change history (_history)")
        resources, deleted = _history_lines(bundle)
        following = next_link(bundle)
        if following is not None:
            following = keep_params(following, requested, _PAGING_PARAMS)
        following = guard.next(bundle, following)
        if deleted:
            payload = b"\n".join(deleted) + b"\n"
            fetch.staging.stage(
                HISTORY_UNIT,
                kind=DELETED,
                payload=payload,
                lines=len(deleted),
                first_line=line,
                cursor=url,
                done=False,
            )  # the cursor stays on this page until its resources are staged too
            line += len(deleted)
            fetch.reporter.resources += len(deleted)
        stage_page(fetch, HISTORY_UNIT, resources, line, following)
        line += len(resources)
        url = following
        fetch.reporter.report(DOWNLOADING)
    fetch.reporter.units_done = 1


def _history_lines(bundle: dict[str, object]) -> tuple[list[bytes], list[bytes]]:
    """(resources, deletions) of a history page, kept types only; each version as it comes: the apply
    keeps the newest per type/id. Only an explicit ``DELETE`` or a ``410 Gone`` is a deletion (R4 and R5
    alike); an entry that changes a resource but carries none, or carries another one than its request
    names, or whose method is unknown, goes among the resources as a marker that the apply quarantines
    with its reason: it changes nothing in the store."""
    resources: list[bytes] = []
    deleted: list[bytes] = []
    entries = bundle.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            resources.append(marker("history-not-object", orjson.dumps(entry)[:QUARANTINE_HEAD]))
            continue
        request = entry.get("request")
        request = request if isinstance(request, dict) else {}
        response = entry.get("response")
        response = response if isinstance(response, dict) else {}
        resource = entry.get("resource")
        method = request.get("method")
        target = next(
            (
                found
                for found in map(
                    _target, (request.get("url"), response.get("location"), entry.get("fullUrl"))
                )
                if found[0] is not None
            ),
            (None, None),
        )
        if method == "DELETE" or str(response.get("status") or "").startswith("410"):
            if target[0] is None and isinstance(resource, dict):
                target = (_text(resource.get("resourceType")), _text(resource.get("id")))
            resource_type, resource_id = target
            if resource_type in KEPT_TYPES and resource_id:
                at = str(response.get("lastModified") or "")
                deleted.append(orjson.dumps({"resourceType": resource_type, "id": resource_id, "at": at}))
            elif resource_type is None or resource_type in KEPT_TYPES:
                resources.append(_quarantined("history-no-target", entry, target))
            continue
        sent_type = _text(resource.get("resourceType")) if isinstance(resource, dict) else None
        if (sent_type or target[0]) not in KEPT_TYPES and (sent_type or target[0]) is not None:
            continue  # a type the store does not keep: whatever is wrong with it does not matter
        if method not in _CHANGES:
            resources.append(_quarantined("history-method", entry, target))
        elif resource is None:
            resources.append(_quarantined("history-no-resource", entry, target))
        elif not isinstance(resource, dict) or sent_type is None:
            resources.append(_quarantined("history-not-object", entry, target))
        elif (target[0] is not None and target[0] != sent_type) or (
            target[1] is not None and target[1] != resource.get("id")
        ):
            resources.append(_quarantined("history-mismatch", entry, target))
        else:
            resources.append(orjson.dumps(resource))
    return resources, deleted


# The methods of history entries that carry the resource as it became (R4: PUT, POST; R5 adds PATCH; a
# server that leaves out ``request`` is taken at its resource's word).
_CHANGES: Final = ("PUT", "POST", "PATCH", None)
_TARGET: Final = re.compile(
    r"(?:^|/)([A-Z][A-Za-z]{1,63})(?:/([A-Za-z0-9\-.]{1,64}))?(?:/_history/[^/?]*)?(?:\?.*)?$"
)


def _target(url: object) -> tuple[str | None, str | None]:
    """(type, id) of a request URL, ``response.location`` or ``fullUrl`` (relative or absolute, with or
    without ``/_history/<version>``); (None, None) if it names none."""
    if not isinstance(url, str) or len(url) > 2048:
        return None, None
    found = _TARGET.search(url.split("?", 1)[0])
    return (found.group(1), found.group(2)) if found else (None, None)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _quarantined(code: str, entry: dict[str, object], target: tuple[str | None, str | None]) -> bytes:
    return marker(
        code,
        orjson.dumps(entry)[:QUARANTINE_HEAD],
        resource_type=target[0] or "unknown",
        resource_id=target[1] or "",
    )


def _page_through(fetch: Fetch, unit: str, url: str, line: int) -> None:
    what = f"the search for {unit.split('?', maxsplit=1)[0]}"
    guard = PageGuard(what, fetch.http.base_url, url, max_pages=fetch.max_pages)
    next_url: str | None = url
    while next_url is not None:
        url = next_url
        requested = httpx.URL(fetch.http.base_url).join(url)
        bundle = bundle_of(fetch.http.get(url), what)
        following = next_link(bundle)
        if following is not None:
            following = keep_params(following, requested, _PAGING_PARAMS)
        following = guard.next(bundle, following)
        lines = list(entry_lines(fetch, bundle))
        stage_page(fetch, unit, lines, line, following)
        line += len(lines)
        next_url = following
        fetch.reporter.report(DOWNLOADING)
