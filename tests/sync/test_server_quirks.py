"""What a sync must get right about servers: Retry-After on export polling in every form, clamped, and
next links that lose the query (sekmet's _history drops _since)."""

import email.utils
import math
import time
from typing import Any

import httpx

from cockpit.sync.engine import sync_server
from cockpit.sync.fetch import format_instant, keep_params, parse_instant
from cockpit.sync.http import FhirHttp
from cockpit.sync.settings import SyncSettings


class SlowExportTransport(httpx.HTTPTransport):
    """The first status polls answer 202 with the given Retry-After values; then the real server answers."""

    def __init__(self, retry_afters: list[str], sleeps: list[float]) -> None:
        super().__init__()
        self.retry_afters, self.sleeps = list(retry_afters), sleeps
        self.slept_before_real: float | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/bulk-status/" in request.url.path:
            if self.retry_afters:
                value = self.retry_afters.pop(0)
                return httpx.Response(202, headers={"Retry-After": value}, request=request)
            if self.slept_before_real is None:
                self.slept_before_real = sum(self.sleeps)
        return super().handle_request(request)


def test_export_polling_honours_retry_after_in_all_three_forms_clamped(
    fhir_server: str, make_store: Any
) -> None:
    sleeps: list[float] = []
    in_5_s = email.utils.formatdate(math.ceil(time.time()) + 5, usegmt=True)  # whole seconds: 5-6 s away
    far_epoch = str(int(time.time()) + 86_400)  # an absolute Unix time a day ahead: clamped to 60 s
    transport = SlowExportTransport(["2", in_5_s, far_epoch], sleeps)
    http = FhirHttp(fhir_server, transport=transport, sleep=sleeps.append)
    result = sync_server(make_store(), SyncSettings(server_url=fhir_server), http=http, sleep=sleeps.append)
    assert result.downloaded > 0
    assert transport.slept_before_real is not None
    # 2 s, then the HTTP date (4-6 s away when it is read, after opening the store), then the clamp of 60 s
    assert 2 + 4 + 60 <= transport.slept_before_real <= 2 + 6.01 + 60


def test_a_next_link_gets_back_the_query_the_server_dropped() -> None:
    asked = httpx.URL("http://h/fhir/_history?_since=2026-11-22T23%3A59%3A46.606Z&_count=1000")
    link = keep_params("http://h/fhir/_history?_count=1000&_offset=1000", asked, ("_since", "_count"))
    assert httpx.URL(link).params["_since"] == "2026-11-22T23:59:46.606Z"
    assert httpx.URL(link).params["_offset"] == "1000"
    kept = keep_params("http://h/fhir/_history?_since=X&_offset=5", asked, ("_since",))
    assert httpx.URL(kept).params["_since"] == "X"


def test_watermarks_are_utc_with_milliseconds_so_text_comparison_orders_them() -> None:
    moment = parse_instant("2026-11-23T01:02:03.4+01:00")
    assert moment is not None
    assert format_instant(moment) == "2026-11-23T00:02:03.400Z"
    assert format_instant(parse_instant("2026-11-23T00:02:03Z")) < "2026-11-23T00:02:03.001Z"  # type: ignore[arg-type]
