"""Paging always ends: a next link already followed (a page pointing at itself, or a cycle) or more pages
than the server's own total needs end the sync with a clear error, after a handful of requests; so does a
server without a total at the configured page cap. The store is unchanged and the useless run dropped."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cockpit.errors import SyncError
from cockpit.store import Store
from cockpit.sync.engine import sync_server
from cockpit.sync.fetch import PagingError
from cockpit.sync.http import FhirHttp
from cockpit.sync.settings import SyncSettings
from tests.sync.content import staged_rows, store_content
from tests.sync.misbehaving import bundle, capabilities, patient, serve_practice
from tests.sync.transport_fixtures import Action, FaultHandler, FaultServer, respond_json, serve


@pytest.fixture
def server() -> Iterator[FaultServer]:
    yield from serve()


def _sync(store: Store, server: FaultServer, **settings: Any) -> None:
    with FhirHttp(server.url + "/fhir", sleep=lambda _s: None) as http:
        sync_server(store, SyncSettings(server_url=server.url + "/fhir", **settings), http=http)


def _pages(next_of: Any, *, total: int | None = None) -> Action:
    """Search pages of one new Patient each, the next link made from the query asked for."""

    def act(handler: FaultHandler) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        if query.get("_summary") == "count":
            handler.send(200, b'{"resourceType": "Bundle", "meta": {"lastUpdated": "2026-12-01T10:00:00Z"}}')
            return
        page = int(query.get("page", "0"))
        following = next_of(page)
        document = bundle(
            [{"resource": patient(f"p{page}")}],
            kind="searchset",
            total=total,
            next_url=None if following is None else f"Patient?_count=1000&page={following}",
        )
        respond_json(200, document)(handler)

    return act


# (the next page of page N, the total, pages asked for, what the error says); the first page has no
# ``page`` in its query, so a page pointing at itself is found on the second page.
CASES = [
    pytest.param((lambda page: page, None, 2, "comes again after 2 pages"), id="page-points-at-itself"),
    pytest.param((lambda page: 1 - page, None, 3, "comes again after 3 pages"), id="two-page-cycle"),
    pytest.param(
        (lambda page: page + 1, 3, 5, "goes on past 5 pages, more than it announced"), id="past-total"
    ),
    pytest.param((lambda page: page + 1, None, 40, "goes on past 40 pages"), id="no-total-page-cap"),
]


@pytest.mark.parametrize("case", CASES)
def test_paging_that_would_not_end_is_ended(server: FaultServer, make_store: Any, case: Any) -> None:
    next_of, total, pages, said = case
    serve_practice(server, export=False)
    server.route("/fhir/metadata", respond_json(200, capabilities(export=False, history=False)))
    server.route("/fhir/Patient", _pages(next_of, total=total))
    store = make_store()
    with pytest.raises(PagingError, match="Patient") as raised:
        _sync(store, server, method="search", max_pages=40)
    assert said in str(raised.value)
    assert raised.value.exit_code == 9
    searches = [r for r in server.requests_to("/fhir/Patient") if "_summary" not in r.path]
    assert len(searches) == pages
    assert store_content(store)["patients"] == []
    assert staged_rows(store, "sync_runs") == 0  # resuming would only meet the loop again


def test_a_history_whose_next_link_repeats_ends_and_changes_nothing(
    server: FaultServer, make_store: Any
) -> None:
    serve_practice(server)
    store = make_store()
    _sync(store, server)
    before = store_content(store)
    server.route(
        "/fhir/_history",
        respond_json(200, bundle([], next_url="_history?_count=1000&_offset=1000")),
        respond_json(200, bundle([], next_url="_history?_count=1000&_offset=1000")),
    )
    with pytest.raises(SyncError, match=r"paging of the change history \(_history\) does not end"):
        _sync(store, server)
    assert len(server.requests_to("/fhir/_history")) == 2
    assert store_content(store) == before
