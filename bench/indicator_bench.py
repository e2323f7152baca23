"""Indicator engine at 50,000 patients. Budgets: each reference indicator ≤ 300 ms (population, hits and
evidence), all built-in indicators together ≤ 3 s, and at least 20× faster than the deliberately simple
per-patient reference implementation of the tests (tests/indicators/reference.py) on the same data.

The demo practice's NDJSON is generated once and cached in bench/out/ (gitignored). The encrypted store is
imported afresh on every run, because its key lives in the keyring session, which ``make bench`` starts
privately and throws away: the import of 50,000 patients (about 2.4 million resources) takes a minute or two.
Times are the median (p50) of 5 runs, each in its own read transaction.
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.indicators.engine import evaluate
from cockpit.indicators.registry import PackRegistry
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store
from tests.indicators.reference import DEFINITIONS, evaluate_reference, load_records

OUT: Final = Path(__file__).resolve().parent / "out"
PATIENTS: Final = 50_000
SEED: Final = 2018
AS_OF: Final = date(2025, 6, 30)
RUNS: Final = 5
INDICATOR_BUDGET_S: Final = 0.300
ALL_BUDGET_S: Final = 3.0
RATIO_BUDGET: Final = 20.0


def p50(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def demo_practice(patients: int) -> Path:
    """The cached NDJSON of the demo practice (generated when missing)."""
    folder = OUT / f"demo-practice-{patients}-{SEED}-{AS_OF.isoformat()}"
    if not (folder / "manifest.json").exists():
        print(f"  generating a demo practice of {patients:,} patients in {folder} …", flush=True)
        started = time.perf_counter()
        generate_practice(folder, patients=patients, seed=SEED, as_of=AS_OF)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def verdict(ok: bool) -> str:
    return "OK" if ok else "OVER BUDGET"


def run(store: Store) -> bool:
    registry = PackRegistry.load(None)
    all_ok = True
    print(f"engine, as of {AS_OF} (p50 of {RUNS}; population, hits and evidence):")
    engine_times: dict[str, float] = {}
    for indicator_id in DEFINITIONS:
        indicator = registry.indicator(indicator_id)
        result = evaluate(store, indicator, AS_OF)
        seconds = engine_times[indicator_id] = p50(partial(evaluate, store, indicator, AS_OF))
        ok = seconds <= INDICATOR_BUDGET_S
        all_ok &= ok
        print(
            f"  {indicator_id:<16} {seconds * 1000:7.1f} ms  population {result.population:>6,}  "
            f"hits {len(result.hits):>5,}  {verdict(ok)}"
        )
    indicators = registry.indicators()
    seconds = p50(lambda: [evaluate(store, i, AS_OF) for i in indicators])
    ok = seconds <= ALL_BUDGET_S
    all_ok &= ok
    budget = f"budget ≤ {ALL_BUDGET_S:.0f} s"
    print(f"  all {len(indicators)} built-in indicators: {seconds:.2f} s ({budget}): {verdict(ok)}")

    print("per-patient reference implementation (tests/indicators/reference.py), same data:")
    started = time.perf_counter()
    with store.engine.connect() as conn:
        records = load_records(conn)
    load = time.perf_counter() - started
    print(f"  reading every row into Python (once): {load:.2f} s")
    for indicator_id in DEFINITIONS:
        loop = p50(partial(evaluate_reference, records, indicator_id, AS_OF), runs=3)
        engine = engine_times[indicator_id]
        ratio = (load + loop) / engine
        ok = ratio >= RATIO_BUDGET
        all_ok &= ok
        print(
            f"  {indicator_id:<16} loop {loop * 1000:7.1f} ms, with reading {load + loop:6.2f} s: "
            f"{ratio:6.0f}× the engine (loop alone {loop / engine:5.1f}×; budget ≥ {RATIO_BUDGET:.0f}×): "
            f"{verdict(ok)}"
        )
    return all_ok


def main(patients: int = PATIENTS) -> None:
    OUT.mkdir(exist_ok=True)
    source = demo_practice(patients)
    keys = KeyStore()
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        store = open_store(Path(tmp) / "home", keys)
        try:
            print(f"  importing {patients:,} patients into a fresh encrypted store …", flush=True)
            summary = import_path(store, source)
            print(f"  imported {summary.read:,} resources in {summary.seconds:.0f} s", flush=True)
            ok = run(store)
        finally:
            store.close()
            keys.delete(store.meta.store_id)
    print(f"indicators at {patients:,} patients: {'all within budget' if ok else 'OVER BUDGET'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else PATIENTS)
