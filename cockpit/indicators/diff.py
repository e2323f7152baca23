"""What changes when a pack replaces the installed version: the lines shown before it is enabled.

Semantic, not textual: codes added to or removed from a value set (inline or by the codelists it references,
as this version of the cockpit has them), indicators added, removed or with a changed rule, parameter ranges
and defaults. Comments and layout are not changes.
"""

from cockpit.indicators import model as m
from cockpit.indicators.describe import describe


def pack_diff(old: m.Pack | None, new: m.Pack) -> list[str]:
    if old is None:
        lines = [f"new pack {new.id} version {new.version}: {new.title.en}"]
        lines += [f"+ indicator {i.id}: {i.title.en}" for i in new.indicators]
        return lines
    if old.content_checksum == new.content_checksum:
        return [f"pack {new.id} version {new.version} is already installed, unchanged"]
    lines = [f"pack {new.id}: version {old.version} -> {new.version}"]
    if _version_key(new.version) <= _version_key(old.version):
        lines.append("  ! the new version number is not higher than the installed one")
    changes = [f"~ title: {old.title.en} -> {new.title.en}"] if old.title != new.title else []
    changes += _value_set_lines(old, new)
    changes += _indicator_lines(old, new)
    if len(old.fixtures) != len(new.fixtures):
        changes.append(f"~ fixtures: {len(old.fixtures)} -> {len(new.fixtures)}")
    return lines + (changes or ["~ only descriptions, notes or fixture details changed"])


def _value_set_lines(old: m.Pack, new: m.Pack) -> list[str]:
    lines = []
    for key in sorted(set(old.value_sets) | set(new.value_sets)):
        before, after = old.value_sets.get(key), new.value_sets.get(key)
        if before is None:
            assert after is not None
            lines.append(f"+ value set {key}: {', '.join(map(str, after.include))}")
        elif after is None:
            lines.append(f"- value set {key}")
        else:
            changes = []
            if before.codelists != after.codelists:
                changes.append(f"codelist {_ids(before.codelists)} -> {_ids(after.codelists)}")
            changes += _code_changes("", before.include, after.include)
            changes += _code_changes("exclude ", before.exclude, after.exclude)
            if before.units != after.units:
                changes.append(f"unit {'/'.join(before.units) or '-'} -> {'/'.join(after.units) or '-'}")
            if before.conversions != after.conversions:
                changes.append("unit conversions changed")
            if changes:
                lines.append(f"~ value set {key}: {'; '.join(changes)}")
    return lines


def _ids(codelists: tuple[str, ...]) -> str:
    return ", ".join(codelists) or "(none)"


def _code_changes(prefix: str, before: tuple[m.CodeRule, ...], after: tuple[m.CodeRule, ...]) -> list[str]:
    old_codes, new_codes = {str(r) for r in before}, {str(r) for r in after}
    added = [f"+{prefix}{code}" for code in sorted(new_codes - old_codes)]
    removed = [f"-{prefix}{code}" for code in sorted(old_codes - new_codes)]
    return [" ".join(added + removed)] if added or removed else []


def _indicator_lines(old: m.Pack, new: m.Pack) -> list[str]:
    lines = []
    before = {i.id: i for i in old.indicators}
    after = {i.id: i for i in new.indicators}
    for indicator_id in sorted(set(before) | set(after)):
        was, now = before.get(indicator_id), after.get(indicator_id)
        if was is None:
            assert now is not None
            lines.append(f"+ indicator {indicator_id}: {now.title.en}")
            counts = "" if now.unit == "patients" else f"counts {now.unit}; "
            lines.append(f"    {counts}population: {describe(now.population)}; hit: {describe(now.hit)}")
        elif now is None:
            lines.append(f"- indicator {indicator_id}: {was.title.en}")
        else:
            lines += [f"~ {indicator_id}: {change}" for change in _indicator_changes(was, now)]
    return lines


def _indicator_changes(was: m.Indicator, now: m.Indicator) -> list[str]:
    changes = []
    if was.kind != now.kind:
        changes.append(f"kind {was.kind} -> {now.kind}")
    if was.unit != now.unit:
        changes.append(f"counts {was.unit} -> {now.unit}")
    if was.title != now.title:
        changes.append(f"title {was.title.en!r} -> {now.title.en!r}")
    if (was.concern, was.supersedes) != (now.concern, now.supersedes):  # what the attention panel shows
        changes.append(f"concern {_concern(was)} -> {_concern(now)}")
    for part in ("population", "hit"):
        old_text, new_text = describe(getattr(was, part)), describe(getattr(now, part))
        if old_text != new_text:
            changes.append(f"{part}: {old_text} -> {new_text}")
        elif _texts(getattr(was, part)) != _texts(getattr(now, part)):
            changes.append(f"{part}: labels or evidence texts changed")
    for name in sorted(set(was.parameters) | set(now.parameters)):
        p, q = was.parameters.get(name), now.parameters.get(name)
        if p != q:
            changes.append(f"parameter {name}: {_parameter(p)} -> {_parameter(q)}")
    if was.source != now.source:
        changes.append("sources changed")
    return changes


def _concern(indicator: m.Indicator) -> str:
    supersedes = f" (supersedes {', '.join(indicator.supersedes)})" if indicator.supersedes else ""
    return f"{indicator.concern or '-'}{supersedes}"


def _texts(criterion: m.Criterion) -> list[tuple[str | None, str | None]]:
    """The labels and evidence templates of a rule's criteria (value sets are compared on their own)."""
    if isinstance(criterion, m.AllOf | m.AnyOf):
        return [text for item in criterion.items for text in _texts(item)]
    if isinstance(criterion, m.Not):
        return _texts(criterion.item)
    return [(getattr(criterion, "label", None), getattr(criterion, "evidence", None))]


def _parameter(parameter: m.Parameter | None) -> str:
    if parameter is None:
        return "(none)"
    return f"default {parameter.default:g} (range {parameter.minimum:g}-{parameter.maximum:g})"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
