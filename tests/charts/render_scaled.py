"""Render both charts to PNGs in a fresh process: ``python -m tests.charts.render_scaled DIR``.

Qt fixes the scale factor when the QApplication starts, so 125 %/150 % needs its own process.
"""

import sys
from datetime import date, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def main(out: Path) -> None:
    app = QApplication([])
    from cockpit.views.charts import ContactsTimeline, TimelineItem, TrendChart, TrendSeries  # noqa: PLC0415

    trend = TrendChart()
    trend.resize(400, 240)
    points = [(datetime(2025, 1, 2), 50.0), (datetime(2025, 6, 2), 55.0)]
    trend.set_series(TrendSeries("HbA1c", "mmol/mol", points, ref_low=20, ref_high=48, target=53, decimals=0))
    timeline = ContactsTimeline()
    timeline.resize(600, 300)
    stay = TimelineItem("inpatient", datetime(2026, 1, 5), datetime(2026, 1, 9), "Pneumoni", 4)
    timeline.set_events([stay], date(2026, 3, 2))
    widgets: tuple[tuple[QWidget, str], ...] = ((trend, "trend"), (timeline, "timeline"))
    for widget, name in widgets:
        widget.show()
        app.processEvents()
        image = widget.grab().toImage()
        image.save(str(out / f"{name}-scaled.png"))
        print(name, image.devicePixelRatio(), image.width())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
