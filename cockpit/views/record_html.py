"""The selected patient's raw record as HTML (every value escaped: the record is data, not markup)."""

from datetime import date, datetime
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from cockpit.models.cpr import format_cpr
from cockpit.services.patients import PatientRecord
from cockpit.views.charts.formatting import format_date, localise_decimal
from cockpit.views.i18n import QT_TRANSLATE_NOOP

# (section title, rows attribute, [(column header, key)]); titles and headers are source text in the
# context "RawRecord", translated when the record is rendered. The values are the record as stored.
_SECTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        QT_TRANSLATE_NOOP("RawRecord", "Diagnoser"),
        "conditions",
        [
            (QT_TRANSLATE_NOOP("RawRecord", "Kode"), "code"),
            (QT_TRANSLATE_NOOP("RawRecord", "Tekst"), "display"),
            (QT_TRANSLATE_NOOP("RawRecord", "Start"), "onset"),
            (QT_TRANSLATE_NOOP("RawRecord", "Slut"), "abatement"),
            (QT_TRANSLATE_NOOP("RawRecord", "Status"), "clinical_status"),
            (QT_TRANSLATE_NOOP("RawRecord", "Kilde"), "recorded_by"),
            (QT_TRANSLATE_NOOP("RawRecord", "System"), "code_system"),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("RawRecord", "Medicin"),
        "medications",
        [
            (QT_TRANSLATE_NOOP("RawRecord", "ATC"), "code"),
            (QT_TRANSLATE_NOOP("RawRecord", "Lægemiddel"), "drug_name"),
            (QT_TRANSLATE_NOOP("RawRecord", "Styrke"), "strength"),
            (QT_TRANSLATE_NOOP("RawRecord", "Dosering"), "dosage_text"),
            (QT_TRANSLATE_NOOP("RawRecord", "Start"), "start"),
            (QT_TRANSLATE_NOOP("RawRecord", "Slut"), "end"),
            (QT_TRANSLATE_NOOP("RawRecord", "Status"), "status"),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("RawRecord", "Laboratorie- og målinger"),
        "observations",
        [
            (QT_TRANSLATE_NOOP("RawRecord", "Tid"), "effective"),
            (QT_TRANSLATE_NOOP("RawRecord", "Kode"), "code"),
            (QT_TRANSLATE_NOOP("RawRecord", "Analyse"), "display"),
            (QT_TRANSLATE_NOOP("RawRecord", "Værdi"), "value_num"),
            (QT_TRANSLATE_NOOP("RawRecord", "Tekst"), "value_text"),
            (QT_TRANSLATE_NOOP("RawRecord", "Enhed"), "unit"),
            (QT_TRANSLATE_NOOP("RawRecord", "Ref. lav"), "ref_low"),
            (QT_TRANSLATE_NOOP("RawRecord", "Ref. høj"), "ref_high"),
            (QT_TRANSLATE_NOOP("RawRecord", "Flag"), "interpretation"),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("RawRecord", "Kontakter"),
        "encounters",
        [
            (QT_TRANSLATE_NOOP("RawRecord", "Start"), "start"),
            (QT_TRANSLATE_NOOP("RawRecord", "Slut"), "end"),
            (QT_TRANSLATE_NOOP("RawRecord", "Type"), "encounter_class"),
            (QT_TRANSLATE_NOOP("RawRecord", "Beskrivelse"), "type_display"),
            (QT_TRANSLATE_NOOP("RawRecord", "Sted"), "provider"),
            (QT_TRANSLATE_NOOP("RawRecord", "Årsag"), "reason_display"),
        ],
    ),
    (
        QT_TRANSLATE_NOOP("RawRecord", "Hjemmepleje"),
        "home_care",
        [
            (QT_TRANSLATE_NOOP("RawRecord", "Ydelse"), "service_display"),
            (QT_TRANSLATE_NOOP("RawRecord", "Timer/uge"), "hours_per_week"),
            (QT_TRANSLATE_NOOP("RawRecord", "Start"), "start"),
            (QT_TRANSLATE_NOOP("RawRecord", "Slut"), "end"),
            (QT_TRANSLATE_NOOP("RawRecord", "Status"), "status"),
            (QT_TRANSLATE_NOOP("RawRecord", "Leverandør"), "provider"),
        ],
    ),
]


_NONE = QT_TRANSLATE_NOOP("RawRecord", "Ingen")  # a section without rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_date(value)} {value:%H:%M}"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return localise_decimal(f"{value:g}")
    return escape(str(value))


def _tr(text: str) -> str:
    return escape(QCoreApplication.translate("RawRecord", text))


def render_record(record: PatientRecord) -> str:
    p = record.patient
    facts = QCoreApplication.translate(
        "RawRecord", "CPR {cpr} · født {born} · {sex} · egen læge: {gp} · kommune: {municipality}"
    )
    parts = [
        f"<h2>{escape(str(p['name']))}</h2>",
        "<p>"
        + escape(facts).format(
            cpr=escape(format_cpr(p.get("cpr"))),
            born=_cell(p.get("birth_date")),
            sex=escape(str(p.get("sex"))),
            gp=_cell(p.get("gp_name")),
            municipality=_cell(p.get("municipality")),
        )
        + "</p>",
    ]
    for title, attribute, columns in _SECTIONS:
        rows: list[dict[str, Any]] = getattr(record, attribute)
        parts.append(f"<h3>{_tr(title)} ({len(rows)})</h3>")
        if not rows:
            parts.append(f"<p><i>{_tr(_NONE)}</i></p>")
            continue
        header = "".join(f"<th align='left'>{_tr(h)}</th>" for h, _ in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(row.get(key))}</td>" for _, key in columns) + "</tr>"
            for row in rows
        )
        parts.append(f"<table cellspacing='0' cellpadding='3' border='1'><tr>{header}</tr>{body}</table>")
    return "\n".join(parts)
