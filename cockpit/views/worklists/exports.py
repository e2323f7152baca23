"""The chosen list's call list out of the practice: as CSV (the service records the export, then writes
it) or as PDF (read on the worker, rendered on the GUI thread, then recorded in the data-out ledger and
written on the worker with ``record_then_write``: private from its first byte, whole or not at all).
Texts keep the translation context "WorklistPage" they were written in, except the call list's own
("Worklist").
"""

from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QObject, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from cockpit.models.cpr import format_cpr
from cockpit.privacy.data_out import record_then_write
from cockpit.views.messages import error_message
from cockpit.views.tasks import Run
from cockpit.views.worklists.vocabulary import assignee_text, day_text, status_name
from cockpit.views.worklists.widgets import MessageLine
from cockpit.worklists.model import ItemFilter, ItemSort, ItemView, ListSummary

# (kind, destination, patient count, what): the data-out ledger, called before anything is written.
DataOut = Callable[[str, str, int, str], Any]


class ExportQueries(Protocol):
    def export_csv(self, list_id: int, path: Path, where: ItemFilter | None = None) -> int: ...
    def items_for_print(
        self, list_id: int, where: ItemFilter | None = None, sort: ItemSort | None = None
    ) -> list[ItemView]: ...


class WorklistExports(QObject):
    """Signals ``exported(int)`` with the number of patients written. ``current_list`` and
    ``filter_and_order`` are the page's lists and items panes' (siblings, not the parent)."""

    exported = Signal(int)

    def __init__(
        self,
        run: Run,
        current_list: Callable[[], ListSummary | None],
        filter_and_order: Callable[[], tuple[ItemFilter, ItemSort]],
        message: MessageLine,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._run = run
        self._current_list = current_list
        self._filter_and_order = filter_and_order
        self._message = message
        self._queries: ExportQueries | None = None
        self._data_out: DataOut | None = None
        self.may_export = False

    def attach(self, queries: ExportQueries | None, data_out: DataOut | None, *, may_export: bool) -> None:
        self._queries = queries
        self._data_out = data_out
        self.may_export = may_export

    def choose_csv_file(self) -> None:
        summary = self._current_list()
        if summary is None or not self.may_export:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self._dialog_parent(),
            QCoreApplication.translate("WorklistPage", "Gem opkaldsliste"),
            str(Path.home() / f"opfoelgning-{summary.id}.csv"),
            QCoreApplication.translate("WorklistPage", "CSV-filer (*.csv)"),
        )
        if name:
            self.export_csv(Path(name))

    def choose_pdf_file(self) -> None:
        summary = self._current_list()
        if summary is None or not self.may_export:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self._dialog_parent(),
            QCoreApplication.translate("WorklistPage", "Gem opkaldsliste som PDF"),
            str(Path.home() / f"opfoelgning-{summary.id}.pdf"),
            QCoreApplication.translate("WorklistPage", "PDF-filer (*.pdf)"),
        )
        if name:
            self.export_pdf(Path(name))

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def export_csv(self, path: Path) -> None:
        """The chosen list's items, as filtered, as CSV (the service records the export first)."""
        queries, summary = self._queries, self._current_list()
        if queries is None or summary is None:
            return
        list_id, (where, _sort) = summary.id, self._filter_and_order()
        self._run(lambda: queries.export_csv(list_id, path, where), self._exported, self._failed)

    def export_pdf(self, path: Path) -> None:
        """The chosen list's items, as filtered and sorted (all of them, not only the rows fetched so far),
        as a printable call list: read, rendered, then recorded in the data-out ledger and written."""
        queries, data_out, summary = self._queries, self._data_out, self._current_list()
        if queries is None or data_out is None or summary is None or not self.may_export:
            return
        list_id, (where, sort) = summary.id, self._filter_and_order()
        self._run(
            lambda: queries.items_for_print(list_id, where, sort),
            lambda items: self._write_pdf(path, summary, items, data_out),
            self._failed,
        )

    def _write_pdf(self, path: Path, summary: ListSummary, items: list[ItemView], data_out: DataOut) -> None:
        """Render the PDF in memory (Qt's painting belongs to this thread), then record and write it on the
        worker like every data-out file: private from its first byte, whole or not at all."""
        document = QTextDocument()
        document.setHtml(call_list_html(summary, items))
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setTitle(summary.name)
        document.print_(writer)
        del writer  # finishes the document
        data = bytes(buffer.data().data())
        what = f"worklist:{summary.id}"
        self._run(
            lambda: record_then_write(data_out, "pdf", what, len(items), path, data),
            self._exported,
            self._failed,
        )

    def _exported(self, count: int) -> None:
        self._message.hide()
        self.exported.emit(count)

    def _failed(self, error: BaseException) -> None:
        self._message.show_error(error_message(error))


def call_list_html(summary: ListSummary, items: Sequence[ItemView]) -> str:
    """Only what a call list needs: name, CPR number, indicator, status, due date, assignee, and room
    for a note."""
    headers = [
        QCoreApplication.translate("Worklist", "Navn"),
        QCoreApplication.translate("Worklist", "CPR-nr."),
        QCoreApplication.translate("Worklist", "Indikator"),
        QCoreApplication.translate("Worklist", "Status"),
        QCoreApplication.translate("Worklist", "Forfald"),
        QCoreApplication.translate("Worklist", "Tildelt"),
        QCoreApplication.translate("Worklist", "Notat"),
    ]
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    rows = []
    for item in items:
        cells = [
            item.name or "",
            format_cpr(item.cpr),
            item.indicator_id,
            status_name(item.status),
            day_text(item.due),
            assignee_text(item.assignee),
            "",
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>")
    title = escape(summary.name)
    count = QCoreApplication.translate("Worklist", "{count} patienter").format(count=len(items))
    return (
        f"<h2>{title}</h2><p>{escape(count)} · {escape(day_text(date.today()))}</p>"
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr>{head}</tr>{''.join(rows)}</table>"
    )
