"""Building one indicator's criteria from pack data: each criterion kind, its value set, window, target,
repeated values and parameters, with the checks a schema cannot express (cockpit/indicators/build.py
builds the rest of the pack and hands each indicator's criteria to this)."""

from typing import Any, Protocol, cast

from cockpit.codelists import loader as codelists
from cockpit.codelists import targets
from cockpit.codelists.units import same_unit
from cockpit.indicators import model as m
from cockpit.indicators.templates import template_problem
from cockpit.indicators.yamlsource import Path


class PackContext(Protocol):
    """What the criteria need from the pack being built: its value sets, the codelists, and where to
    report a problem."""

    value_sets: dict[str, m.ValueSet]

    def fail(self, path: Path, detail: str) -> None: ...
    def codelist(self, codelist_id: str, path: Path) -> codelists.Codelist | None: ...


class CriteriaBuilder:
    """Builds one indicator's criteria; remembers which parameters they use."""

    def __init__(self, builder: PackContext, parameters: dict[str, m.Parameter]) -> None:
        self.builder = builder
        self.parameters = parameters
        self.used: set[str] = set()

    def build(self, data: dict[str, Any], path: Path, *, present: bool, in_hit: bool) -> m.Criterion:
        ((kind, value),) = data.items()
        where = (*path, kind)
        if kind == "all":
            return m.AllOf(
                tuple(self.build(v, (*where, i), present=present, in_hit=in_hit) for i, v in enumerate(value))
            )
        if kind == "any":
            return m.AnyOf(
                tuple(self.build(v, (*where, i), present=present, in_hit=in_hit) for i, v in enumerate(value))
            )
        if kind == "not":
            return m.Not(self.build(value, where, present=not present, in_hit=in_hit))
        if kind == "sex":
            return m.Sex(value)
        if kind == "everyone":
            return m.Everyone()
        if kind == "age":
            low = self.number(value["min"], (*where, "min"), integer=True) if "min" in value else None
            high = self.number(value["max"], (*where, "max"), integer=True) if "max" in value else None
            if isinstance(low, float) and isinstance(high, float) and low > high:
                self.builder.fail(where, "min is above max")
            return m.Age(low, high)
        if kind in ("condition", "medication"):
            spec: dict[str, Any] = {"value_set": value} if isinstance(value, str) else value
            value_set = self.value_set(spec["value_set"], where)
            evidence = self.evidence(spec, where, kind, present)
            label = spec.get("label", value_set.title.da)
            if kind == "condition":
                return m.ActiveCondition(value_set, label, evidence)
            window = self.window(spec["within"], (*where, "within")) if "within" in spec else None
            active_for = (
                self.window(spec["active_for"], (*where, "active_for")) if "active_for" in spec else None
            )
            if window is not None and active_for is not None:
                self.builder.fail(where, "within (prescribed in a window) and active_for exclude each other")
            near = None
            if "near_condition" in spec:
                near_spec = spec["near_condition"]
                near_path = (*where, "near_condition")
                near = m.NearCondition(
                    self.value_set(near_spec["value_set"], near_path),
                    self.number(near_spec["days"], (*near_path, "days"), integer=True),
                )
            return m.MedicationIn(value_set, label, evidence, window, active_for, near)
        if kind == "distinct_medications":
            minimum = self.number(value["min"], (*where, "min"), integer=True)
            return m.DistinctMedications(
                minimum,
                value.get("level", 5),
                value.get("label", "lægemidler"),
                self.evidence(value, where, kind, present),
            )
        if kind == "observation":
            value_set = self.value_set(value["value_set"], where)
            comparison = None
            target = None
            if "latest" in value:
                latest = value["latest"]
                if not value_set.units:
                    self.builder.fail(
                        (*where, "latest"),
                        f"value set {value_set.key} has no unit, so values cannot be compared",
                    )
                if "target" in latest:
                    target = self.target(latest["target"], (*where, "latest", "target"), value_set)
                else:
                    op = cast(m.Comparator, latest["op"])
                    comparison = m.Comparison(op, self.number(latest["value"], (*where, "latest", "value")))
            repeated = None
            if "repeated" in value:
                repeated = self.repeated(value["repeated"], (*where, "repeated"), value_set)
                if "latest" in value:
                    self.builder.fail(where, "latest and repeated exclude each other")
            return m.ObservationIn(
                value_set,
                self.window(value["within"], (*where, "within")),
                comparison,
                value.get("label", value_set.title.da),
                self.evidence(value, where, "observation_repeated" if repeated else kind, present),
                numeric=bool(value.get("numeric", False)),
                repeated=repeated,
                target=target,
            )
        if kind == "stays":
            return m.StayCount(
                strings(value["class"]),
                self.window(value["within"], (*where, "within")),
                self.number(value["min"], (*where, "min"), integer=True),
                bool(value.get("acute", False)),
                self.days(value.get("merge_within", {"days": 1}), (*where, "merge_within"), least=0),
                value.get("label", "ophold"),
                self.days(value["readmission_within"], (*where, "readmission_within"), least=1)
                if "readmission_within" in value
                else None,
                self.evidence(value, where, kind, present),
            )
        # encounters (the schema allows no other key)
        classes = strings(value["class"])
        return m.EncounterCount(
            classes,
            self.window(value["within"], (*where, "within")),
            self.number(value["min"], (*where, "min"), integer=True),
            value.get("label", "kontakter"),
            self.evidence(value, where, kind, present),
        )

    def target(self, measure_id: str, path: Path, value_set: m.ValueSet) -> m.Target | None:
        """The measure's rules from the targets file (which comes with the cockpit, like the codelists),
        their condition codelists as value sets."""
        try:
            measure = targets.measure(measure_id)
        except KeyError:
            self.builder.fail(path, f"this version of the cockpit has no target for {measure_id}")
            return None
        except (targets.TargetError, codelists.CodelistError) as error:
            self.builder.fail(path, f"the targets file cannot be read: {error}")
            return None
        if value_set.units and not any(same_unit(measure.unit, unit) for unit in value_set.units):
            units = ", ".join(value_set.units)
            self.builder.fail(path, f"the targets for {measure_id} are in {measure.unit}, not in {units}")
        rules = []
        for rule in measure.rules:
            conditions = []
            for codelist_id in rule.conditions:
                found = self.builder.codelist(codelist_id, path)
                if found is not None:
                    conditions.append(condition_value_set(found))
            rules.append(
                m.TargetRule(
                    rule.limit,
                    rule.comparison == "below",
                    m.Text(rule.reason.da, rule.reason.en),
                    rule.min_age,
                    rule.max_age,
                    tuple(conditions),
                )
            )
        return m.Target(measure_id, tuple(rules))

    def repeated(self, data: dict[str, Any], path: Path, value_set: m.ValueSet) -> m.Repeated:
        if not value_set.units:
            self.builder.fail(path, f"value set {value_set.key} has no unit, so values cannot be compared")
        minimum = self.number(data["min"], (*path, "min"), integer=True)
        if isinstance(minimum, float) and minimum < 2:
            self.builder.fail((*path, "min"), "a repeated value needs at least 2 values")
        comparison = m.Comparison(
            cast(m.Comparator, data["op"]), self.number(data["value"], (*path, "value"))
        )
        return m.Repeated(minimum, comparison, self.window(data["apart"], (*path, "apart")))

    def value_set(self, key: str, path: Path) -> m.ValueSet:
        value_set = self.builder.value_sets.get(key)
        if value_set is None:
            self.builder.fail(path, f"value set {key} is not defined in this pack")
            return m.ValueSet(key, m.Text(key, key), ())
        return value_set

    def evidence(self, spec: dict[str, Any], path: Path, kind: str, present: bool) -> str | None:
        template = spec.get("evidence")
        if template is not None:
            problem = template_problem(template, kind, present)
            if problem is not None:
                self.builder.fail((*path, "evidence"), problem)
        return cast(str | None, template)

    def window(self, data: dict[str, Any], path: Path) -> m.Window:
        ((unit, value),) = data.items()
        number = self.number(value, (*path, unit), integer=True)
        if isinstance(number, float) and number < 1:
            self.builder.fail((*path, unit), "a look-back window is at least 1")
        return m.Window(months=number) if unit == "months" else m.Window(days=number)

    def days(self, data: dict[str, Any], path: Path, *, least: int) -> m.Number:
        number = self.number(data["days"], (*path, "days"), integer=True)
        if isinstance(number, float) and number < least:
            self.builder.fail((*path, "days"), f"must be at least {least}")
        return number

    def number(self, value: Any, path: Path, *, integer: bool = False) -> m.Number:
        if isinstance(value, str):
            name = value[1:]
            parameter = self.parameters.get(name)
            if parameter is None:
                self.builder.fail(path, f"{value} is not a parameter of this indicator")
                return m.Param(name)
            if integer and not parameter.integer:
                self.builder.fail(path, f"{value} is used as a whole number; declare it with integer: true")
            self.used.add(name)
            return m.Param(name)
        return float(value)


def condition_value_set(found: codelists.Codelist) -> m.ValueSet:
    """A codelist as a value set of its own (a target rule's condition), keyed by the codelist's id."""
    return m.ValueSet(
        key=found.id,
        title=m.Text(found.title.da, found.title.en),
        include=tuple(dict.fromkeys(m.CodeRule(e.system, e.code) for e in found.include)),
        exclude=tuple(dict.fromkeys(m.CodeRule(e.system, e.code) for e in found.exclude)),
        codelists=(found.id,),
    )


def strings(value: str | list[str] | None) -> tuple[str, ...]:
    """A pack field that takes one string or a list of them, as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
