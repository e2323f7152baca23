"""The selected patient's raw record as HTML (every value escaped: the record is data, not markup)."""

from datetime import date, datetime
from html import escape
from typing import Any

from cockpit.services.patients import PatientRecord
from cockpit.views.patient_table import format_cpr

# (section title, rows attribute, [(column header, key)])
_SECTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Diagnoser",
        "conditions",
        [
            ("Kode", "code"),
            ("Tekst", "display"),
            ("Start", "onset"),
            ("Slut", "abatement"),
            ("Status", "clinical_status"),
            ("Kilde", "recorded_by"),
            ("System", "code_system"),
        ],
    ),
    (
        "Medicin",
        "medications",
        [
            ("ATC", "code"),
            ("Lægemiddel", "drug_name"),
            ("Styrke", "strength"),
            ("Dosering", "dosage_text"),
            ("Start", "start"),
            ("Slut", "end"),
            ("Status", "status"),
        ],
    ),
    (
        "Laboratorie- og målinger",
        "observations",
        [
            ("Tid", "effective"),
            ("Kode", "code"),
            ("Analyse", "display"),
            ("Værdi", "value_num"),
            ("Tekst", "value_text"),
            ("Enhed", "unit"),
            ("Ref. lav", "ref_low"),
            ("Ref. høj", "ref_high"),
            ("Flag", "interpretation"),
        ],
    ),
    (
        "Kontakter",
        "encounters",
        [
            ("Start", "start"),
            ("Slut", "end"),
            ("Type", "encounter_class"),
            ("Beskrivelse", "type_display"),
            ("Sted", "provider"),
            ("Årsag", "reason_display"),
        ],
    ),
    (
        "Hjemmepleje",
        "home_care",
        [
            ("Ydelse", "service_display"),
            ("Timer/uge", "hours_per_week"),
            ("Start", "start"),
            ("Slut", "end"),
            ("Status", "status"),
            ("Leverandør", "provider"),
        ],
    ),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return escape(str(value))


def render_record(record: PatientRecord) -> str:
    p = record.patient
    born = _cell(p.get("birth_date"))
    parts = [
        f"<h2>{escape(str(p['name']))}</h2>",
        f"<p>CPR {escape(format_cpr(p.get('cpr')))} · født {born} · {escape(str(p.get('sex')))}"
        f" · egen læge: {_cell(p.get('gp_name'))} · kommune: {_cell(p.get('municipality'))}</p>",
    ]
    for title, attribute, columns in _SECTIONS:
        rows: list[dict[str, Any]] = getattr(record, attribute)
        parts.append(f"<h3>{title} ({len(rows)})</h3>")
        if not rows:
            parts.append("<p><i>Ingen</i></p>")
            continue
        header = "".join(f"<th align='left'>{h}</th>" for h, _ in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(row.get(key))}</td>" for _, key in columns) + "</tr>"
            for row in rows
        )
        parts.append(f"<table cellspacing='0' cellpadding='3' border='1'><tr>{header}</tr>{body}</table>")
    return "\n".join(parts)
