"""``generate_practice``: a fictitious Danish general practice as a FHIR R4 bulk-data export."""

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from cockpit.demo import model
from cockpit.demo.fhir import ResourceContext, medications, organization, patient_resources, practitioners
from cockpit.demo.output import RESOURCE_TYPES, BulkExportWriter, file_name
from cockpit.demo.population import build_practice
from cockpit.demo.simulate import simulate_patient
from cockpit.errors import CockpitError

MIN_PATIENTS: Final = 10
MAX_PATIENTS: Final = 2_000_000
EARLIEST_AS_OF: Final = date(2000, 1, 1)
LATEST_AS_OF: Final = date(2057, 12, 31)  # the CPR century digits run out for people born after 2057
PROGRESS_EVERY: Final = 250
GENERATOR_VERSION: Final = "2"

Progress = Callable[[int, int], None]


class DemoArgumentError(CockpitError, ValueError):
    """An argument outside what the generator supports (the message says which and why)."""

    exit_code = 2


class DemoOutputError(CockpitError):
    """The export could not be written (no permission, disk full, the path is a file...)."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What was written: resource counts per type and the file of each type, plus the manifest."""

    out_dir: Path
    manifest: Path
    files: Mapping[str, Path]
    counts: Mapping[str, int]
    patients: int
    seed: int
    as_of: date

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def generate_practice(
    out_dir: Path, patients: int, seed: int, as_of: date, progress: Progress | None = None
) -> DemoSummary:
    """Write a demo practice of ``patients`` listed patients to ``out_dir`` (created if missing).

    The same arguments give byte-identical files; another seed gives other people. All events fall
    before ``as_of``. ``progress(done, total)`` is called every few hundred patients and at the end.
    Existing export files of the same names in ``out_dir`` are replaced only when the new ones are complete.
    """
    as_of = _check(patients, seed, as_of)
    practice = build_practice(seed, patients)
    context = ResourceContext(practice, as_of)
    try:
        writer = BulkExportWriter(out_dir)
    except OSError as exc:
        raise _output_error(out_dir, exc) from exc
    try:
        writer.add_all(("Practitioner", resource) for resource in practitioners(context))
        writer.add("Organization", organization(context))
        writer.add_all(("Medication", resource) for resource in medications(context))
        issued_cprs: set[str] = set()
        for index in range(patients):
            record = simulate_patient(seed, index, practice, as_of, issued_cprs)
            writer.add_all(patient_resources(record, context))
            done = index + 1
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == patients):
                progress(done, patients)
        counts = writer.counts()
        manifest = writer.commit(_manifest(context, patients, seed, as_of, counts))
    except BaseException as exc:
        with suppress(OSError):  # the original error is the one to report
            writer.abort()
        if isinstance(exc, OSError):
            raise _output_error(out_dir, exc) from exc
        raise
    return DemoSummary(
        out_dir=out_dir,
        manifest=manifest,
        files=MappingProxyType(writer.paths()),
        counts=MappingProxyType(counts),
        patients=patients,
        seed=seed,
        as_of=as_of,
    )


def _output_error(out_dir: Path, exc: OSError) -> DemoOutputError:
    return DemoOutputError(f"cannot write the demo export to {out_dir}: {exc.strerror or exc}")


def _check(patients: int, seed: int, as_of: date) -> date:
    if isinstance(patients, bool) or not isinstance(patients, int):
        raise DemoArgumentError("the number of patients must be a whole number")
    if not MIN_PATIENTS <= patients <= MAX_PATIENTS:
        raise DemoArgumentError(f"the number of patients must be between {MIN_PATIENTS} and {MAX_PATIENTS:,}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise DemoArgumentError("the seed must be a whole number")
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if not isinstance(as_of, date):
        raise DemoArgumentError("the as-of date must be a date")
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise DemoArgumentError(f"the as-of date must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}")
    return as_of


def _manifest(
    context: ResourceContext, patients: int, seed: int, as_of: date, counts: dict[str, int]
) -> dict[str, Any]:
    """A FHIR Bulk Data export manifest; urls are file names relative to the manifest."""
    return {
        "transactionTime": context.last_updated,
        "request": f"urn:patient-cockpit:demo?patients={patients}&seed={seed}&asOf={as_of.isoformat()}",
        "requiresAccessToken": False,
        "output": [{"type": rt, "url": file_name(rt), "count": counts[rt]} for rt in RESOURCE_TYPES],
        "error": [],
        "extension": {
            "https://patient-cockpit.dk/fhir/demo": {
                "generatorVersion": GENERATOR_VERSION,
                "patients": patients,
                "seed": seed,
                "asOf": as_of.isoformat(),
                "historyYears": model.HISTORY_YEARS,
                "note": "Fictitious test data (HTEST). No real person is described.",
            }
        },
    }
