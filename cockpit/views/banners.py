"""The notes across the top of the window: the demo practice's warning, and single-user mode's offer to
create an administrator. Texts keep the translation context "MainWindow" they were written in."""

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


def demo_banner() -> QLabel:
    banner = QLabel(
        QCoreApplication.translate(
            "MainWindow",
            "<b>Demopraksis</b> – alle patienter her er fiktive og genereret af Patient Cockpit. "
            "Brug den til at prøve programmet; læg aldrig rigtige patientdata her.",
        )
    )
    banner.setWordWrap(True)
    banner.setStyleSheet("background: #fff4ce; color: #4a3b00; padding: 4px; border-radius: 4px;")
    return banner


def users_banner() -> tuple[QWidget, QPushButton]:
    """The banner (hidden) and its button that creates the first administrator."""
    banner = QWidget()
    banner.setObjectName("users-banner")
    banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    # Only the banner itself: its button keeps the platform's look.
    banner.setStyleSheet(
        "#users-banner { background: #e8f1fb; border-radius: 4px; } QLabel { color: #0b2e59; }"
    )
    row = QHBoxLayout(banner)
    row.setContentsMargins(6, 2, 6, 2)
    text = QLabel(
        QCoreApplication.translate(
            "MainWindow",
            "<b>Ingen brugere endnu</b> – alle opslag logges som computerens bruger. Opret en "
            "administrator, så alle skal logge ind, og hvert opslag logges med den rette person.",
        )
    )
    text.setWordWrap(True)
    button = QPushButton(QCoreApplication.translate("MainWindow", "Opret administrator …"))
    row.addWidget(text, 1)
    row.addWidget(button)
    banner.hide()
    return banner, button
