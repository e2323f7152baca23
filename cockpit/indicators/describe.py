"""Criteria as one line of text, for pack diffs and listings: ``all(age ≥ 18, condition t2d)``."""

from cockpit.indicators import model as m


def describe(criterion: m.Criterion) -> str:
    if isinstance(criterion, m.AllOf):
        return "all(" + ", ".join(describe(item) for item in criterion.items) + ")"
    if isinstance(criterion, m.AnyOf):
        return "any(" + ", ".join(describe(item) for item in criterion.items) + ")"
    if isinstance(criterion, m.Not):
        return "not " + describe(criterion.item)
    if isinstance(criterion, m.Everyone):
        return "everyone"
    if isinstance(criterion, m.Sex):
        return f"sex {criterion.sex}"
    if isinstance(criterion, m.Age):
        parts = []
        if criterion.min is not None:
            parts.append(f"age ≥ {number(criterion.min)}")
        if criterion.max is not None:
            parts.append(f"age ≤ {number(criterion.max)}")
        return " and ".join(parts)
    if isinstance(criterion, m.ActiveCondition):
        return f"condition {criterion.value_set.key}"
    if isinstance(criterion, m.MedicationIn):
        text = f"medication {criterion.value_set.key}"
        if criterion.window is not None:
            text += f" started within {window(criterion.window)}"
        if criterion.active_for is not None:
            text += f" active for ≥ {window(criterion.active_for)}"
        if criterion.near_condition is not None:
            near = criterion.near_condition
            text += f" within {number(near.days)} days of condition {near.value_set.key}"
        return text
    if isinstance(criterion, m.DistinctMedications):
        return f"≥ {number(criterion.min)} distinct ATC level-{criterion.level} drugs"
    if isinstance(criterion, m.ObservationIn):
        text = f"observation {criterion.value_set.key}{' with a value' if criterion.numeric else ''}"
        text += f" within {window(criterion.window)}"
        if criterion.comparison is not None:
            text += f", latest {criterion.comparison.op} {number(criterion.comparison.value)}"
        if criterion.target is not None:
            rules = "; ".join(target_rule(rule) for rule in criterion.target.rules)
            text += f", latest not meeting target {criterion.target.measure} ({rules})"
        if criterion.repeated is not None:
            rep = criterion.repeated
            text += (
                f", ≥ {number(rep.min)} values {rep.comparison.op} {number(rep.comparison.value)}"
                f" at least {window(rep.apart)} apart"
            )
        return text
    classes = "/".join(criterion.classes)
    if isinstance(criterion, m.StayCount):
        kind = f"{'acute ' if criterion.acute else ''}{classes} "
        kind += "readmissions" if criterion.readmission_days is not None else "stays"
        text = f"≥ {number(criterion.min)} {kind}"
        if criterion.readmission_days is not None:
            text += f" ≤ {number(criterion.readmission_days)} days after a stay"
        merged = f"merged ≤ {number(criterion.merge_days)} days"
        return f"{text} starting within {window(criterion.window)} ({merged})"
    return f"≥ {number(criterion.min)} {classes} encounters within {window(criterion.window)}"


def target_rule(rule: m.TargetRule) -> str:
    """ "age ≥ 80, condition hypertension/t2d: < 145": when the rule applies, then its target."""
    when = []
    if rule.min_age is not None:
        when.append(f"age ≥ {rule.min_age}")
    if rule.max_age is not None:
        when.append(f"age ≤ {rule.max_age}")
    if rule.conditions:
        when.append("condition " + "/".join(value_set.key for value_set in rule.conditions))
    return f"{', '.join(when) or 'otherwise'}: {rule.sign} {rule.limit:g}"


def number(value: m.Number) -> str:
    if isinstance(value, m.Param):
        return f"${value.name}"
    return f"{value:g}"


def window(value: m.Window) -> str:
    if value.months is not None:
        return f"{number(value.months)} months"
    assert value.days is not None
    return f"{number(value.days)} days"


def codelist_ids(indicator: m.Indicator) -> list[str]:
    """The codelists (docs/codelists.md) whose codes the indicator's criteria read, sorted."""
    found: set[str] = set()

    def walk(criterion: m.Criterion) -> None:
        if isinstance(criterion, m.AllOf | m.AnyOf):
            for item in criterion.items:
                walk(item)
        elif isinstance(criterion, m.Not):
            walk(criterion.item)
        elif isinstance(criterion, m.ActiveCondition | m.MedicationIn | m.ObservationIn):
            found.update(criterion.value_set.codelists)
            if isinstance(criterion, m.ObservationIn) and criterion.target is not None:
                rules = criterion.target.rules
                found.update(c for rule in rules for vs in rule.conditions for c in vs.codelists)

    walk(indicator.population)
    walk(indicator.hit)
    return sorted(found)


def markdown_table(pack: m.Pack) -> str:
    """The pack's heading and table in docs/indicators.md "Built-in indicators" (a test keeps the doc equal
    to what the packs say): each indicator's definition, source, whether it is verified and when its
    definition was last reviewed, and what the list cannot know (the indicator's note)."""
    rows = [
        f"**{pack.title.en}** (`{pack.id}`, version {pack.version})",
        "",
        "| Indicator | Kind | Population | Hit | Source | Verified | Reviewed | Known limits |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for indicator in pack.indicators:
        kind = indicator.kind + (" (prescriptions)" if indicator.unit == "prescriptions" else "")
        cells = [
            f"`{indicator.id}` {indicator.title.en}",
            kind,
            describe(indicator.population),
            describe(indicator.hit),
            "<br>".join(indicator.source),
            "yes" if indicator.verified else "no",
            indicator.reviewed.isoformat() if indicator.reviewed else "-",
            " ".join((indicator.note or "-").split()),
        ]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"
