"""ContactsTimeline: lanes, default range, filters, counts, bars, clicks, tooltips, dark palette, speed."""

import random
import time
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from cockpit.views.charts import ContactsTimeline, TimelineItem
from cockpit.views.charts.colors import GRAPHIC_CONTRAST, contrast_ratio
from cockpit.views.charts.contacts import LANES
from cockpit.views.charts.formatting import to_epoch_seconds
from tests.charts.conftest import AS_OF, AS_OF_EPOCH, DAY, dark_palette

pytestmark = pytest.mark.gui


@pytest.fixture
def timeline(qtbot: QtBot, contacts: list[TimelineItem]) -> ContactsTimeline:
    widget = ContactsTimeline()
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(contacts, AS_OF)
    return widget


def widget_pos(timeline: ContactsTimeline, x: float, lane: int) -> QPointF:
    """Scene position of a data point; the scene is in the plot widget's viewport pixels."""
    return QPointF(timeline.view_box.mapViewToScene(QPointF(x, lane)))


def click(qtbot: QtBot, timeline: ContactsTimeline, x: float, lane: int) -> None:
    pos = timeline.plot_widget.mapFromScene(widget_pos(timeline, x, lane))
    qtbot.mouseClick(timeline.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_only_kinds_with_events_get_a_lane_in_clinical_order(timeline: ContactsTimeline) -> None:
    assert timeline.lanes() == ["gp_consultation", "phone", "inpatient", "home_care", "other"]
    assert [box.text() for box in timeline.filter_checkboxes.values()] == [
        "Konsultation",
        "Telefon",
        "Indlæggelse",
        "Hjemmepleje",
        "Andet",
    ]


def test_the_default_view_is_the_last_twelve_months_through_as_of(timeline: ContactsTimeline) -> None:
    x0, x1 = timeline.visible_range()
    assert x0 == AS_OF_EPOCH - 365 * DAY  # 02-03-2025
    assert x1 == AS_OF_EPOCH + DAY  # the whole of 02-03-2026
    assert timeline.range_combo.currentText() == "12 måneder"
    assert timeline.visible_counts() == {
        "gp_consultation": 3,  # the 2023 consultation is out of range
        "phone": 2,
        "inpatient": 2,
        "home_care": 1,
        "other": 1,
    }
    assert timeline.summary_text() == (
        "12 måneder: 3 konsultationer, 2 telefonkontakter, 2 indlæggelser (i alt 9 dage), "
        "1 hjemmeplejeforløb, 1 anden kontakt"
    )
    assert timeline.accessibleDescription() == timeline.summary_text()


def test_range_presets_and_the_combobox_change_the_view(timeline: ContactsTimeline) -> None:
    timeline.set_range_months(3)
    assert timeline.visible_range()[0] == to_epoch_seconds(date(2025, 12, 2))
    assert timeline.range_combo.currentText() == "3 måneder"
    assert timeline.summary_text() == (
        "3 måneder: 1 konsultation, 1 telefonkontakt, 1 indlæggelse (i alt 4 dage), 1 hjemmeplejeforløb"
    )
    timeline.range_combo.setCurrentIndex(timeline.range_combo.findText("Hele perioden"))
    assert timeline.visible_range()[0] < to_epoch_seconds(datetime(2023, 6, 1, 9))
    assert timeline.visible_counts()["gp_consultation"] == 4
    assert timeline.summary_text().startswith("Hele perioden: 4 konsultationer")


def test_a_hand_zoomed_range_is_named_by_its_dates(timeline: ContactsTimeline) -> None:
    timeline.view_box.setXRange(
        to_epoch_seconds(date(2025, 10, 1)), to_epoch_seconds(date(2025, 11, 1)), padding=0
    )
    assert (
        timeline.summary_text() == "01-10-2025–31-10-2025: 1 indlæggelse (i alt 5 dage), 1 hjemmeplejeforløb"
    )
    assert timeline.accessibleDescription() == timeline.summary_text()


def test_unchecking_a_filter_hides_the_lane_and_drops_it_from_the_counts(
    qtbot: QtBot, timeline: ContactsTimeline, contacts: list[TimelineItem]
) -> None:
    phone = timeline.filter_checkboxes["phone"]
    assert phone.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.keyClick(phone, Qt.Key.Key_Space)  # keyboard, as from the tab order
    assert not phone.isChecked()
    assert not timeline.lane_markers["phone"].isVisible()
    assert "phone" not in timeline.visible_counts()
    assert "telefon" not in timeline.summary_text()
    # The filter sticks when the next patient (or a refresh) comes in.
    timeline.set_events(contacts, AS_OF)
    assert not timeline.filter_checkboxes["phone"].isChecked()
    assert not timeline.lane_markers["phone"].isVisible()
    qtbot.keyClick(timeline.filter_checkboxes["phone"], Qt.Key.Key_Space)
    assert timeline.visible_counts()["phone"] == 2


def test_admission_bars_span_their_stay_and_ongoing_home_care_runs_to_as_of(
    timeline: ContactsTimeline,
) -> None:
    admissions = timeline.lane_bars["inpatient"].opts
    widths = [x1 - x0 for x0, x1 in zip(admissions["x0"], admissions["x1"], strict=True)]
    assert widths == [5 * DAY, 4 * DAY]
    assert admissions["x0"][0] == to_epoch_seconds(datetime(2025, 10, 10, 14))
    assert timeline.stay_labels is not None
    assert timeline.stay_labels.texts == ["5 dage", "4 dage"]
    assert timeline.stay_labels.xs == list(admissions["x1"])  # each label starts where its bar ends
    home_care = timeline.lane_bars["home_care"].opts
    assert list(home_care["x1"]) == [AS_OF_EPOCH + DAY]


def test_an_admission_without_an_end_uses_its_length_of_stay(qtbot: QtBot) -> None:
    timeline = ContactsTimeline()
    qtbot.addWidget(timeline)
    stay = TimelineItem("inpatient", datetime(2026, 1, 5), None, "Hoftefraktur", length_of_stay_days=7)
    timeline.set_events([stay], AS_OF)
    bars = timeline.lane_bars["inpatient"].opts
    assert bars["x1"][0] - bars["x0"][0] == 7 * DAY
    assert timeline.tooltip_for(0) == "Indlæggelse, 05-01-2026 – 12-01-2026 (7 dage)\nHoftefraktur"


def test_clicking_a_marker_or_a_bar_emits_the_event_index(qtbot: QtBot, timeline: ContactsTimeline) -> None:
    hoste = to_epoch_seconds(datetime(2025, 9, 1, 10))  # event 1, first lane
    with qtbot.waitSignal(timeline.item_activated, timeout=1000) as blocker:
        click(qtbot, timeline, hoste, lane=0)
    assert blocker.args == [1]

    home_care_middle = (to_epoch_seconds(datetime(2025, 10, 16)) + AS_OF_EPOCH) / 2  # event 7, fourth lane
    with qtbot.waitSignal(timeline.item_activated, timeout=1000) as blocker:
        click(qtbot, timeline, home_care_middle, lane=3)
    assert blocker.args == [7]

    with qtbot.assertNotEmitted(timeline.item_activated):
        click(qtbot, timeline, hoste, lane=1)  # same date, phone lane: nothing there


def test_a_filtered_lane_cannot_be_clicked(qtbot: QtBot, timeline: ContactsTimeline) -> None:
    timeline.filter_checkboxes["gp_consultation"].setChecked(False)
    with qtbot.assertNotEmitted(timeline.item_activated):
        click(qtbot, timeline, to_epoch_seconds(datetime(2025, 9, 1, 10)), lane=0)


def test_hover_shows_dates_and_label(timeline: ContactsTimeline) -> None:
    scene = timeline.plot_widget.scene()
    scene.sigMouseMoved.emit(widget_pos(timeline, to_epoch_seconds(datetime(2025, 10, 10, 14)), 2))
    assert timeline.view_box.toolTip() == "Indlæggelse, 10-10-2025 – 15-10-2025 (5 dage)\nPneumoni"
    scene.sigMouseMoved.emit(widget_pos(timeline, to_epoch_seconds(datetime(2025, 6, 1)), 2))
    assert timeline.view_box.toolTip() == ""
    assert timeline.tooltip_for(7) == "Hjemmepleje, 16-10-2025 – (igangværende)\nPraktisk hjælp"
    assert timeline.tooltip_for(9) == "Andet (podiatry), 12-08-2025\nFodterapi"
    assert timeline.tooltip_for(0) == "Konsultation, 10-04-2025\nÅrskontrol diabetes"


def test_no_events_shows_a_message(timeline: ContactsTimeline) -> None:
    timeline.set_events([], AS_OF)
    assert timeline.empty_label.isVisible() and not timeline.plot_widget.isVisible()
    assert timeline.empty_label.text() == "Ingen kontakter"
    assert timeline.visible_counts() == {}
    assert timeline.filter_checkboxes == {}


def test_replacing_events_leaves_no_stale_items(
    timeline: ContactsTimeline, contacts: list[TimelineItem]
) -> None:
    plot = timeline.plot_widget.getPlotItem()
    count = len(plot.items)
    timeline.set_events(contacts, AS_OF)
    assert len(plot.items) == count == 8  # 5 marker items, 2 bar items, 1 label item


def test_dark_palette_lane_colours_contrast_with_the_background(timeline: ContactsTimeline) -> None:
    timeline.set_range_months(3)
    timeline.setPalette(dark_palette())
    background = timeline.plot_widget.backgroundBrush().color()
    assert background == QColor("#1e1e1e")
    for kind, markers in timeline.lane_markers.items():
        assert contrast_ratio(markers.opts["brush"].color(), background) >= GRAPHIC_CONTRAST, kind
    for kind, bars in timeline.lane_bars.items():
        assert contrast_ratio(bars.opts["pen"].color(), background) >= GRAPHIC_CONTRAST, kind
    assert timeline.visible_range()[0] == to_epoch_seconds(date(2025, 12, 2))  # restyling keeps the range


def many_events(count: int) -> list[TimelineItem]:
    rng = random.Random(20260302)
    kinds = [lane.key for lane in LANES]
    events = []
    for _ in range(count):
        kind = rng.choice(kinds)
        start = datetime(2016, 3, 2) + timedelta(minutes=rng.randrange(10 * 365 * 24 * 60))
        if kind == "inpatient":
            events.append(TimelineItem(kind, start, start + timedelta(days=3), "Indlæggelse", 3))
        elif kind == "home_care":
            events.append(TimelineItem(kind, start, start + timedelta(days=60), "Hjemmepleje"))
        else:
            events.append(TimelineItem(kind, start, None, "Kontakt"))
    return events


def test_two_thousand_events_render_well_under_100_ms(timeline: ContactsTimeline) -> None:
    events = many_events(2000)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        timeline.set_events(events, AS_OF)
        timeline.grab()  # a full paint, not just item creation
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.1
    assert sum(timeline.visible_counts().values()) > 150  # about a tenth of ten years' events
    assert (
        len(timeline.plot_widget.getPlotItem().items) == 8 + 2 + 1
    )  # per lane (+ bars, labels), not per event
