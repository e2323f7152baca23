"""Matching a row's code against a value set: exact codes as IN lists, prefixes as an index range plus a
LIKE (which keeps them exact under any collation), always together with the code system."""

from collections.abc import Iterable
from typing import cast

from sqlalchemy import (
    ColumnElement,
    and_,
    false,
    not_,
    or_,
)

from cockpit.indicators import model as m


def code_matches(
    system: ColumnElement[str | None], code: ColumnElement[str | None], value_set: m.ValueSet
) -> ColumnElement[bool]:
    included = _rules_match(system, code, value_set.include)
    systems = {rule.system for rule in value_set.include}
    if len(systems) > 1 and not any(rule.prefix for rule in value_set.include):
        # Implied by the rules, but across several systems they are an OR that hides the code from the
        # index planner; one IN list lets it use (patient_id, code, ...) and (code, ...) indexes. With one
        # system the rules already are a plain IN list, and a second copy of it makes SQLite (without
        # statistics) count its selectivity twice and prefer (code, effective) over the patient's index in
        # a correlated EXISTS: COPD-MRC-CAT-12M read every MRC/CAT row once per COPD patient.
        included = and_(code.in_(sorted({rule.code for rule in value_set.include})), included)
    if not value_set.exclude:
        return included
    return and_(included, not_(_rules_match(system, code, value_set.exclude)))


def _rules_match(
    system: ColumnElement[str | None], code: ColumnElement[str | None], rules: Iterable[m.CodeRule]
) -> ColumnElement[bool]:
    exact: dict[str, list[str]] = {}
    terms: list[ColumnElement[bool]] = []
    for rule in rules:
        uris = m.SYSTEMS[rule.system]
        if rule.prefix:
            terms.append(and_(system.in_(uris), *prefix_terms(code, rule.code)))
        else:
            exact.setdefault(rule.system, []).append(rule.code)
    for name, values in exact.items():
        terms.append(and_(system.in_(m.SYSTEMS[name]), code.in_(sorted(set(values)))))
    return or_(*terms) if terms else false()


def prefix_terms(code: ColumnElement[str | None], prefix: str) -> tuple[ColumnElement[bool], ...]:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return code >= prefix, code < upper, code.startswith(prefix, autoescape=True)


def code_column(code: ColumnElement[str | None], indexed: bool) -> ColumnElement[str | None]:
    """``code || ''`` means the code but cannot use an index. Where the patients are known (one, or a
    chunk), SQLite without statistics would otherwise walk the (code, effective) index of all patients
    instead of the (patient_id, code, effective) index of those patients."""
    return code if indexed else cast(ColumnElement[str | None], code.concat(""))
