"""The risk lists in the window, on a generated demo practice: the same engine feeds the lists and the
attention panel, and a listed patient opens in the cockpit."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cockpit.demo.generator import generate_practice
from cockpit.fhir.importer import import_path
from cockpit.indicators.service import IndicatorService
from cockpit.services.practice import Practice
from cockpit.store import Store
from cockpit.views.main_window import MainWindow

pytestmark = pytest.mark.gui
AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_practice(out, patients=400, seed=21, as_of=AS_OF)
    return out


@pytest.fixture
def window(qtbot: QtBot, store: Store, demo_files: Path) -> Iterator[MainWindow]:
    import_path(store, demo_files)
    win = MainWindow(lambda _report: Practice(store, today=lambda: AS_OF))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.risk_lists_shown, timeout=30_000):
        win.show()
        win.start()
    yield win


def _choose(window: MainWindow, indicator_id: str) -> int:
    risk = window.risk
    row = next(i for i, r in enumerate(risk.lists.rows) if r.indicator.id == indicator_id)
    risk.list_view.selectRow(row)
    return row


def test_each_active_indicator_is_listed_with_the_engines_hits(window: MainWindow, store: Store) -> None:
    service = IndicatorService(store)
    active = [i.id for i in service.active_indicators()]
    assert [r.indicator.id for r in window.risk.lists.rows] == active
    _choose(window, "DM-HBA1C-12M")
    expected = service.evaluate("DM-HBA1C-12M", AS_OF)
    assert [h.patient_id for h in window.risk.hits.rows] == [h.patient_id for h in expected.hits]
    assert expected.hits, "the demo practice has diabetics without an HbA1c"
    assert "HbA1c" in window.risk.why.toPlainText()


def test_filtering_a_list_by_name(window: MainWindow) -> None:
    _choose(window, "POLY-65-5")
    everyone = window.risk.hits.rows
    name = everyone[0].name.split()[-1]
    window.risk.filter.setText(name.lower())
    shown = window.risk.hit_filter.rowCount()
    assert 0 < shown <= len(everyone)
    assert all(
        name.lower()
        in window.risk.hits.row(
            window.risk.hit_filter.mapToSource(window.risk.hit_filter.index(r, 0)).row()
        ).name.lower()
        for r in range(shown)
    )


def test_a_listed_patient_opens_in_the_cockpit_with_the_finding_in_attention(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.risk
    _choose(window, "DM-HBA1C-12M")
    hit = window.risk.hits.rows[0]
    index = window.risk.hit_filter.index(0, 0)
    window.risk.hit_view.setCurrentIndex(index)
    with qtbot.waitSignal(window.overview_shown, timeout=10_000) as shown:
        qtbot.keyClick(window.risk.hit_view, Qt.Key.Key_Return)
    assert shown.args == [hit.patient_id]
    assert window.pages.currentIndex() == 0
    attention = window.panel.attention.model.rows
    assert "DM-HBA1C-12M" in {item.rule_id for item in attention}
    assert "DM-01" not in {item.rule_id for item in attention}  # the built-in rule gives way to the pack's


def test_the_risk_models_pass_the_qt_model_tester(qtmodeltester: ModelTester, window: MainWindow) -> None:
    qtmodeltester.check(window.risk.lists)
    _choose(window, "DM-HBA1C-12M")
    qtmodeltester.check(window.risk.hits)


def test_a_finding_is_not_shown_twice_in_the_attention_panel(
    store: Store, tmp_path_factory: pytest.TempPathFactory
) -> None:
    larger = tmp_path_factory.mktemp("larger")
    generate_practice(larger, patients=2000, seed=22, as_of=AS_OF)  # enough diabetics with HbA1c >= 75
    import_path(store, larger)
    practice = Practice(store, today=lambda: AS_OF)
    snapshot = practice.risk_lists()
    high = next(r for r in snapshot.lists if r.indicator.id == "DM-HBA1C-HIGH")
    assert high.result.hits, "the demo practice has diabetics with HbA1c >= 75"
    attention = practice.patient_overview(high.result.hits[0].patient_id).attention
    ids = [item.rule_id for item in attention]
    assert "DM-HBA1C-HIGH" in ids
    assert "DM-03" not in ids and "DM-02" not in ids  # the built-in HbA1c rule gives way to the hit


def test_exporting_a_risk_list_writes_the_shown_hits_and_records_it_in_the_data_out_ledger(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    import csv  # noqa: PLC0415

    from cockpit.privacy.audit import AuditService  # noqa: PLC0415
    from cockpit.privacy.identity import os_actor  # noqa: PLC0415

    _choose(window, "DM-HBA1C-12M")
    shown = window.risk.shown_hits()
    assert shown
    target = tmp_path / "call-list.csv"
    with qtbot.waitSignal(window.exported, timeout=10_000) as exported:
        window.export_risk_list(target)
    assert exported.args == [len(shown)]
    assert target.stat().st_mode & 0o777 == 0o600
    with target.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["cpr", "name", "indicator", "evidence"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(h.cpr or "", h.name) for h in shown]
    assert {r[2] for r in rows[1:]} == {"DM-HBA1C-12M"}
    ledger = AuditService(store, os_actor).data_out()
    assert [(e.action, e.destination, e.patient_count) for e in ledger] == [
        ("export.csv", "call-list.csv", len(shown))
    ]
    assert "call-list.csv" in window.statusBar().currentMessage()


def test_the_attention_panel_shows_one_item_per_concern(store: Store, demo_files: Path) -> None:
    """Issue 16 item 5 on the demo practice: a patient in POLY-75-10 is not also told POLY-65-5 (or the
    built-in POLY-01); no concern twice; items by severity."""
    import_path(store, demo_files)
    practice = Practice(store, today=lambda: AS_OF)
    snapshot = practice.risk_lists()
    hits = {r.indicator.id: {h.patient_id for h in r.result.hits} for r in snapshot.lists}
    both = sorted(hits.get("POLY-75-10", set()) & hits.get("POLY-65-5", set()))
    assert both, "the demo practice has patients of 75 or over with 10 or more drugs"
    for patient_id in both[:5]:
        attention = practice.patient_overview(patient_id).attention
        ids = [item.rule_id for item in attention]
        assert "POLY-75-10" in ids and "POLY-65-5" not in ids and "POLY-01" not in ids
        concerns = [item.concern_key for item in attention]
        assert len(concerns) == len(set(concerns))
        ranks = [{"high": 0, "medium": 1, "low": 2}[item.severity] for item in attention]
        assert ranks == sorted(ranks)
