"""Shared chart test data: a known HbA1c history, a known year of contacts, light and dark palettes."""

from datetime import date, datetime

import pytest
from PySide6.QtGui import QColor, QPalette

from cockpit.views.charts import TimelineItem, TrendSeries

AS_OF = date(2026, 3, 2)

# Hand-computed: 2026-01-01T00:00Z is 1767225600; 2026-03-02 is 60 days later.
AS_OF_EPOCH = 1_772_409_600.0
DAY = 86_400.0


def dark_palette() -> QPalette:
    """A complete dark palette, as a dark desktop theme would hand the app."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff5555",
        QPalette.ColorRole.Highlight: "#2a82da",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Light: "#505050",
        QPalette.ColorRole.Midlight: "#404040",
        QPalette.ColorRole.Mid: "#303030",
        QPalette.ColorRole.Dark: "#191919",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Link: "#6cb4ff",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#308cc6"))
    return palette


@pytest.fixture
def hba1c() -> TrendSeries:
    return TrendSeries(
        title="HbA1c",
        unit="mmol/mol",
        points=[  # deliberately out of order: the chart sorts by time
            (datetime(2026, 3, 2, 8, 0), 71.0),
            (datetime(2024, 1, 3, 9, 30), 48.0),
            (datetime(2024, 6, 10), 52.0),
            (datetime(2024, 11, 20), 58.0),
            (datetime(2025, 4, 2), 55.0),
            (datetime(2025, 9, 15), 63.0),
        ],
        ref_low=20.0,
        ref_high=48.0,
        target=53.0,
        target_label="Mål 53",
        decimals=0,
    )


@pytest.fixture
def potassium() -> TrendSeries:
    return TrendSeries(
        title="P-Kalium",
        unit="mmol/l",
        points=[
            (datetime(2025, 1, 10), 3.2),  # low
            (datetime(2025, 3, 12), 4.0),
            (datetime(2025, 5, 14), 5.3),  # high
            (datetime(2025, 7, 16), 5.04),  # prints as 5,0: not above 5,0
        ],
        ref_low=3.5,
        ref_high=5.0,
        decimals=1,
    )


@pytest.fixture
def contacts() -> list[TimelineItem]:
    return [
        TimelineItem("gp_consultation", datetime(2025, 4, 10, 9), None, "Årskontrol diabetes"),  # 0
        TimelineItem("gp_consultation", datetime(2025, 9, 1, 10), None, "Hoste"),  # 1
        TimelineItem("gp_consultation", datetime(2026, 2, 20, 10), None, "Kontrol"),  # 2
        TimelineItem("phone", datetime(2025, 5, 3, 8), None, "Svar på blodprøver"),  # 3
        TimelineItem("phone", datetime(2025, 12, 3, 8), None, "Recept"),  # 4
        TimelineItem("inpatient", datetime(2025, 10, 10, 14), datetime(2025, 10, 15, 14), "Pneumoni", 5),  # 5
        TimelineItem(
            "inpatient", datetime(2026, 1, 5, 9), datetime(2026, 1, 9, 9), "KOL-eksacerbation", 4
        ),  # 6
        TimelineItem("home_care", datetime(2025, 10, 16), None, "Praktisk hjælp"),  # 7, ongoing
        TimelineItem("gp_consultation", datetime(2023, 6, 1, 9), None, "Gammel konsultation"),  # 8, > 12 mdr.
        TimelineItem("podiatry", datetime(2025, 8, 12, 13), None, "Fodterapi"),  # 9, unknown kind
    ]
