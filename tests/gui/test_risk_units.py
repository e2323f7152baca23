"""A risk list says what its figures count: patients, or prescriptions for a share of prescriptions
(AB-UTI-NOT-FIRST-LINE), in the list of indicators and above the chosen list's patients."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cockpit.indicators.engine import Hit, IndicatorResult
from cockpit.indicators.prescriptions import PrescriptionCounts
from cockpit.indicators.registry import PackRegistry
from cockpit.services.risk import RiskList, RiskSnapshot
from cockpit.views.risk.panel import RiskPanel

pytestmark = pytest.mark.gui
AS_OF = date(2025, 6, 30)


def snapshot() -> RiskSnapshot:
    registry = PackRegistry.load(None)
    uti = registry.indicator("AB-UTI-NOT-FIRST-LINE")
    hba1c = registry.indicator("DM-HBA1C-12M")
    listed = [
        Hit(
            1,
            "0101501234",
            "Anna Andersen",
            ["Ikke førstevalg: Ciprofloxacin (J01MA02) ordineret 10-04-2025"],
        )
    ]
    # 40 prescriptions for a cystitis among 31 patients; 12 of them not first-line, by 9 patients (one shown).
    uti_result = IndicatorResult(uti.id, AS_OF, 31, listed * 9, prescriptions=PrescriptionCounts(40, 12))
    hba1c_result = IndicatorResult(hba1c.id, AS_OF, 150, listed * 15)
    return RiskSnapshot.of(AS_OF, [RiskList(uti, uti_result), RiskList(hba1c, hba1c_result)])


def row_texts(panel: RiskPanel, row: int) -> list[str]:
    model = panel.lists
    return [
        model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
        for column in range(model.columnCount())
    ]


def test_the_figures_are_in_the_lists_unit(qtbot: QtBot) -> None:
    panel = RiskPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(snapshot())
    ModelTester(qtbot).check(panel.lists)
    headers = [
        panel.lists.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(panel.lists.columnCount())
    ]
    assert headers[2:] == ["Fundet", "Population", "Andel", "Enhed"]
    assert row_texts(panel, 0)[2:] == ["12", "40", "30%", "recepter"]
    assert row_texts(panel, 1)[2:] == ["15", "150", "10%", "patienter"]
    # The first list is chosen when the snapshot is shown.
    assert panel.figures.text() == "12 af 40 recepter; 9 patienter på listen"
    panel.list_view.selectRow(1)
    assert panel.figures.text() == "15 af 150 patienter"
    assert len(panel.hits.rows) == 15
