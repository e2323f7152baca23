"""Chart colours derived from the widget's QPalette, so the charts follow light and dark themes.

Fixed hues carry meaning (green = reference range, amber = target, red = outside the range); their lightness
is then pushed until they reach a WCAG contrast ratio against the actual plot background.
"""

from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QColor, QPalette

_GREEN: Final = "#2CA02C"
_AMBER: Final = "#E08600"
_RED: Final = "#D62728"

GRAPHIC_CONTRAST: Final = 3.0  # WCAG 1.4.11, non-text contrast
TEXT_CONTRAST: Final = 4.5  # WCAG 1.4.3, normal text


def relative_luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(background: QColor) -> bool:
    return relative_luminance(background) < 0.18  # about where black and white text contrast equally


def readable(color: QColor, background: QColor, min_ratio: float = GRAPHIC_CONTRAST) -> QColor:
    """The colour with the same hue, lightened (dark background) or darkened until it reaches min_ratio."""
    step = 0.02 if is_dark(background) else -0.02
    hue, saturation, lightness = color.hslHueF(), color.hslSaturationF(), color.lightnessF()
    candidate = QColor(color)
    while contrast_ratio(candidate, background) < min_ratio and 0.0 < lightness < 1.0:
        lightness = min(max(lightness + step, 0.0), 1.0)
        candidate = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return candidate


def mix(base: QColor, tint: QColor, amount: float) -> QColor:
    """base blended towards tint by amount (0..1), opaque."""
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


def with_alpha(color: QColor, alpha: int) -> QColor:
    result = QColor(color)
    result.setAlpha(alpha)
    return result


@dataclass(frozen=True)
class ChartColors:
    background: QColor
    text: QColor
    muted: QColor  # grid lines, secondary labels
    series: QColor
    alert: QColor  # measurements outside the reference range
    band_fill: QColor
    band_edge: QColor
    target: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> "ChartColors":
        background = palette.color(QPalette.ColorRole.Base)
        text = readable(palette.color(QPalette.ColorRole.Text), background, TEXT_CONTRAST)
        dark = is_dark(background)
        green = QColor(_GREEN)
        return cls(
            background=background,
            text=text,
            muted=mix(background, text, 0.45),
            series=readable(palette.color(QPalette.ColorRole.Highlight), background),
            alert=readable(QColor(_RED), background),
            # A dark theme needs a stronger tint for the band to show at all.
            band_fill=mix(background, green, 0.22 if dark else 0.14),
            band_edge=readable(green, background),
            target=readable(QColor(_AMBER), background),
        )

    def on_background(self, hue: str) -> QColor:
        """A categorical colour (e.g. a timeline lane) made readable on this background."""
        return readable(QColor(hue), self.background)
