"""Small dialogs of the staff view: an item's status (with a reason code for the closing statuses), its
assignee (a practice user or a role), its due date, and a list's implementation plan."""

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from cockpit.privacy.identity import Role
from cockpit.views.roles import role_name
from cockpit.views.worklists.vocabulary import REASON_NAMES, REASONS, STATUS_NAMES, name_of
from cockpit.worklists.model import ROLE_PREFIX, Assignee, ItemChange, Plan


class StatusDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sæt status"))
        self.status = QComboBox()
        for status in STATUS_NAMES:
            if status != "resolved":  # set only by the data
                self.status.addItem(name_of(STATUS_NAMES, status), status)
        self.reason = QComboBox()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Status"), self.status)
        form.addRow(self.tr("&Begrundelse"), self.reason)
        form.addRow(buttons)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()

    def _status_changed(self) -> None:
        self.reason.clear()
        for code in REASONS.get(self.status.currentData(), ()):
            self.reason.addItem(name_of(REASON_NAMES, code), code)
        self.reason.setEnabled(self.reason.count() > 0)

    def choose(self, status: str, reason: str | None = None) -> None:
        self.status.setCurrentIndex(self.status.findData(status))
        if reason is not None:
            self.reason.setCurrentIndex(self.reason.findData(reason))

    def values(self) -> tuple[str, str | None]:
        reason = self.reason.currentData() if self.reason.count() else None
        return str(self.status.currentData()), reason


class AssigneeDialog(QDialog):
    """Choose whom the selected items are assigned to: a practice user, a role, or no one. A list, not
    free text: typing the first letters finds the entry, Enter takes it."""

    def __init__(
        self, assignees: Sequence[Assignee], current: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tildel"))
        self.who = QComboBox()
        self.who.addItem(self.tr("Ingen (fjern tildelingen)"), "")
        for assignee in assignees:
            self.who.addItem(assignee_label(assignee), assignee.name)
        found = self.who.findData(current) if current else 0
        if found < 0 and current:
            # Assigned to someone no longer offered (a disabled user, a name from before the practice had
            # users): still there to keep, so Enter does not unassign by accident.
            role = current.removeprefix(ROLE_PREFIX) if current.startswith(ROLE_PREFIX) else ""
            self.who.addItem(assignee_label(Assignee(current, "", role)) if role else current, current)
            found = self.who.count() - 1
        self.who.setCurrentIndex(found)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Tildel til"), self.who)
        form.addRow(buttons)
        self.who.setFocus()

    def choose(self, name: str) -> None:
        self.who.setCurrentIndex(self.who.findData(name))

    def value(self) -> str:
        """The assignee as the service takes it: a user name, "role:<role>", or "" for no one."""
        return str(self.who.currentData() or "")


class DueDialog(QDialog):
    """A due date (two weeks from today to start with), or none. Its texts keep the translation context
    of the page they were written in ("WorklistPage")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("WorklistPage", "Forfaldsdato"))
        self.edit = QDateEdit(QDate.currentDate().addDays(14))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd-MM-yyyy")
        self.clear = QCheckBox(QCoreApplication.translate("WorklistPage", "Ingen forfaldsdato"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("WorklistPage", "&Forfald"), self.edit)
        form.addRow(self.clear)
        form.addRow(buttons)

    def change(self) -> ItemChange:
        if self.clear.isChecked():
            return ItemChange(clear_due=True)
        return ItemChange(due=_day(self.edit.date()))


def assignee_label(assignee: Assignee) -> str:
    if assignee.is_role:
        return QCoreApplication.translate("Worklist", "Rolle: {role}").format(role=_role_text(assignee.role))
    role = _role_text(assignee.role) if assignee.role else ""
    details = ", ".join(part for part in (assignee.name, role) if part)
    return f"{assignee.full_name} ({details})" if assignee.full_name else details


def _role_text(role: str) -> str:
    try:
        return role_name(Role(role))
    except ValueError:
        return role


class PlanDialog(QDialog):
    """The list's implementation plan: what the practice will change, how, who does it, by when, the target
    figure and the review date. Tab moves between the fields; OK is enabled once what, how and who are
    given."""

    def __init__(self, plan: Plan | None, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Implementeringsplan"))
        self.what = _text_box(plan.what if plan else "")
        self.how = _text_box(plan.how if plan else "")
        self.who = QLineEdit(plan.who if plan else "")
        self.by = _date_edit(plan.by if plan else today + timedelta(days=90))
        self.target = QLineEdit((plan.target or "") if plan else "")
        self.target.setPlaceholderText(self.tr("f.eks. 80 % med HbA1c inden for 12 måneder"))
        self.has_review = QCheckBox(self.tr("Evalueres &den"))
        review = plan.review if plan and plan.review else None
        self.has_review.setChecked(review is not None)
        self.review = _date_edit(review or (plan.by if plan else today + timedelta(days=90)))
        self.review.setEnabled(review is not None)
        self.has_review.toggled.connect(self.review.setEnabled)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Hvad ændrer vi"), self.what)
        form.addRow(self.tr("Hvo&rdan"), self.how)
        form.addRow(self.tr("H&vem"), self.who)
        form.addRow(self.tr("&Senest"), self.by)
        form.addRow(self.tr("&Mål"), self.target)
        form.addRow(self.has_review, self.review)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for edit in (self.what, self.how):
            edit.textChanged.connect(self._check)
        self.who.textChanged.connect(self._check)
        self.by.dateChanged.connect(self._check)
        self.review.dateChanged.connect(self._check)
        self.has_review.toggled.connect(self._check)
        self._check()
        self.what.setFocus()

    def _check(self) -> None:
        missing = [
            label
            for label, text in (
                (self.tr("hvad"), self.what.toPlainText()),
                (self.tr("hvordan"), self.how.toPlainText()),
                (self.tr("hvem"), self.who.text()),
            )
            if not text.strip()
        ]
        problem = ""
        if missing:
            problem = self.tr("Udfyld: {fields}.").format(fields=", ".join(missing))
        elif self.has_review.isChecked() and self.review.date() < self.by.date():
            problem = self.tr("Evalueringsdatoen ligger før fristen.")
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def value(self) -> Plan:
        return Plan(
            what=self.what.toPlainText().strip(),
            how=self.how.toPlainText().strip(),
            who=self.who.text().strip(),
            by=_day(self.by.date()),
            target=self.target.text().strip() or None,
            review=_day(self.review.date()) if self.has_review.isChecked() else None,
        )


def _text_box(text: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setTabChangesFocus(True)  # keyboard-first: Tab goes on to the next field
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 12)
    return box


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    return edit


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
