"""Sync throughput against a real FHIR server (sekmet with the 100-patient Synthea set, tools/fhir-server).

Budgets: a full sync (bulk $export, staged and applied into a fresh encrypted store) reaches >= 80 % of the
rate of a bare httpx loop that downloads the same export (kick-off, polling with the same interval, stream
every file) from the same server (seven alternated runs: judged at the poll where the bare runs saw the
export ready, with the median time each side took after that; see ``main``); an incremental sync of 100
changes takes < 2 s (best of three).

Also shown (no budget): both over a link of 100 Mbit/s, as between a practice and its clinic system's
server (a transport that paces each response's bytes; three alternated runs each).
"""

import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from cockpit.security.keys import KeyStore
from cockpit.store import open_store
from cockpit.sync.engine import sync_server
from cockpit.sync.fetch import SYNC_TYPES
from cockpit.sync.http import FhirHttp
from cockpit.sync.progress import DOWNLOADING, SyncProgress, SyncResult
from cockpit.sync.retry import parse_retry_after
from cockpit.sync.settings import SyncSettings
from tests.sync import peer

SYNTHEA = Path(__file__).resolve().parents[2] / "shared" / "fhir-data" / "synthea-r4-100"
RATIO_BUDGET = 0.80
INCREMENTAL_BUDGET_S = 2.0
CHANGES = 100
ROUNDS = 7
LINK_ROUNDS = 3
LINK_BYTES_PER_S = 100e6 / 8  # 100 Mbit/s


class _Paced(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, rate: float) -> None:
        self.inner, self.rate = inner, rate

    def __iter__(self) -> Iterator[bytes]:
        started, sent = time.perf_counter(), 0
        for block in self.inner:
            for start in range(0, len(block), 1 << 14):
                piece = block[start : start + (1 << 14)]
                sent += len(piece)
                ahead = sent / self.rate - (time.perf_counter() - started)
                if ahead > 0:
                    time.sleep(ahead)
                yield piece

    def close(self) -> None:
        self.inner.close()


class LinkTransport(httpx.HTTPTransport):
    """A real transport whose response bodies arrive no faster than ``rate`` bytes per second."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        assert isinstance(response.stream, httpx.SyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Paced(response.stream, self.rate),
            request=request,
        )


def bare_download(
    base_url: str, transport: httpx.BaseTransport | None = None
) -> tuple[int, int, float, float]:
    """(resources, bytes, seconds, seconds until the export was seen ready) of a plain $export download:
    what the server alone allows."""
    started = time.perf_counter()
    resources = size = 0
    with httpx.Client(timeout=60, transport=transport) as client:
        kickoff = client.get(
            f"{base_url}/$export",
            params={"_type": ",".join(SYNC_TYPES)},
            headers={"Prefer": "respond-async", "Accept": "application/fhir+json"},
        )
        status_url = kickoff.headers["Content-Location"]
        while True:
            status = client.get(status_url)
            if status.status_code == 200:
                break
            time.sleep(parse_retry_after(status.headers.get("Retry-After"), time.time()) or 1.0)
        ready = time.perf_counter() - started
        for output in status.json()["output"]:
            with client.stream("GET", output["url"]) as response:
                for block in response.iter_bytes(1 << 16):
                    resources += block.count(b"\n")
                    size += len(block)
    return resources, size, time.perf_counter() - started, ready


def full_sync(
    base_url: str, keys: KeyStore, transport: httpx.BaseTransport | None = None
) -> tuple[SyncResult, float, float]:
    """(result, seconds, seconds until the export was seen ready: its first download report)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "home", keys)
        try:
            http = None if transport is None else FhirHttp(base_url, transport=transport)
            ready: list[float] = []

            def progress(report: SyncProgress) -> None:
                if report.phase == DOWNLOADING and not ready:
                    ready.append(time.perf_counter() - started)

            started = time.perf_counter()
            result = sync_server(store, SyncSettings(server_url=base_url), http=http, progress=progress)
            return result, time.perf_counter() - started, ready[0]
        finally:
            store.close()
            keys.delete(store.meta.store_id)


def incremental_sync(base_url: str, keys: KeyStore) -> tuple[SyncResult, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "home", keys)
        try:
            settings = SyncSettings(server_url=base_url)
            sync_server(store, settings)
            bundle = httpx.get(f"{base_url}/Observation", params={"_count": str(CHANGES)}, timeout=60).json()
            for entry in bundle["entry"]:
                resource = entry["resource"]
                resource["status"] = "amended" if resource.get("status") != "amended" else "final"
                httpx.put(
                    f"{base_url}/Observation/{resource['id']}",
                    json=resource,
                    headers={"Content-Type": "application/fhir+json"},
                    timeout=60,
                ).raise_for_status()
            started = time.perf_counter()
            result = sync_server(store, settings)
            return result, time.perf_counter() - started
        finally:
            store.close()
            keys.delete(store.meta.store_id)


def main() -> None:
    peer.install()
    loaded = peer.loaded_data(SYNTHEA)
    directory = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    keys = KeyStore()
    try:
        with peer.running_server(peer.copy_of(loaded, directory)) as base_url:
            bares, syncs = [], []
            for _ in range(ROUNDS):  # alternated, so neither side gets the warmer server
                bares.append(bare_download(base_url))
                syncs.append(full_sync(base_url, keys))
            changes = [incremental_sync(base_url, keys) for _ in range(3)]  # (result, seconds)
            delta, delta_seconds = min(changes, key=lambda run: run[1])
            link_bares, link_syncs = [], []
            for _ in range(LINK_ROUNDS):
                link_bares.append(bare_download(base_url, LinkTransport(LINK_BYTES_PER_S)))
                link_syncs.append(full_sync(base_url, keys, LinkTransport(LINK_BYTES_PER_S)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    # The export is ready ~2 s after the kick-off and polled every second (its Retry-After), so which poll
    # finds it is luck that moves a run by a whole second (a raw median compared a 2 s bare median with a
    # 3 s sync median once and printed 60 %, another time 118 %). The budget is judged at the same poll for
    # both: the one at which the bare runs saw the export (what the server takes), plus what each side
    # took after that; the stricter 2 s figure and the raw medians are shown too.
    resources, size = bares[0][0], bares[0][1]
    bare_median = statistics.median(run[2] for run in bares)
    sync_median = statistics.median(run[1] for run in syncs)
    best, best_seconds, _ = min(syncs, key=lambda run: run[1])
    print(
        f"bare $export download: {resources:,} resources ({size / 1e6:.1f} MB): median {bare_median:.2f} s, "
        f"best {min(run[2] for run in bares):.2f} s of {ROUNDS}; {resources / bare_median:,.0f} resources/s"
    )
    download_median = statistics.median(run[0].seconds_download for run in syncs)
    apply_median = statistics.median(run[0].seconds_apply for run in syncs)
    print(
        f"full sync ($export, staged, applied): median {sync_median:.2f} s (download "
        f"{download_median:.2f} s, apply {apply_median:.2f} s), best {best_seconds:.2f} s "
        f"(download {best.seconds_download:.2f} s, "
        f"apply {best.seconds_apply:.2f} s); {best.downloaded / sync_median:,.0f} resources/s"
    )
    bare_after = statistics.median(run[2] - run[3] for run in bares)
    sync_after = statistics.median(run[1] - run[2] for run in syncs)
    poll = round(statistics.median(run[3] for run in bares))  # whole seconds: the poll that saw it
    ratio = (poll + bare_after) / (poll + sync_after)
    verdict = "OK" if ratio >= RATIO_BUDGET else "OVER BUDGET"
    early = (sum(run[3] < 2.5 for run in bares), sum(run[2] < 2.5 for run in syncs))
    print(
        f"  after the export was seen ready: bare median {bare_after:.2f} s, full sync median "
        f"{sync_after:.2f} s (seen at the 2 s poll in {early[0]} of {ROUNDS} bare runs and {early[1]} of "
        f"{ROUNDS} syncs)"
    )
    print(
        f"  rate at the same poll ({poll} s, where the bare runs saw the export): {ratio:.0%} of the bare "
        f"rate (budget >= {RATIO_BUDGET:.0%}): {verdict}; at the 2 s poll "
        f"{(2 + bare_after) / (2 + sync_after):.0%}; raw medians {bare_median / sync_median:.0%}"
    )
    link_bare = statistics.median(run[2] - run[3] for run in link_bares)
    link_sync = statistics.median(run[1] - run[2] for run in link_syncs)
    print(
        f"over a {LINK_BYTES_PER_S * 8 / 1e6:.0f} Mbit/s link, after the export was seen ready: bare median "
        f"{link_bare:.2f} s, full sync median {link_sync:.2f} s; at the same poll the rate is "
        f"{(2 + link_bare) / (2 + link_sync):.0%} (2 s) of the bare rate (no budget; {LINK_ROUNDS} runs each)"
    )
    verdict = "OK" if delta_seconds < INCREMENTAL_BUDGET_S else "OVER BUDGET"
    print(
        f"incremental sync of {CHANGES} changes: {delta.downloaded} received, {delta.updated} changed in "
        f"{delta_seconds:.2f} s (budget < {INCREMENTAL_BUDGET_S:.0f} s): {verdict}"
    )
