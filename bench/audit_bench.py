"""The audit log at practice scale. Budgets: recording a look-up costs ≤ 1 ms (on the 50,000-patient demo
practice with a log of a million entries); verifying a chain of 1,000,000 entries takes ≤ 10 s.

It runs on the shared demo practice (bench/practice.py). A million valid chained entries are bulk-inserted
first (their hashes computed as ``append_entry`` does), so the look-ups append to a big log. Then:
- the overview of random patients, unaudited (the read alone, as before the audit log) and audited
  (``OverviewService.patient_overview``: BEGIN IMMEDIATE, the read, the entry, the commit), each on its own
  sample of distinct patients loaded for the first time;
- the entry alone: ``AuditLog.record`` (its own transaction and commit), a thousand times;
- ``AuditLog.verify`` over the whole chain.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy import select

from bench.practice import AS_OF, PATIENTS, SEED, demo_store
from cockpit.models import Patient
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit import AuditLog
from cockpit.privacy.audit.chain import GENESIS, HASHED_COLUMNS, entry_hash, utc_timestamp
from cockpit.privacy.identity import Actor, Role
from cockpit.services.overview.attention import RuleBasedAttention
from cockpit.services.overview.facts import load_facts
from cockpit.services.overview.sections import build_overview
from cockpit.services.overview.service import OverviewService
from cockpit.store import Store

LOG_ENTRIES: Final = 1_000_000
SAMPLES: Final = 300
RECORDS: Final = 1_000
BUDGET_PER_LOOK_UP_MS: Final = 1.0
BUDGET_VERIFY_S: Final = 10.0
ACTOR: Final = Actor(user="bench", role=Role.GP, workstation="bench")
_BATCH: Final = 50_000


def main(patients: int = PATIENTS, entries: int = LOG_ENTRIES, samples: int = SAMPLES) -> None:
    store = demo_store(patients)
    with store.session() as session:
        ids = list(session.execute(select(Patient.id)).scalars())
    _fill_log(store, entries, ids)
    plain_ids, audited_ids = _two_samples(ids, samples)
    plain = _timed(plain_ids, lambda pid: _unaudited_overview(store, pid))
    service = OverviewService(store, actor=lambda: ACTOR)
    audited = _timed(audited_ids, lambda pid: service.patient_overview(pid, AS_OF))
    log = AuditLog(store)
    recorded = _timed(ids[:RECORDS], lambda pid: log.record(ACTOR, AuditAction.PATIENT_OPEN, patient_id=pid))
    started = time.perf_counter()
    report = log.verify()
    verify_s = time.perf_counter() - started
    _report(
        patients,
        plain=plain,
        audited=audited,
        recorded=recorded,
        entries=report.entries,
        intact=report.intact,
        verify_s=verify_s,
    )


def _fill_log(store: Store, entries: int, patient_ids: list[int]) -> None:
    """Append ``entries`` valid chained entries in one transaction, as fast as the driver allows."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    columns = (*HASHED_COLUMNS, "prev_hash", "hash")
    quoted = ", ".join(f'"{column}"' for column in columns)  # "user" is a keyword
    insert = f"INSERT INTO audit_log ({quoted}) VALUES ({', '.join('?' * len(columns))})"
    users = [("anna", "gp", "konsultation-1"), ("bo", "nurse", "konsultation-2"), ("carl", "gp", "kons-3")]
    with store.engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        head = cursor.execute("SELECT last_id, last_hash, count FROM audit_head").fetchone()
        last_id, prev, count = head if head is not None else (0, GENESIS, 0)
        at = utc_timestamp()
        batch = []
        for entry_id in range(last_id + 1, last_id + entries + 1):
            user, role, workstation = users[entry_id % 3]
            pid = rng.choice(patient_ids)
            fields = (
                entry_id,
                at,
                user,
                role,
                workstation,
                "patient.open",
                pid,
                f"p{pid}",
                None,
                None,
                None,
                None,
            )
            digest = entry_hash(prev, fields)
            batch.append((*fields, prev, digest))
            prev = digest
            if len(batch) == _BATCH:
                cursor.executemany(insert, batch)
                batch.clear()
        cursor.executemany(insert, batch)
        new_last = last_id + entries
        if head is None:
            cursor.execute("INSERT INTO audit_head VALUES (1, ?, ?, ?)", (new_last, prev, entries))
        else:
            cursor.execute(
                "UPDATE audit_head SET last_id = ?, last_hash = ?, count = ?",
                (new_last, prev, count + entries),
            )
        cursor.close()
    seconds = time.perf_counter() - started
    print(f"  bulk-inserted {entries:,} chained audit entries in {seconds:.1f} s")


def _two_samples(ids: list[int], samples: int) -> tuple[list[int], list[int]]:
    chosen = random.Random(SEED + 1).sample(ids, min(2 * samples, len(ids)))
    return chosen[::2], chosen[1::2]


def _unaudited_overview(store: Store, patient_id: int) -> None:
    with store.session() as session:
        facts = load_facts(session, patient_id)
    assert facts is not None
    build_overview(facts, AS_OF, RuleBasedAttention())


def _timed(ids: list[int], action: Callable[[int], object]) -> list[float]:
    timings = []
    for patient_id in ids:
        started = time.perf_counter()
        action(patient_id)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _report(
    patients: int,
    *,
    plain: list[float],
    audited: list[float],
    recorded: list[float],
    entries: int,
    intact: bool,
    verify_s: float,
) -> None:
    extra_ms = statistics.mean(audited) - statistics.mean(plain)
    record_ms = statistics.mean(recorded)
    record_p95 = sorted(recorded)[round(0.95 * len(recorded)) - 1]
    per_look_up = max(extra_ms, record_ms)
    print(
        f"  overview of {len(plain)} + {len(audited)} random patients of {patients:,}: unaudited mean "
        f"{statistics.mean(plain):.2f} ms (p50 {statistics.median(plain):.2f}), audited mean "
        f"{statistics.mean(audited):.2f} ms (p50 {statistics.median(audited):.2f}): {extra_ms:+.2f} ms"
    )
    verdict = "OK" if per_look_up <= BUDGET_PER_LOOK_UP_MS else "OVER BUDGET"
    print(
        f"  one audit entry in its own transaction, {len(recorded):,} times: mean {record_ms:.3f} ms, p95 "
        f"{record_p95:.3f} ms; per look-up {per_look_up:.2f} ms (budget ≤ {BUDGET_PER_LOOK_UP_MS:.0f} ms): "
        f"{verdict}"
    )
    verdict = "OK" if intact and verify_s <= BUDGET_VERIFY_S else "OVER BUDGET" if intact else "BROKEN"
    print(
        f"  verify a chain of {entries:,} entries: {verify_s:.1f} s "
        f"(budget ≤ {BUDGET_VERIFY_S:.0f} s): {verdict}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.audit_bench")
    parser.add_argument("--patients", type=int, default=PATIENTS)
    parser.add_argument("--entries", type=int, default=LOG_ENTRIES)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    arguments = parser.parse_args()
    main(arguments.patients, arguments.entries, arguments.samples)
