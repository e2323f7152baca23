"""From schema-valid pack data to the model, with the checks a schema cannot express: references to
value sets and parameters, code formats per system, evidence templates, parameter ranges and fixtures
that name real patients and indicators. Every problem names its file, line and field."""

import math
from datetime import date, datetime
from typing import Any, Final

from cockpit.codelists import loader as codelists
from cockpit.codelists.units import same_unit
from cockpit.indicators import model as m
from cockpit.indicators.buildcriteria import CriteriaBuilder, strings
from cockpit.indicators.errors import PackInvalidError, Problem
from cockpit.indicators.prescriptions import prescribing_leaf
from cockpit.indicators.yamlsource import Path, SourceDocument

# A code that cannot be in the system is almost always a typo; prefixes are allowed where they match.
CODE_FORMATS: Final = codelists.CODE_FORMATS
MAX_PROBLEMS: Final = 20


def build_pack(document: SourceDocument, content_checksum: str) -> m.Pack:
    builder = _Builder(document)
    pack = builder.pack(content_checksum)
    if builder.problems:
        raise PackInvalidError(builder.problems[:MAX_PROBLEMS])
    return pack


def non_finite_paths(data: Any, path: Path = ()) -> list[Path]:
    """Paths of .inf / .nan numbers, which no JSON Schema type excludes."""
    if isinstance(data, float):
        return [] if math.isfinite(data) else [path]
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in non_finite_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in non_finite_paths(value, (*path, index))]
    return []


class _Builder:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.value_sets: dict[str, m.ValueSet] = {}

    def fail(self, path: Path, detail: str) -> None:
        self.problems.append(self.document.problem(path, detail))

    # -- the pack ---------------------------------------------------------------------------------------

    def pack(self, content_checksum: str) -> m.Pack:
        data: dict[str, Any] = self.document.data
        for key, value in data.get("value_sets", {}).items():
            self.value_sets[key] = self.value_set(key, value, ("value_sets", key))
        indicators: list[m.Indicator] = []
        for index, item in enumerate(data["indicators"]):
            path: Path = ("indicators", index)
            if any(i.id == item["id"] for i in indicators):
                self.fail((*path, "id"), f"indicator id {item['id']} is used twice in this pack")
            indicators.append(self.indicator(data["id"], item, path))
        fixtures = tuple(
            self.fixture(item, ("fixtures", index), indicators)
            for index, item in enumerate(data.get("fixtures", []))
        )
        return m.Pack(
            id=data["id"],
            version=data["version"],
            title=_text(data["title"]),
            topic=data["topic"],
            value_sets=self.value_sets,
            indicators=tuple(indicators),
            fixtures=fixtures,
            checksum=data.get("checksum"),
            content_checksum=content_checksum,
            description=_text(data["description"]) if "description" in data else None,
        )

    # -- value sets -------------------------------------------------------------------------------------

    def value_set(self, key: str, data: dict[str, Any], path: Path) -> m.ValueSet:
        units = strings(data.get("unit"))
        conversions = []
        for index, item in enumerate(data.get("conversions", [])):
            conversion = m.Conversion(
                from_unit=item["from"],
                multiply=float(item.get("multiply", 1.0)),
                add_before=float(item.get("add_before", 0.0)),
                add_after=float(item.get("add_after", 0.0)),
            )
            where = (*path, "conversions", index)
            if not units:
                self.fail(where, "a conversion needs the value set's unit (the unit it converts to)")
            if any(same_unit(conversion.from_unit, unit) for unit in units):
                self.fail((*where, "from"), f"{conversion.from_unit!r} is already the value set's unit")
            if conversion.multiply == 0:
                self.fail((*where, "multiply"), "multiplying by 0 loses the value")
            conversions.append(conversion)
        include: list[m.CodeRule] = []
        exclude: list[m.CodeRule] = []
        referenced = strings(data.get("codelist"))
        for codelist_id in referenced:
            found = self.codelist(codelist_id, (*path, "codelist"))
            if found is not None:
                include += [m.CodeRule(e.system, e.code) for e in found.include]
                exclude += [m.CodeRule(e.system, e.code) for e in found.exclude]
        if len(set(referenced)) != len(referenced):
            self.fail((*path, "codelist"), "a codelist is named twice")
        include += self.code_rules(data.get("codes", []), (*path, "codes"))
        exclude += self.code_rules(data.get("exclude", []), (*path, "exclude"))
        return m.ValueSet(
            key=key,
            title=_text(data["title"]),
            include=tuple(dict.fromkeys(include)),
            exclude=tuple(dict.fromkeys(exclude)),
            units=units,
            conversions=tuple(conversions),
            codelists=referenced,
        )

    def codelist(self, codelist_id: str, path: Path) -> codelists.Codelist | None:
        """A referenced codelist, which comes with the cockpit (not with the pack)."""
        try:
            return codelists.codelist(codelist_id)
        except KeyError:
            self.fail(path, f"this version of the cockpit has no codelist {codelist_id}")
        except codelists.CodelistError as error:
            self.fail(path, f"codelist {codelist_id} cannot be read: {error}")
        return None

    def code_rules(self, entries: list[dict[str, Any]], path: Path) -> tuple[m.CodeRule, ...]:
        rules = []
        for index, entry in enumerate(entries):
            system = entry["system"]
            for code in strings(entry["code"]):
                if CODE_FORMATS[system].fullmatch(code) is None:
                    self.fail((*path, index, "code"), f"{code!r} is not a valid {system} code")
                rules.append(m.CodeRule(system, code))
        return tuple(rules)

    # -- indicators -------------------------------------------------------------------------------------

    def indicator(self, pack_id: str, data: dict[str, Any], path: Path) -> m.Indicator:
        parameters = {
            name: self.parameter(name, value, (*path, "parameters", name))
            for name, value in data.get("parameters", {}).items()
        }
        criteria = CriteriaBuilder(self, parameters)
        population = criteria.build(data["population"], (*path, "population"), present=True, in_hit=False)
        hit = criteria.build(data["hit"], (*path, "hit"), present=True, in_hit=True)
        for name in sorted(set(parameters) - criteria.used):
            self.fail((*path, "parameters", name), "parameter is declared but not used")
        unit = data.get("unit", "patients")
        if unit == "prescriptions":
            self.check_prescription_rules(population, hit, path)
        supersedes = strings(data.get("supersedes"))
        if supersedes and "concern" not in data:
            self.fail((*path, "supersedes"), "supersedes needs a concern (what both indicators are about)")
        if data["id"] in supersedes:
            self.fail((*path, "supersedes"), "an indicator cannot supersede itself")
        if len(set(supersedes)) != len(supersedes):
            self.fail((*path, "supersedes"), "an indicator is named twice")
        return m.Indicator(
            id=data["id"],
            pack_id=pack_id,
            kind=data["kind"],
            title=_text(data["title"]),
            population=population,
            hit=hit,
            source=strings(data["source"]),
            description=_text(data["description"]) if "description" in data else None,
            parameters=parameters,
            verified=data.get("verified", True),
            note=data.get("note"),
            line=self.document.line_of(path),
            unit=unit,
            reviewed=self.reviewed(data.get("reviewed"), (*path, "reviewed")),
            concern=data.get("concern"),
            supersedes=supersedes,
        )

    def reviewed(self, text: str | None, path: Path) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(path, f"{text!r} is not a date")
            return None

    def check_prescription_rules(self, population: m.Criterion, hit: m.Criterion, path: Path) -> None:
        """An indicator of prescriptions counts the rows of one prescribing criterion of its population
        (a ``medication`` with ``within``), and among them those the hit's prescribing criterion finds."""
        if prescribing_leaf(population) is None:
            self.fail(
                (*path, "population"),
                "an indicator of prescriptions needs one medication criterion with within in its population"
                " (alone or in its top-level all)",
            )
        if not (isinstance(hit, m.MedicationIn) and hit.window is not None):
            self.fail(
                (*path, "hit"),
                "an indicator of prescriptions needs a medication criterion with within as its hit",
            )

    def parameter(self, name: str, data: dict[str, Any], path: Path) -> m.Parameter:
        default, low, high = data["default"], data["min"], data["max"]
        integer = bool(data.get("integer", False))
        if not low <= default <= high:
            self.fail(path, f"default {default} is not within min {low} and max {high}")
        if integer and not all(isinstance(v, int) for v in (default, low, high)):
            self.fail(path, "an integer parameter needs whole numbers for default, min and max")
        return m.Parameter(
            name, float(default), float(low), float(high), _text(data["title"]), data.get("unit"), integer
        )

    # -- fixtures ---------------------------------------------------------------------------------------

    def fixture(self, data: dict[str, Any], path: Path, indicators: list[m.Indicator]) -> m.Fixture:
        as_of = self.parse_date(data["as_of"], (*path, "as_of"))
        patients: list[m.FixturePatient] = []
        for index, item in enumerate(data["patients"]):
            where = (*path, "patients", index)
            if any(p.key == item["id"] for p in patients):
                self.fail((*where, "id"), f"patient id {item['id']} is used twice in this fixture")
            patients.append(self.fixture_patient(item, where))
        keys = {p.key for p in patients}
        by_id = {i.id: i for i in indicators}
        expect = {}
        for indicator_id, item in data["expect"].items():
            where = (*path, "expect", indicator_id)
            indicator = by_id.get(indicator_id)
            if indicator is None:
                self.fail(where, f"{indicator_id} is not an indicator of this pack")
                continue
            expect[indicator_id] = self.expectation(item, where, keys, indicator)
        return m.Fixture(data["name"], as_of, tuple(patients), expect, self.document.line_of(path))

    def expectation(
        self, data: dict[str, Any], path: Path, keys: set[str], indicator: m.Indicator
    ) -> m.Expectation:
        for field in ("population", "hits"):
            for index, key in enumerate(data.get(field, [])):
                if key not in keys:
                    self.fail((*path, field, index), f"{key} is not a patient of this fixture")
        hits = frozenset(data["hits"])
        population = frozenset(data["population"]) if "population" in data else None
        if population is not None and not hits <= population:
            self.fail((*path, "hits"), "every hit must also be in the population")
        for key in data.get("evidence", {}):
            if key not in hits:
                self.fail((*path, "evidence", key), f"{key} is not an expected hit")
        thresholds = {}
        for name, value in data.get("thresholds", {}).items():
            parameter = indicator.parameters.get(name)
            if parameter is None:
                self.fail((*path, "thresholds", name), f"{indicator.id} has no parameter {name}")
            elif not parameter.minimum <= value <= parameter.maximum:
                self.fail((*path, "thresholds", name), f"{value} is outside the parameter's range")
            thresholds[name] = float(value)
        evidence = {key: tuple(lines) for key, lines in data.get("evidence", {}).items()}
        prescriptions = None
        if "prescriptions" in data:
            counts = data["prescriptions"]
            prescriptions = (int(counts["population"]), int(counts["hits"]))
            if indicator.unit != "prescriptions":
                self.fail((*path, "prescriptions"), f"{indicator.id} does not count prescriptions")
            elif prescriptions[1] > prescriptions[0]:
                self.fail((*path, "prescriptions"), "more prescriptions found than counted")
        return m.Expectation(population, hits, evidence, thresholds, prescriptions)

    def fixture_patient(self, data: dict[str, Any], path: Path) -> m.FixturePatient:
        records: list[m.FixtureRecord] = []
        for index, item in enumerate(data.get("conditions", [])):
            where = (*path, "conditions", index)
            records.append(
                m.FixtureRecord(
                    "conditions",
                    {
                        "code_system": m.SYSTEMS[item["system"]][0],
                        "code": item["code"],
                        "display": item.get("display", item["code"]),
                        "onset": self.optional_date(item, "onset", where),
                        "abatement": self.optional_date(item, "abatement", where),
                        "clinical_status": item.get("clinical_status"),
                        "verification_status": item.get("verification_status"),
                    },
                )
            )
        for index, item in enumerate(data.get("medications", [])):
            where = (*path, "medications", index)
            records.append(
                m.FixtureRecord(
                    "medications",
                    {
                        "code_system": m.SYSTEMS[item["system"]][0],
                        "code": item["code"],
                        "drug_name": item.get("name", item["code"]),
                        "start": self.optional_date(item, "start", where),
                        "end": self.optional_date(item, "end", where),
                        "status": item.get("status"),
                    },
                )
            )
        for index, item in enumerate(data.get("observations", [])):
            where = (*path, "observations", index)
            records.append(
                m.FixtureRecord(
                    "observations",
                    {
                        "code_system": m.SYSTEMS[item["system"]][0],
                        "code": item["code"],
                        "value_num": float(item["value"]) if "value" in item else None,
                        "unit": item.get("unit"),
                        "effective": self.parse_datetime(item["date"], (*where, "date")),
                        "status": item.get("status"),
                    },
                )
            )
        for index, item in enumerate(data.get("encounters", [])):
            where = (*path, "encounters", index)
            records.append(
                m.FixtureRecord(
                    "encounters",
                    {
                        "encounter_class": item["class"],
                        "start": self.parse_datetime(item["start"], (*where, "start")),
                        "end": self.parse_datetime(item["end"], (*where, "end")) if "end" in item else None,
                        "status": item.get("status"),
                        "priority": item.get("priority"),
                    },
                )
            )
        deceased_date = self.optional_date(data, "deceased_date", path)
        return m.FixturePatient(
            key=data["id"],
            birth_date=self.optional_date(data, "birth_date", path),
            sex=data.get("sex", "unknown"),
            deceased_date=deceased_date,
            deceased=bool(data.get("deceased", False)) or deceased_date is not None,
            records=tuple(records),
        )

    # -- dates ------------------------------------------------------------------------------------------

    def parse_date(self, text: str, path: Path) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(path, f"{text} is not a valid date")
            return date.min

    def optional_date(self, data: dict[str, Any], key: str, path: Path) -> date | None:
        value = data.get(key)
        return None if value is None else self.parse_date(value, (*path, key))

    def parse_datetime(self, text: str, path: Path) -> datetime:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            self.fail(path, f"{text} is not a valid date or time")
            return datetime.min


def _text(data: dict[str, str]) -> m.Text:
    return m.Text(da=data["da"], en=data["en"])
