"""Indicator engine at 50,000 patients. Budgets: each reference indicator ≤ 300 ms (population, hits and
evidence), all built-in indicators together ≤ 3 s, and at least 20× faster than the deliberately simple
per-patient reference implementation of the tests (tests/indicators/reference.py) on the same data.

It runs on the shared demo practice (bench/practice.py), as of its date. Times are the median (p50) of
5 runs, each in its own read transaction.
"""

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Final

from bench.practice import AS_OF, PATIENTS, demo_store
from cockpit.indicators.engine import evaluate, evaluate_many
from cockpit.indicators.registry import PackRegistry
from cockpit.store import Store
from tests.indicators.reference import DEFINITIONS, evaluate_reference, load_records

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
    seconds = p50(partial(evaluate_many, store, indicators, AS_OF))
    ok = seconds <= ALL_BUDGET_S
    all_ok &= ok
    label = f"all {len(indicators)} built-in indicators, evidence too"
    print(f"  {label}: {seconds:.2f} s (budget ≤ {ALL_BUDGET_S:.0f} s): {verdict(ok)}")
    counts_only = p50(partial(evaluate_many, store, indicators, AS_OF, with_evidence=False))
    print(f"  all {len(indicators)} built-in indicators, counts only (the overview): {counts_only:.2f} s")
    one_by_one = p50(lambda: [evaluate(store, i, AS_OF) for i in indicators], runs=3)
    print(f"  all {len(indicators)} one by one, with evidence (no shared populations): {one_by_one:.2f} s")

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
    ok = run(demo_store(patients))
    print(f"indicators at {patients:,} patients: {'all within budget' if ok else 'OVER BUDGET'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else PATIENTS)
