"""The risk lists: one indicator at a time, its patients, and why each is on the list.

Indicator titles and evidence are the packs' Danish texts (clinical content, like diagnoses); the
surrounding interface is translated. CPR numbers are masked in the list, as in the overview's header.
"""

from html import escape
from typing import Final

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cockpit.indicators.engine import Hit
from cockpit.indicators.quality import DataQuality, describe
from cockpit.models.cpr import mask_cpr
from cockpit.services.risk import RiskList, RiskSnapshot
from cockpit.views.charts.formatting import format_date
from cockpit.views.help.indicator import IndicatorDialog, indicator_html
from cockpit.views.i18n import QT_TRANSLATE_NOOP, active_language
from cockpit.views.overview.panel import RowFilter
from cockpit.views.risk.definition_header import DefinitionHeader
from cockpit.views.rows_model import Column, RowsTableModel, RowStyle

KINDS: Final = {
    "process": QT_TRANSLATE_NOOP("Risk", "Proces"),
    "outcome": QT_TRANSLATE_NOOP("Risk", "Resultat"),
    "safety": QT_TRANSLATE_NOOP("Risk", "Sikkerhed"),
    "utilisation": QT_TRANSLATE_NOOP("Risk", "Forbrug"),
}


def _kind(kind: str) -> str:
    text = KINDS.get(kind)
    return QCoreApplication.translate("Risk", text) if text is not None else kind


def _title(risk: RiskList) -> str:
    title = risk.indicator.title
    return title.en if active_language() == "en" else title.da


# What a list's figures count: patients, or prescriptions for a share of prescriptions (unit: prescriptions).
UNITS: Final = {
    "patients": QT_TRANSLATE_NOOP("Risk", "patienter"),
    "prescriptions": QT_TRANSLATE_NOOP("Risk", "recepter"),
}


def _unit(risk: RiskList) -> str:
    text = UNITS.get(risk.result.unit)
    return QCoreApplication.translate("Risk", text) if text is not None else risk.result.unit


def _share(risk: RiskList) -> str:
    share = risk.share
    return "–" if share is None else f"{share:.0%}"


def figures(risk: RiskList) -> str:
    """The list's figures as a sentence: "12 af 150 patienter", or for a share of prescriptions "3 af 6
    recepter; 3 patienter på listen" (the patients listed are those with a found prescription)."""
    result = risk.result
    if result.prescriptions is None:
        return QCoreApplication.translate("Risk", "{found} af {counted} patienter").format(
            found=result.found, counted=result.counted
        )
    return QCoreApplication.translate(
        "Risk", "{found} af {counted} recepter; {patients} patienter på listen"
    ).format(found=result.found, counted=result.counted, patients=len(result.hits))


LIST_COLUMNS: Final[list[Column[RiskList]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Indikator"), _title, tooltip=lambda r: r.indicator.id),
    Column(QT_TRANSLATE_NOOP("Column", "Type"), lambda r: _kind(r.indicator.kind)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Fundet"),
        lambda r: str(r.result.found),
        sort=lambda r: r.result.found,
        tooltip=figures,
        align_right=True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Column", "Population"),
        lambda r: str(r.result.counted),
        sort=lambda r: r.result.counted,
        tooltip=figures,
        align_right=True,
    ),
    Column(QT_TRANSLATE_NOOP("Column", "Andel"), _share, sort=lambda r: r.share or 0.0, align_right=True),
    Column(QT_TRANSLATE_NOOP("Column", "Enhed"), _unit),
]

HIT_COLUMNS: Final[list[Column[Hit]]] = [
    Column(QT_TRANSLATE_NOOP("Column", "Navn"), lambda h: h.name),
    Column(QT_TRANSLATE_NOOP("Column", "CPR-nr."), lambda h: mask_cpr(h.cpr)),
    Column(
        QT_TRANSLATE_NOOP("Column", "Grundlag"),
        lambda h: "; ".join(h.evidence),
        tooltip=lambda h: "\n".join(h.evidence),
    ),
]


# A light amber note, legible in the light and the dark palette alike (its own colours, not the palette's).
WARNING_STYLE: Final = "QLabel#dataQualityWarning { background: #fff4ce; color: #4a3b00; padding: 4px; }"


def _list_style(risk: RiskList) -> RowStyle | None:
    return RowStyle(bold=True) if risk.result.hits and risk.indicator.kind == "safety" else None


class RiskPanel(QWidget):
    """Signals: ``patient_requested(int)`` when the user opens a listed patient in the cockpit."""

    patient_requested = Signal(int)
    quality_requested = Signal(str, object)  # indicator id, as-of date
    export_requested = Signal()
    worklist_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: RiskSnapshot | None = None
        self._quality: DataQuality | None = None  # the chosen list's, once checked
        self.status = QLabel(self.tr("Risikolisterne beregnes …"))
        self.figures = QLabel()  # the chosen list's figures, in its unit (patients or prescriptions)
        self.lists: RowsTableModel[RiskList] = RowsTableModel(LIST_COLUMNS, _list_style)
        self.list_view = self._table(self.lists, stretch=0)
        self.hits: RowsTableModel[Hit] = RowsTableModel(HIT_COLUMNS)
        self.hit_filter = RowFilter()
        self.hit_filter.setSourceModel(self.hits)
        self.hit_view = self._table(self.hit_filter, stretch=2)
        self.hit_view.setSortingEnabled(True)
        self.filter = QLineEdit(placeholderText=self.tr("Filtrér på navn eller CPR-nr."))
        self.filter.setClearButtonEnabled(True)
        self.export_button = QPushButton(self.tr("Eksportér CSV …"))
        self.export_button.setToolTip(
            self.tr("Gem de viste patienter som opkaldsliste (Ctrl+E); eksporten logges")
        )
        self.export_button.clicked.connect(self.export_requested)
        export = QShortcut(QKeySequence("Ctrl+E"), self, self.export_requested.emit)
        export.setWhatsThis(QCoreApplication.translate("Shortcuts", "Eksportér den viste liste som CSV"))
        self.worklist_button = QPushButton(self.tr("Opret opfølgningsliste"))
        self.worklist_button.setToolTip(
            self.tr("Opret en opfølgningsliste med alle fund for indikatoren; listen følger indikatoren")
        )
        self.worklist_button.setVisible(False)  # for roles that work lists
        self.worklist_button.clicked.connect(self.worklist_requested)
        self.quality = QLabel()
        self.quality.setWordWrap(True)
        self.quality.setObjectName("dataQualityWarning")
        self.quality.setStyleSheet(
            "QLabel#dataQualityWarning { background: #fff4ce; color: #4a3b00; padding: 4px; }"
        )
        self.quality.setVisible(False)
        self.why = QTextBrowser()
        self.why.setOpenExternalLinks(False)
        self._layout()
        self.list_view.selectionModel().currentRowChanged.connect(self._list_chosen)
        self.hit_view.selectionModel().currentRowChanged.connect(self._hit_chosen)
        self.hit_view.activated.connect(self._hit_activated)
        self.definition_header = DefinitionHeader(self.list_view)  # "?" beside each indicator
        self.list_view.setVerticalHeader(self.definition_header)
        self.definition_header.setDefaultSectionSize(self.list_view.fontMetrics().height() + 6)
        self.definition_header.sectionClicked.connect(self.show_definition)
        self.filter.textChanged.connect(self._filter_changed)

    def _table(self, model: RowsTableModel[RiskList] | RowFilter, stretch: int) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    def _layout(self) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.figures)
        top.addWidget(self.filter, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.worklist_button)
        right_layout.addLayout(top)
        right_layout.addWidget(self.quality)
        right_layout.addWidget(self.hit_view, 3)
        right_layout.addWidget(self.why, 1)
        splitter = QSplitter()
        splitter.addWidget(self.list_view)
        splitter.addWidget(right)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    def show_snapshot(self, snapshot: RiskSnapshot) -> None:
        self.snapshot = snapshot
        self.lists.set_rows(snapshot.lists)
        hits = sum(len(r.result.hits) for r in snapshot.lists)
        self.status.setText(
            self.tr("{lists} indikatorer valgt af klyngen, {hits} fund, beregnet pr. {day}").format(
                lists=len(snapshot.lists), hits=hits, day=format_date(snapshot.as_of)
            )
        )
        if snapshot.lists:
            self.list_view.selectRow(0)

    def shown_hits(self) -> list[Hit]:
        """The hits of the chosen list as shown: filtered and in the table's order."""
        return [
            self.hits.row(self.hit_filter.mapToSource(self.hit_filter.index(row, 0)).row())
            for row in range(self.hit_filter.rowCount())
        ]

    def current_list(self) -> RiskList | None:
        index = self.list_view.selectionModel().currentIndex()
        return self.lists.row(index.row()) if index.isValid() else None

    def _list_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        risk = self.lists.row(current.row())
        self.hits.set_rows(risk.result.hits)
        self.figures.setText(figures(risk))
        self._show_why(risk, None)
        self.quality.setVisible(False)
        self.quality_requested.emit(risk.indicator.id, risk.result.as_of)

    def show_quality(self, quality: DataQuality) -> None:
        """The warnings that make the chosen list unreliable; a result for another list is dropped."""
        risk = self.current_list()
        if risk is None or risk.indicator.id != quality.indicator_id or risk.result.as_of != quality.as_of:
            return
        self._quality = quality
        lines = [describe(warning, active_language()) for warning in quality.warnings]
        self.quality.setText(
            "\n".join(
                [self.tr("Datakvalitet: listen kan være ufuldstændig."), *(f"• {line}" for line in lines)]
            )
        )
        self.quality.setToolTip(self.tr("Koder og enheder, som cockpittet ikke genkender, tælles ikke med."))
        self.quality.setVisible(bool(lines))

    def show_definition(self, row: int) -> IndicatorDialog:
        """The "?" of list ``row``: the indicator's definition, source and data-quality note."""
        risk = self.lists.row(row)
        dialog = IndicatorDialog(indicator_html(risk.indicator, self._quality, active_language()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _hit_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        risk = self.current_list()
        if risk is not None and current.isValid():
            self._show_why(risk, self.hits.row(self.hit_filter.mapToSource(current).row()))

    def _hit_activated(self, index: QModelIndex) -> None:
        hit = self.hits.row(self.hit_filter.mapToSource(index).row())
        self.patient_requested.emit(hit.patient_id)

    def _filter_changed(self, text: str) -> None:
        needle = text.strip().lower().replace("-", "")
        self.hit_filter.set_keep(
            (lambda hit: needle in hit.name.lower() or needle in (hit.cpr or "")) if needle else None
        )

    def _show_why(self, risk: RiskList, hit: Hit | None) -> None:
        indicator = risk.indicator
        parts = [f"<h3>{escape(_title(risk))}</h3>"]
        if indicator.description is not None:
            description = indicator.description.en if active_language() == "en" else indicator.description.da
            parts.append(f"<p>{escape(description)}</p>")
        if hit is not None:
            parts.append(f"<p><b>{escape(hit.name)}</b></p><ul>")
            parts += [f"<li>{escape(line)}</li>" for line in hit.evidence]
            parts.append("</ul>")
        sources = "".join(f"<li>{escape(source)}</li>" for source in indicator.source)
        parts.append(f"<p>{escape(self.tr('Kilde'))} ({escape(indicator.id)}):</p><ul>{sources}</ul>")
        self.why.setHtml("".join(parts))
