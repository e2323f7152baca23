"""Evidence texts: the Danish sentence shown for each hit, per criterion, from a template in the pack or
a default. A template is ``str.format`` text with plain ``{name}`` fields; which names a criterion offers
depends on its kind and on whether the hit needs it to hold ("present") or not to hold ("absent")."""

import string
from typing import Final

# (criterion kind, present) -> the fields a template may use
FIELDS: Final[dict[tuple[str, bool], frozenset[str]]] = {
    ("condition", True): frozenset({"label", "code", "display", "onset"}),
    ("condition", False): frozenset({"label", "as_of"}),
    ("medication", True): frozenset({"label", "code", "drug", "start", "end"}),
    ("medication", False): frozenset({"label", "as_of", "last", "window"}),
    ("observation", True): frozenset({"label", "code", "value", "unit", "date", "original", "target"}),
    ("observation", False): frozenset(
        {"label", "window", "since", "last", "value", "unit", "date", "target"}
    ),
    ("observation_repeated", True): frozenset({"label", "count", "values", "window", "op", "value", "apart"}),
    ("observation_repeated", False): frozenset(
        {"label", "count", "values", "window", "op", "value", "apart"}
    ),
    ("encounters", True): frozenset({"label", "count", "dates", "window"}),
    ("encounters", False): frozenset({"label", "count", "dates", "window"}),
    ("stays", True): frozenset({"label", "count", "dates", "window"}),
    ("stays", False): frozenset({"label", "count", "dates", "window"}),
    ("distinct_medications", True): frozenset({"label", "count", "codes", "level"}),
    ("distinct_medications", False): frozenset({"label", "count", "codes", "level"}),
    ("age", True): frozenset({"age"}),
    ("age", False): frozenset({"age"}),
}

DEFAULTS: Final[dict[tuple[str, bool], str]] = {
    ("condition", True): "{label}: {display} ({code}) siden {onset}",
    ("condition", False): "Ingen aktiv {label} den {as_of}",
    ("medication", True): "{label}: {drug} ({code}) fra {start}",
    ("medication", False): "Ingen aktiv {label} den {as_of} ({last})",
    # {target}: " (mål < 130: diabetes)" for a comparison with the patient's target, else empty.
    ("observation", True): "Seneste {label} {value} {unit} den {date}{original}{target}",
    ("observation", False): "Ingen {label} inden for {window} ({last})",
    ("observation_repeated", True): "{label} {op} {value} {count} gange inden for {window}: {values}",
    ("observation_repeated", False): (
        "Ikke {label} {op} {value} to gange med mindst {apart} imellem inden for {window} ({values})"
    ),
    ("encounters", True): "{count} {label} inden for {window}: {dates}",
    ("encounters", False): "{count} {label} inden for {window}",
    ("stays", True): "{count} {label} inden for {window}: {dates}",
    ("stays", False): "{count} {label} inden for {window}",
    ("distinct_medications", True): "{count} forskellige aktive {label} (ATC-niveau {level}): {codes}",
    ("distinct_medications", False): "{count} forskellige aktive {label} (ATC-niveau {level})",
    ("age", True): "Alder {age} år",
    ("age", False): "Alder {age} år",
}
MEDICATION_NOT_PRESCRIBED: Final = "Ingen {label} ordineret inden for {window} ({last})"
# An observation that must not satisfy a comparison, and has a value in the window, is shown as it is.
OBSERVATION_NOT_COMPARED: Final = "Seneste {label} {value} {unit} den {date}{target}"


def template_problem(template: str, kind: str, present: bool) -> str | None:
    """Why ``template`` cannot be used for this criterion, or None when it can."""
    allowed = FIELDS[(kind, present)]
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        return f"evidence template is malformed ({error})"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed:
            offered = ", ".join("{" + f + "}" for f in sorted(allowed))
            where = "holds" if present else "does not hold"
            return f"evidence template uses {{{name}}}; when the criterion {where}, it offers {offered}"
        if spec or conversion:
            return f"evidence template field {{{name}}} may not carry a format or conversion"
    return None


def render(template: str, fields: dict[str, str]) -> str:
    return template.format_map(fields)
