"""The overview panel: one screen per patient, sections in fixed places so the eye knows where to look.

The panel only shows what it is given. It asks for nothing itself: the window loads a ``PatientOverview``
(and a lab's series) on the store worker and hands it over whole, so the header and the sections always
belong to the same patient.
"""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.services.overview.sections import LabRow, LabSeries, PatientOverview
from cockpit.views.charts import ContactsTimeline, TimelineItem, TrendChart, TrendSeries
from cockpit.views.overview import sections as s
from cockpit.views.overview.header import HeaderWidget
from cockpit.views.rows_model import SORT_ROLE, Column, RowsTableModel, RowStyle

R = TypeVar("R")


class RowFilter(QSortFilterProxyModel):
    """Shows the rows ``keep`` accepts (e.g. only active diagnoses until the user asks for all)."""

    def __init__(self, keep: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self._keep = keep
        self.setSortRole(SORT_ROLE)

    def set_keep(self, keep: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._keep = keep
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if self._keep is None or not isinstance(model, RowsTableModel):
            return True
        return self._keep(model.row(source_row))


class Section(QGroupBox, Generic[R]):
    """A titled table of rows; the title shows how many rows are shown, and an optional note."""

    def __init__(
        self,
        title: str,
        columns: Sequence[Column[R]],
        style: Callable[[R], RowStyle | None] | None = None,
        stretch: tuple[int, ...] = (1,),
        widths: tuple[tuple[int, int], ...] = (),
    ) -> None:
        super().__init__(title)
        self._title = title
        self._note = ""
        self.model: RowsTableModel[R] = RowsTableModel(columns, style)
        self.proxy = RowFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:  # the text columns share what the short ones leave
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column, width in widths:  # long but secondary text (units): a fixed width, elided
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 4, 4, 4)
        self.layout_.addWidget(self.table)

    def set_rows(self, rows: Sequence[R], note: str = "") -> None:
        self.model.set_rows(rows)
        self._note = note
        self.update_title()

    def update_title(self) -> None:
        shown = self.proxy.rowCount()
        note = f" · {self._note}" if self._note else ""
        self.setTitle(f"{self._title} ({shown}){note}")

    def selected_row(self) -> R | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row(self.proxy.mapToSource(indexes[0]).row())


class OverviewPanel(QWidget):
    """Signals: ``lab_requested(str)`` with a ``LabRow.key`` when the user wants a lab's trend."""

    lab_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overview: PatientOverview | None = None
        self.header = HeaderWidget()
        self.attention = Section(
            self.tr("Opmærksomhed"), s.ATTENTION_COLUMNS, s.attention_style, stretch=(1, 2)
        )
        self.followups = QLabel()  # the patient's open follow-up items (worklists)
        self.followups.setWordWrap(True)
        self.followups.hide()
        self.attention.layout_.addWidget(self.followups)
        self.diagnoses = Section(self.tr("Diagnoser"), s.DIAGNOSIS_COLUMNS, s.diagnosis_style)
        self.show_resolved = QCheckBox(self.tr("Vis afsluttede"))
        self.diagnoses.layout_.addWidget(self.show_resolved)
        self.diagnoses.proxy.set_keep(lambda row: row.active)
        self.medications = Section(
            self.tr("Medicin"), s.MEDICATION_COLUMNS, s.medication_style, stretch=(0, 2)
        )
        self.labs = Section(
            self.tr("Laboratorie"), s.LAB_COLUMNS, s.lab_style, stretch=(0,), widths=((2, 70),)
        )
        self.home_care = Section(self.tr("Hjemmepleje"), s.HOME_CARE_COLUMNS, stretch=(0, 3))
        self.timeline = ContactsTimeline()
        self.trend = TrendChart()
        self.raw = QTextBrowser()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, self.tr("&Kontakter"))
        self.tabs.addTab(self.trend, self.tr("&Udvikling"))
        self.tabs.addTab(self.home_care, self.tr("&Hjemmepleje"))
        self.tabs.addTab(self.raw, self.tr("&Rådata"))
        self._layout()
        self.show_resolved.toggled.connect(self._toggle_resolved)
        self.labs.table.activated.connect(self._lab_activated)
        self.labs.table.selectionModel().currentRowChanged.connect(self._lab_current_changed)

    def _layout(self) -> None:
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.attention)
        top.addWidget(self.diagnoses)
        top.setSizes([520, 480])
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.medications)
        middle.addWidget(self.labs)
        middle.setSizes([470, 560])
        rows = QSplitter(Qt.Orientation.Vertical)
        rows.addWidget(top)
        rows.addWidget(middle)
        rows.addWidget(self.tabs)
        rows.setSizes([115, 190, 345])
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.header)
        content_layout.addWidget(rows, 1)
        self.hint = QLabel(
            self.tr(
                "Vælg en patient på listen, eller søg med Ctrl+F på navn, CPR-nr. eller fødselsdato.\n"
                "Alt+1 … Alt+6 springer mellem opmærksomhed, diagnoser, medicin, laboratorie, kontakter og "
                "hjemmepleje."
            )
        )
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # -- filling ---------------------------------------------------------------------------------------

    def show_loading(self, name: str) -> None:
        self.pages.setCurrentIndex(1)
        self.header.show_loading(name)

    def show_followups(self, lines: Sequence[str]) -> None:
        """The patient's open follow-up items, one line each (none: hidden)."""
        self.followups.setText(self.tr("Opfølgning: {items}").format(items="; ".join(lines)))
        self.followups.setVisible(bool(lines))

    def show_overview(self, overview: PatientOverview) -> None:
        self.overview = overview
        self.followups.hide()
        self.header.show_header(overview.header)
        self.attention.set_rows(overview.attention)
        self.diagnoses.set_rows(overview.diagnoses)
        self.medications.set_rows(overview.medications, self._substances(overview.active_substances))
        self.labs.set_rows(overview.labs)
        self.home_care.set_rows(overview.home_care)
        self.timeline.set_events([_timeline_item(e) for e in overview.timeline], overview.as_of)
        self.trend.clear()
        home_care = len(overview.home_care)
        title = self.tr("&Hjemmepleje")
        self.tabs.setTabText(2, f"{title} ({home_care})" if home_care else title)

    def _substances(self, count: int) -> str:
        if count == 1:
            return self.tr("1 aktivt stof")
        return self.tr("{count} aktive stoffer").format(count=count)

    def show_trend(self, series: LabSeries) -> None:
        target = series.target
        decimals = s.lab_decimals_for_key(series.key, series.points)
        self.trend.set_series(
            TrendSeries(
                title=series.name,
                unit=series.unit or "",
                points=series.points,
                ref_low=series.ref_low,
                ref_high=series.ref_high,
                target=target.limit if target else None,
                target_label=self.tr("Mål {target}").format(target=s.target_text(target, decimals))
                if target
                else None,
                decimals=decimals,
            )
        )
        self.tabs.setCurrentWidget(self.trend)

    def show_raw(self, html: str) -> None:
        self.raw.setHtml(html)

    # -- interaction -----------------------------------------------------------------------------------

    def _toggle_resolved(self, show: bool) -> None:
        self.diagnoses.proxy.set_keep(None if show else (lambda row: row.active))
        self.diagnoses.update_title()

    def _lab_activated(self, index: QModelIndex) -> None:
        row = self.labs.model.row(self.labs.proxy.mapToSource(index).row())
        self.lab_requested.emit(row.key)

    def _lab_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.tabs.currentWidget() is self.trend:
            row: LabRow = self.labs.model.row(self.labs.proxy.mapToSource(current).row())
            self.lab_requested.emit(row.key)


def _timeline_item(event: Any) -> TimelineItem:
    label = f"{event.label} – {event.provider}" if event.provider else event.label
    return TimelineItem(event.kind, event.start, event.end, label, event.length_of_stay_days)
