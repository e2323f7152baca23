"""The left of the staff view: the practice's follow-up lists with their figures, and the chosen list's
implementation plan. Texts keep the translation context "WorklistPage" they were written in."""

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.views.i18n import QT_TRANSLATE_NOOP
from cockpit.views.messages import error_message
from cockpit.views.rows_model import Column, RowsTableModel
from cockpit.views.tasks import Latest, Run
from cockpit.views.worklists.dialogs import PlanDialog
from cockpit.views.worklists.vocabulary import day_text
from cockpit.views.worklists.widgets import MessageLine, table_view
from cockpit.worklists.model import Assignee, ListSummary, Plan


class ListQueries(Protocol):
    def lists(self) -> list[ListSummary]: ...
    def assignees(self) -> list[Assignee]: ...
    def set_plan(self, list_id: int, plan: Plan) -> None: ...


def _median(summary: ListSummary) -> str:
    days = summary.figures.median_days_to_close
    return "–" if days is None else f"{days:.1f}"


def _count(get: Callable[[ListSummary], int], header: str) -> Column[ListSummary]:
    return Column(header, lambda s: str(get(s)), sort=get, align_right=True)


LIST_COLUMNS: Final[list[Column[ListSummary]]] = [
    Column(
        QT_TRANSLATE_NOOP("Column", "Liste"), lambda s: s.name, tooltip=lambda s: ", ".join(s.indicator_ids)
    ),
    _count(lambda s: s.figures.open, QT_TRANSLATE_NOOP("Column", "Åbne")),
    _count(lambda s: s.figures.overdue, QT_TRANSLATE_NOOP("Column", "Forfaldne")),
    _count(lambda s: s.figures.done, QT_TRANSLATE_NOOP("Column", "Udført")),
    _count(lambda s: s.figures.auto_resolved, QT_TRANSLATE_NOOP("Column", "Løst af data")),
    Column(
        QT_TRANSLATE_NOOP("Column", "Median dage"),
        _median,
        sort=lambda s: s.figures.median_days_to_close or 0.0,
        align_right=True,
    ),
]


class ListsPane(QWidget):
    """Signals: ``list_chosen(ListSummary, bool)`` (the bool: read its items again even if it is the list
    shown); ``emptied()`` when there is no list to choose; ``lists_shown(int)``; ``assignees_read(list)``
    with the users and roles items can be given to; ``plan_saved(int)`` with the list's id."""

    list_chosen = Signal(object, bool)
    emptied = Signal()
    lists_shown = Signal(int)
    assignees_read = Signal(object)
    plan_saved = Signal(int)

    def __init__(self, run: Run, message: MessageLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run = run
        self._message = message  # a sibling on the page, not the parent
        self._queries: ListQueries | None = None
        self._reads = Latest(run)
        self._select_list: int | None = None
        self._chosen = 0  # how often a list was chosen (shown), to show it once per reload
        self._reload_items = True
        self.lists: RowsTableModel[ListSummary] = RowsTableModel(LIST_COLUMNS)
        self.list_view = table_view(self.lists, stretch=0)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan_button = QPushButton(QCoreApplication.translate("WorklistPage", "&Rediger plan …"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        lists_label = QLabel(QCoreApplication.translate("WorklistPage", "&Lister"))
        lists_label.setBuddy(self.list_view)
        layout.addWidget(lists_label)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.plan)
        plan_buttons = QHBoxLayout()
        plan_buttons.addWidget(self.plan_button)
        plan_buttons.addStretch(1)
        layout.addLayout(plan_buttons)
        self.list_view.selectionModel().currentRowChanged.connect(self._list_chosen)

    def attach(self, queries: ListQueries | None) -> None:
        self._queries = queries
        if queries is None:
            self._reads.drop()
            self.lists.set_rows([])
            self.plan.clear()

    def reload(self, select: int | None = None, *, items: bool = True) -> None:
        """Read the lists and their figures again; ``select`` a list by id (else keep the chosen one).
        ``items``: read the chosen list's items again too (as many as are shown)."""
        queries = self._queries
        if queries is None:
            return
        current = self.current_list()
        self._select_list = select if select is not None else (current.id if current else None)
        self._reload_items = items
        self._reads.run(queries.lists, self._show_lists, self._failed)
        self._reads.follow(queries.assignees, self.assignees_read.emit, self._failed)

    def reload_figures(self) -> None:
        """After a change of items: the figures again, not the items (the change re-reads its own)."""
        self.reload(items=False)

    def _show_lists(self, lists: list[ListSummary]) -> None:
        wanted = self._select_list
        self.lists.set_rows(lists)
        row = next((n for n, s in enumerate(lists) if s.id == wanted), 0 if lists else None)
        if row is not None:
            chosen = self._chosen
            self.list_view.selectRow(row)
            if self._chosen == chosen:  # the current row did not change, so no signal came
                self._list_chosen(self.lists.index(row, 0), QModelIndex())
        else:
            self.emptied.emit()
            self.plan.clear()
        self.lists_shown.emit(len(lists))

    def current_list(self) -> ListSummary | None:
        index = self.list_view.selectionModel().currentIndex()
        return self.lists.row(index.row()) if index.isValid() else None

    def _list_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        self._chosen += 1
        summary = self.lists.row(current.row())
        self._show_plan(summary)
        self.list_chosen.emit(summary, self._reload_items)

    def _show_plan(self, summary: ListSummary) -> None:
        plan = summary.plan
        follows = (
            QCoreApplication.translate("WorklistPage", "følger indikatoren")
            if summary.follows
            else QCoreApplication.translate("WorklistPage", "fast udvalg")
        )
        head = QCoreApplication.translate(
            "WorklistPage", "<b>{name}</b> ({indicators}; {follows}), oprettet af {user}"
        ).format(
            name=escape(summary.name),
            indicators=escape(", ".join(summary.indicator_ids)),
            follows=follows,
            user=escape(summary.created_by),
        )
        if plan is None:
            none = QCoreApplication.translate("WorklistPage", "Ingen implementeringsplan endnu.")
            self.plan.setText(f"{head}<br>{none}")
            return
        lines = [
            (QCoreApplication.translate("WorklistPage", "Hvad"), plan.what),
            (QCoreApplication.translate("WorklistPage", "Hvordan"), plan.how),
            (QCoreApplication.translate("WorklistPage", "Hvem"), plan.who),
            (QCoreApplication.translate("WorklistPage", "Senest"), day_text(plan.by)),
            (QCoreApplication.translate("WorklistPage", "Mål"), plan.target or ""),
            (QCoreApplication.translate("WorklistPage", "Opfølgning"), day_text(plan.review)),
        ]
        body = "<br>".join(f"{escape(label)}: {escape(value)}" for label, value in lines if value)
        title = QCoreApplication.translate("WorklistPage", "Implementeringsplan")
        self.plan.setText(f"{head}<br><b>{escape(title)}</b><br>{body}")

    def edit_plan(self) -> None:
        """Write the chosen list's implementation plan (what, how, who, by when, target, review)."""
        queries, summary = self._queries, self.current_list()
        if queries is None or summary is None:
            return
        dialog = PlanDialog(summary.plan, date.today(), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        plan = dialog.value()
        dialog.deleteLater()
        if not accepted:
            return
        list_id = summary.id

        def saved(_none: None) -> None:
            self._message.hide()
            self.reload(select=list_id)
            self.plan_saved.emit(list_id)

        self._run(lambda: queries.set_plan(list_id, plan), saved, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._message.show_error(error_message(error))
