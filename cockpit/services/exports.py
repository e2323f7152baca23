"""Identifiable data leaving the encrypted store on purpose: a call list as CSV.

The data-out ledger entry is written first (what, how many patients, where to); only then is the file
written, privately (0600) and atomically, so a half-written list never lies around.
"""

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from cockpit.indicators.engine import Hit
from cockpit.privacy.data_out import write_private

# record(kind, destination, patient_count, what) -> entry id: the audit log's data-out ledger.
RecordDataOut = Callable[[str, str, int, str], int]

CSV_COLUMNS = ("cpr", "name", "indicator", "evidence")


def export_hits_csv(record: RecordDataOut, indicator_id: str, hits: Sequence[Hit], path: Path) -> int:
    """Write ``hits`` (the fields a call list needs) to ``path``; returns the number of patients."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what spreadsheet programs expect
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        writer.writerow([hit.cpr or "", hit.name, indicator_id, " | ".join(hit.evidence)])
    record("csv", path.name, len(hits), f"risk list {indicator_id}")
    write_private(path, buffer.getvalue().encode("utf-8-sig"))  # the BOM tells Excel it is UTF-8
    return len(hits)
