"""Per-patient overview load at practice-cluster scale. Budget: p95 ≤ 30 ms per patient at 50,000 patients.

It runs on the shared demo practice (bench/practice.py): the overview of 200 random patients is loaded,
each for the first time (cold, as when the GP opens a patient), through
``OverviewService.patient_overview`` with the rule-based attention panel.
"""

import argparse
import random
import statistics
import time
from typing import Final

from sqlalchemy import select

from bench.practice import AS_OF, PATIENTS, SEED, demo_store
from cockpit.models import Patient
from cockpit.services.overview.service import OverviewService
from cockpit.store import Store

SAMPLES: Final = 200
BUDGET_P95_MS: Final = 30.0


def main(patients: int = PATIENTS, samples: int = SAMPLES) -> None:
    store = demo_store(patients)
    _report(_load_overviews(store, samples), patients)


def _load_overviews(store: Store, samples: int) -> list[float]:
    """Milliseconds per overview, for ``samples`` distinct random patients."""
    with store.session() as session:
        ids = list(session.execute(select(Patient.id)).scalars())
    service = OverviewService(store)
    timings = []
    for patient_id in random.Random(SEED).sample(ids, min(samples, len(ids))):
        started = time.perf_counter()
        service.patient_overview(patient_id, AS_OF)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _report(timings: list[float], patients: int) -> None:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    verdict = "OK" if p95 <= BUDGET_P95_MS else "OVER BUDGET"
    print(
        f"  overview load, {len(ordered)} random patients of {patients:,}: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms (budget p95 ≤ {BUDGET_P95_MS:.0f} ms): {verdict}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.overview_bench")
    parser.add_argument("--patients", type=int, default=PATIENTS)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    arguments = parser.parse_args()
    main(arguments.patients, arguments.samples)
