"""Import throughput: FHIR NDJSON into the encrypted store. Budget: ≥ 30,000 resources/s on the Synthea
files (stretch: 100,000), measured on a fresh store each time, best of three."""

import tempfile
import time
from pathlib import Path

from cockpit.fhir.importer import ImportSummary, import_path
from cockpit.security.keys import KeyStore
from cockpit.store import open_store

SYNTHEA = Path(__file__).resolve().parents[2] / "shared" / "fhir-data" / "synthea-r4-100"
BUDGET = 30_000


def import_once(source: Path, keys: KeyStore, reimport: bool = False) -> tuple[ImportSummary, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "home", keys)
        try:
            if reimport:
                import_path(store, source)
            started = time.perf_counter()
            summary = import_path(store, source)
            return summary, time.perf_counter() - started
        finally:
            store.close()
            keys.delete(store.meta.store_id)


def main() -> None:
    keys = KeyStore()
    runs = [import_once(SYNTHEA, keys) for _ in range(3)]
    summary, seconds = min(runs, key=lambda r: r[1])
    rate = summary.read / seconds
    kept = summary.inserted + summary.updated + summary.unchanged
    print(f"import synthea-r4-100: {summary.read:,} resources read ({kept:,} kept) in {seconds:.2f} s")
    verdict = "OK" if rate >= BUDGET else "OVER BUDGET"
    print(f"  {rate:,.0f} resources/s (budget ≥ {BUDGET:,}/s): {verdict}; {kept / seconds:,.0f} kept rows/s")
    again, seconds = import_once(SYNTHEA, keys, reimport=True)
    print(
        f"  re-import of the same files (idempotent, all unchanged): {again.read / seconds:,.0f} resources/s"
    )
