"""Downloads without bulk export: paged search per type, per-patient ``$everything``, and ``_history``.

Every page is staged with the next page's URL as its unit's checkpoint, so a resumed run asks for exactly
the page it had not yet staged. Offset paging (sekmet) is no snapshot: items can repeat, so each type/id is
staged once per run.
"""

from typing import Final
from urllib.parse import quote

import httpx
import orjson

from cockpit.fhir.mapping import KEPT_TYPES
from cockpit.sync.fetch import (
    PAGE_SIZE,
    SYNC_TYPES,
    Fetch,
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
    while not state.done and url is not None:
        bundle = bundle_of(fetch.http.get(url), "the list of patients")
        ids = [
            str(entry["resource"]["id"])
            for entry in bundle.get("entry") or []
            if isinstance(entry, dict)
            and isinstance(entry.get("resource"), dict)
            and entry["resource"].get("id")
        ]
        fetch.staging.add_units([f"Patient/{pid}/$everything" for pid in ids])
        url = next_link(bundle)
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
    while url is not None:
        requested = httpx.URL(fetch.http.base_url).join(url)
        bundle = bundle_of(fetch.http.get(url), "the change history (_history)")
        resources, deleted = _history_lines(bundle)
        following = next_link(bundle)
        if following is not None:
            following = keep_params(following, requested, _PAGING_PARAMS)
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
    keeps the newest per type/id."""
    resources: list[bytes] = []
    deleted: list[bytes] = []
    entries = bundle.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        request = entry.get("request")
        request = request if isinstance(request, dict) else {}
        response = entry.get("response")
        response = response if isinstance(response, dict) else {}
        resource = entry.get("resource")
        if request.get("method") == "DELETE" or resource is None:
            resource_type, _, resource_id = str(request.get("url", "")).partition("/")
            if resource_type in KEPT_TYPES and resource_id:
                at = str(response.get("lastModified") or "")
                deleted.append(orjson.dumps({"resourceType": resource_type, "id": resource_id, "at": at}))
        elif isinstance(resource, dict) and resource.get("resourceType") in KEPT_TYPES:
            resources.append(orjson.dumps(resource))
    return resources, deleted


def _page_through(fetch: Fetch, unit: str, url: str | None, line: int) -> None:
    while url is not None:
        requested = httpx.URL(fetch.http.base_url).join(url)
        bundle = bundle_of(fetch.http.get(url), f"the search for {unit.split('?', maxsplit=1)[0]}")
        following = next_link(bundle)
        if following is not None:
            following = keep_params(following, requested, _PAGING_PARAMS)
        lines = list(entry_lines(fetch, bundle))
        stage_page(fetch, unit, lines, line, following)
        line += len(lines)
        url = following
        fetch.reporter.report(DOWNLOADING)
