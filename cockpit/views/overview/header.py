"""The overview's header: who this is, at a glance. The CPR number is masked until asked for."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from cockpit.services.overview.sections import Header
from cockpit.views.charts.formatting import format_date
from cockpit.views.patient_table import sex_label


class HeaderWidget(QWidget):
    """Signals: ``cpr_revealed()`` when the user shows the full CPR number (an access worth auditing)."""

    cpr_revealed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._header: Header | None = None
        self._revealed = False
        self.name = QLabel()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name.setFont(font)
        self.details = QLabel()
        self.details.setTextFormat(self.details.textFormat().PlainText)
        self.reveal = QToolButton()
        self.reveal.setText(self.tr("Vis CPR"))
        self.reveal.setToolTip(self.tr("Vis hele CPR-nummeret (Ctrl+Shift+C)"))
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self.set_revealed)
        self.reveal.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.name)
        top.addStretch(1)
        top.addWidget(self.reveal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.details)

    @property
    def header(self) -> Header | None:
        return self._header

    def show_loading(self, name: str) -> None:
        self._header = None
        self.name.setText(name)
        self.details.setText(self.tr("Henter patientens data …"))
        self.reveal.hide()

    def show_header(self, header: Header) -> None:
        self._header = header
        self._revealed = False
        self.reveal.blockSignals(True)
        self.reveal.setChecked(False)
        self.reveal.blockSignals(False)
        self.reveal.setVisible(header.cpr is not None)
        self._render()

    def set_revealed(self, revealed: bool) -> None:
        if revealed and not self._revealed:
            self.cpr_revealed.emit()
        self._revealed = revealed
        if self.reveal.isChecked() != revealed:
            self.reveal.setChecked(revealed)
        self.reveal.setText(self.tr("Skjul CPR") if revealed else self.tr("Vis CPR"))
        self._render()

    def _render(self) -> None:
        h = self._header
        if h is None:
            return
        self.name.setText(h.name + ("  †" if h.deceased else ""))
        cpr = h.cpr_formatted if self._revealed else h.cpr_masked
        parts = [
            self.tr("{age} år").format(age=h.age) if h.age is not None else self.tr("alder ukendt"),
            sex_label(h.sex, h.sex_label),
            self.tr("CPR {cpr}").format(cpr=cpr) if cpr else self.tr("intet CPR-nr."),
            self.tr("født {date}").format(date=format_date(h.birth_date)) if h.birth_date else "",
            self.tr("egen læge: {name}").format(name=h.gp_name) if h.gp_name else "",
            self._municipality(h.municipality),
            self.tr("død {date}").format(date=format_date(h.deceased_date)) if h.deceased_date else "",
        ]
        self.details.setText("  ·  ".join(p for p in parts if p))

    def _municipality(self, name: str | None) -> str:
        if not name:
            return ""
        return name if "kommune" in name.lower() else self.tr("{name} Kommune").format(name=name)
