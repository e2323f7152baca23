"""The interface language: Qt translators, the default QLocale and how numbers are written.

Danish is the source language: every string in the code is Danish, and English comes from
``translations/cockpit_en.qm`` (built from ``resources/i18n/cockpit_en.ts`` by ``make translations``).
Call ``install_translators`` once, right after the QApplication exists and before any window is built:
module-level texts (column headers, lane labels) are marked with ``QT_TRANSLATE_NOOP`` and translated
when shown, so nothing has to be rebuilt, but widgets translate their own labels as they are created.

Dates are dd-mm-yyyy in both languages (a GP audience); numbers follow the language: decimal comma in
Danish, decimal point in English.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES: Final = ("da", "en")
SOURCE_LANGUAGE: Final = "da"
TRANSLATIONS_DIR: Final = Path(__file__).parent / "translations"

# PySide6 types the marker as returning ``object``; it returns the source text unchanged. lupdate finds the
# calls by this name, so keep it.
QT_TRANSLATE_NOOP: Final[Callable[[str, str], str]] = QtCore.QT_TRANSLATE_NOOP  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class NumberFormat:
    decimal_point: str
    group_separator: str


DANISH_NUMBERS: Final = NumberFormat(decimal_point=",", group_separator=".")
ENGLISH_NUMBERS: Final = NumberFormat(decimal_point=".", group_separator=",")


class _State:
    """What install_translators changed, so it can be undone (tests, or a second call)."""

    numbers: NumberFormat = DANISH_NUMBERS
    language: str = SOURCE_LANGUAGE
    translators: list[QTranslator] = []  # noqa: RUF012 - deliberately process-wide
    locale_before: QLocale | None = None


def number_format() -> NumberFormat:
    """The separators for the active language (Danish until install_translators says otherwise)."""
    return _State.numbers


def set_number_format(numbers: NumberFormat) -> None:
    _State.numbers = numbers


def active_language() -> str:
    return _State.language


def locale_for(lang: str) -> QLocale:
    if lang == "en":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return QLocale(QLocale.Language.Danish, QLocale.Country.Denmark)


def install_translators(app: QCoreApplication, lang: str) -> None:
    """Switch the interface to ``lang`` ("da" or "en"). Never fails: an unknown language, or English
    without its .qm file, logs a warning and leaves the interface Danish."""
    remove_translators(app)
    if lang not in LANGUAGES:
        log.warning("unknown interface language %r; using Danish", lang)
        lang = SOURCE_LANGUAGE
    if lang != SOURCE_LANGUAGE:
        ours = QTranslator(app)
        qm = TRANSLATIONS_DIR / f"cockpit_{lang}.qm"
        if ours.load(str(qm)):
            _install(app, ours)
        else:
            log.warning("no translation file %s (run 'make translations'); using Danish", qm)
            lang = SOURCE_LANGUAGE
    # Qt's own strings (standard buttons, context menus of line edits, ...) in the same language.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load(f"qtbase_{lang}", qt_dir):
        _install(app, qtbase)
    else:
        log.info("Qt's own translation qtbase_%s was not found in %s", lang, qt_dir)
    if _State.locale_before is None:
        _State.locale_before = QLocale()
    QLocale.setDefault(locale_for(lang))
    set_number_format(ENGLISH_NUMBERS if lang == "en" else DANISH_NUMBERS)
    _State.language = lang


def remove_translators(app: QCoreApplication) -> None:
    """Undo install_translators: no translators, the locale as before, Danish numbers."""
    for translator in _State.translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    _State.translators.clear()
    if _State.locale_before is not None:
        QLocale.setDefault(_State.locale_before)
        _State.locale_before = None
    set_number_format(DANISH_NUMBERS)
    _State.language = SOURCE_LANGUAGE


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _State.translators.append(translator)
