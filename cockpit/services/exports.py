"""Identifiable data leaving the encrypted store on purpose: a risk list's call list as CSV, recorded in
the data-out ledger and then written (``cockpit.privacy.data_out.record_then_write``).
"""

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from cockpit.indicators.engine import Hit
from cockpit.privacy.data_out import RecordDataOut, record_then_write

CSV_COLUMNS = ("cpr", "name", "indicator", "evidence")


def export_hits_csv(record: RecordDataOut, indicator_id: str, hits: Sequence[Hit], path: Path) -> int:
    """Write ``hits`` (the fields a call list needs) to ``path``; returns the number of patients."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what spreadsheet programs expect
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        writer.writerow([hit.cpr or "", hit.name, indicator_id, " | ".join(hit.evidence)])
    data = buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
    return record_then_write(record, "csv", f"risk list {indicator_id}", len(hits), path, data)
