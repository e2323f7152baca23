"""A worklist as a call list (CSV): only what a call needs, recorded in the data-out ledger first.

Columns: CPR, name, indicator, status, assignee, due. No evidence (clinical) and no phone number (the
store keeps none). The ledger entry is written before the file, which is written privately (0600) and
atomically (``cockpit.privacy.data_out.record_then_write``), so a half-written list never lies around.
"""

import csv
import io
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from cockpit.privacy.audit import AuditLog
from cockpit.privacy.data_out import record_then_write
from cockpit.privacy.identity import Actor
from cockpit.store import Store
from cockpit.worklists.model import ItemFilter
from cockpit.worklists.queries import items_for_data_out

CSV_COLUMNS: Final = ("cpr", "name", "indicator", "status", "assignee", "due")


def export_items_csv(
    store: Store,
    actor: Actor,
    list_id: int,
    path: Path,
    today: date,
    *,
    where: ItemFilter | None = None,
) -> int:
    """Write the list's items (``where``: default the open ones) to ``path``; returns how many."""
    items = items_for_data_out(store, actor, list_id, today, where or ItemFilter(open_only=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # what spreadsheet programs expect
    writer.writerow(CSV_COLUMNS)
    for item in items:
        due = item.due.isoformat() if item.due is not None else ""
        writer.writerow(
            [item.cpr or "", item.name or "", item.indicator_id, item.status, item.assignee or "", due]
        )
    data = buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8
    record = partial(AuditLog(store).record_data_out, actor)
    return record_then_write(record, "csv", f"worklist:{list_id}", len(items), path, data)
