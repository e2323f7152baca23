"""What an indicator is ("?" beside it in the risk lists): its title and description in the window's
language (the pack's own da/en texts), its definition (population and hit, as the pack states them), its
sources, and its data quality: what the cockpit checks, the pack's note, and what the check found in this
practice's data when it has been run."""

from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from cockpit.indicators.describe import describe as describe_criterion
from cockpit.indicators.model import Indicator
from cockpit.indicators.quality import DataQuality, describe
from cockpit.views.charts.formatting import format_date
from cockpit.views.help.page import BrowserDialog


def indicator_html(indicator: Indicator, quality: DataQuality | None, lang: str) -> str:
    title = indicator.title.en if lang == "en" else indicator.title.da
    parts = [f"<h3>{escape(title)}</h3><p><code>{escape(indicator.id)}</code></p>"]
    if indicator.description is not None:
        description = indicator.description.en if lang == "en" else indicator.description.da
        parts.append(f"<p>{escape(description)}</p>")
    definition = QCoreApplication.translate("IndicatorHelp", "Definition")
    population = QCoreApplication.translate("IndicatorHelp", "Population (nævneren)")
    hit = QCoreApplication.translate("IndicatorHelp", "På listen (tælleren)")
    who, listed = escape(describe_criterion(indicator.population)), escape(describe_criterion(indicator.hit))
    parts.append(
        f"<h4>{definition}</h4><p><b>{population}:</b> <code>{who}</code><br>"
        f"<b>{hit}:</b> <code>{listed}</code></p>"
    )
    if indicator.parameters:
        values = ", ".join(f"{escape(name)} = {p.default:g}" for name, p in indicator.parameters.items())
        defaults = QCoreApplication.translate("IndicatorHelp", "Grænser (pakkens standard)")
        parts.append(f"<p><b>{defaults}:</b> {values}</p>")
    source = QCoreApplication.translate("IndicatorHelp", "Kilde")
    links = "".join(f"<li><a href='{escape(s)}'>{escape(s)}</a></li>" for s in indicator.source)
    parts.append(f"<h4>{source}</h4><ul>{links}</ul>")
    if indicator.reviewed is not None:
        reviewed = QCoreApplication.translate("IndicatorHelp", "Definition og kilder sidst gennemgået {day}.")
        parts.append(f"<p>{escape(reviewed.format(day=format_date(indicator.reviewed)))}</p>")
    data_quality = QCoreApplication.translate("IndicatorHelp", "Datakvalitet")
    parts.append(f"<h4>{data_quality}</h4>")
    parts.append(
        "<p>"
        + QCoreApplication.translate(
            "IndicatorHelp",
            "Listen er kun så god som kodningen i praksissens data. Cockpittet tjekker for hver indikator, "
            "hvor stor en del af populationen der har de målinger, den læser, i en kendt kode; målinger i "
            "en enhed, der ikke kan sammenlignes; aktuel medicin uden ATC-kode; og ressourcer i karantæne, "
            "som ingen liste kan se.",
        )
        + "</p>"
    )
    if indicator.note:
        note = QCoreApplication.translate("IndicatorHelp", "Pakkens note")
        parts.append(f"<p><b>{note}:</b> {escape(indicator.note)}</p>")
    if quality is not None and quality.indicator_id == indicator.id:
        if quality.warnings:
            found = QCoreApplication.translate("IndicatorHelp", "Fundet i praksissens data pr. {day}:")
            items = "".join(f"<li>{escape(describe(w, lang))}</li>" for w in quality.warnings)
            parts.append(f"<p>{escape(found.format(day=format_date(quality.as_of)))}</p><ul>{items}</ul>")
        else:
            fine = QCoreApplication.translate(
                "IndicatorHelp", "Ingen problemer fundet i praksissens data pr. {day}."
            )
            parts.append(f"<p>{escape(fine.format(day=format_date(quality.as_of)))}</p>")
    return "".join(parts)


class IndicatorDialog(BrowserDialog):
    def __init__(self, html: str, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("IndicatorHelp", "Om indikatoren"), html, (640, 560), parent
        )
