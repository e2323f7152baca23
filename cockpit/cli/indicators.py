"""CLI commands ``indicators``, ``risk`` and ``packs``. Handlers get ``args.home`` and return the exit
code; errors are CockpitErrors with a one-line message. Only ``risk`` prints CPR numbers and names: on
stdout, which is its purpose."""

import argparse
import csv
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cockpit.cli.output import print_json, stdout_destination
from cockpit.cli.session import opened, sign_in, signed_in
from cockpit.codelists.loader import codelist
from cockpit.indicators.describe import codelist_ids, describe
from cockpit.indicators.engine import IndicatorResult, evaluate, evaluate_many
from cockpit.indicators.errors import ChoiceError
from cockpit.indicators.importing import install, preview_import
from cockpit.indicators.model import Indicator, ValueSet
from cockpit.indicators.packformat import read_pack_text, with_checksum
from cockpit.indicators.quality import assess
from cockpit.indicators.quality import describe as describe_warning
from cockpit.indicators.registry import PackRegistry
from cockpit.indicators.selection import PracticeChoice
from cockpit.models.audit import AuditAction
from cockpit.privacy.audit.chain import append_entry
from cockpit.privacy.identity import Permission
from cockpit.store.paths import StorePaths
from cockpit.store.transactions import immediate_connection

# --- indicators and risk ------------------------------------------------------------------------------


def cmd_indicators(args: argparse.Namespace) -> int:
    registry, choice = _installed(args.home)
    chosen = [i for i in registry.indicators() if args.all or choice.is_active(i)]
    results: dict[str, IndicatorResult] = {}
    if not args.no_counts:
        with signed_in(args) as (store, _):  # aggregate figures only, but once users exist everyone signs in
            thresholds = {i.id: choice.thresholds_for(i) for i in chosen}
            evaluated = evaluate_many(
                store, chosen, args.as_of or date.today(), thresholds=thresholds, with_evidence=False
            )
        results = {result.indicator_id: result for result in evaluated}
    if args.json:
        print_json([_indicator_json(i, choice, results.get(i.id)) for i in chosen])
        return 0
    for indicator in chosen:
        result = results.get(indicator.id)
        counts = ""
        if result is not None:
            share = f"{result.share:4.0%}" if result.share is not None else "   -"
            counts = f"{result.counted:>7,} {result.found:>6,} {share}  "
            if result.prescriptions is not None:
                counts += "(prescriptions) "
        state = "" if choice.is_active(indicator) else "  (not chosen)"
        print(f"{indicator.id:<26} {indicator.kind:<12} {counts}{indicator.title.da}{state}")
    print(f"{len(chosen)} indicators" + (" (population, hits, share)" if results else ""), file=sys.stderr)
    return 0


def cmd_risk(args: argparse.Namespace) -> int:
    registry, choice = _installed(args.home)
    indicator = registry.indicator(args.indicator)
    if not choice.is_active(indicator):
        print(f"cockpit: note: {indicator.id} is not among the practice's chosen indicators", file=sys.stderr)
    with signed_in(args, Permission.VIEW_RISK_LISTS) as (store, actor), immediate_connection(store) as conn:
        as_of, thresholds = args.as_of or date.today(), choice.thresholds_for(indicator)
        result = evaluate(conn, indicator, as_of, thresholds=thresholds)
        quality = assess(conn, indicator, as_of, thresholds=thresholds, known=registry.value_sets())
        # --csv/--json are exports (recorded before the data is written); the plain text, a list shown.
        exported = args.json or args.csv
        append_entry(
            conn,
            user=actor.user,
            role=None if actor.role is None else str(actor.role),
            workstation=actor.workstation,
            action=(
                AuditAction.EXPORT_JSON
                if args.json
                else AuditAction.EXPORT_CSV
                if args.csv
                else AuditAction.LIST_SHOW
            ),
            list_ref=indicator.id,
            patient_count=len(result.hits),
            destination=stdout_destination() if exported else None,
        )
    warnings = [describe_warning(warning, "da") for warning in quality.warnings]
    if args.json:
        print_json({**result.as_json(), "data_quality": quality.as_json()})
    elif args.csv:
        for warning in warnings:
            print(f"cockpit: data quality: {warning}", file=sys.stderr)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["patient_id", "cpr", "name", "evidence"])
        for hit in result.hits:
            writer.writerow([hit.patient_id, hit.cpr or "", hit.name, " | ".join(hit.evidence)])
    else:
        print(f"{indicator.id}: {indicator.title.da}")
        patients = f"{len(result.hits):,} of {result.population:,} patients"
        if result.prescriptions is not None:
            counts = result.prescriptions
            patients = f"{counts.found:,} of {counts.counted:,} prescriptions; {patients} listed"
        print(f"{result.as_of.isoformat()}: {patients}")
        for warning in warnings:
            print(f"Datakvalitet: {warning}")
        for hit in result.hits:
            print(f"{hit.patient_id:>8}  {hit.cpr or '-':<10}  {hit.name}")
            for line in hit.evidence:
                print(f"{'':>10}{line}")
    return 0


# --- packs ----------------------------------------------------------------------------------------------


def cmd_packs_list(args: argparse.Namespace) -> int:
    registry, choice = _installed(args.home)
    rows: list[dict[str, Any]] = []
    for installed in registry.packs.values():
        pack = installed.pack
        rows.append(
            {
                "id": pack.id,
                "version": pack.version,
                "origin": installed.origin,
                "active": choice.packs.get(pack.id, True),
                "title": {"da": pack.title.da, "en": pack.title.en},
                "checksum": pack.content_checksum,
                "value_sets": {key: _value_set_json(v) for key, v in pack.value_sets.items()},
                "indicators": [_indicator_json(i, choice, None) for i in pack.indicators],
            }
        )
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        state = "active" if row["active"] else "off"
        what = f"{len(row['indicators']):>2} indicators  {row['title']['da']}"
        print(f"{row['id']:<14} {row['version']:<8} {row['origin']:<9} {state:<7} {what}")
    return 0


def cmd_packs_import(args: argparse.Namespace) -> int:
    _require_settings(args)
    preview = preview_import(args.home, args.file, args.sha256)
    for line in preview.diff:
        print(line)
    if preview.unchanged:
        return 0
    pack = preview.pack
    if not args.yes and not _confirm(f"Install and enable pack {pack.id} version {pack.version}?"):
        print("Nothing was installed; run again with --yes (or answer y) to install it.", file=sys.stderr)
        return 0
    target = install(args.home, preview)
    print(f"Installed pack {pack.id} version {pack.version} in {target} and enabled it.")
    return 0


def cmd_packs_choose(args: argparse.Namespace) -> int:
    _require_settings(args)
    registry, choice = _installed(args.home)
    for wanted in args.ids:
        if wanted in registry.packs:
            choice.packs[wanted] = args.active
            continue
        indicator = registry.indicator(wanted)
        choice.indicators[indicator.id] = args.active
        if args.active and not choice.packs.get(indicator.pack_id, True):
            print(
                f"cockpit: note: {indicator.id} stays off until pack {indicator.pack_id} is enabled",
                file=sys.stderr,
            )
    choice.save(args.home)
    return 0


def cmd_packs_threshold(args: argparse.Namespace) -> int:
    _require_settings(args)
    registry, choice = _installed(args.home)
    indicator = registry.indicator(args.indicator)
    if args.reset:
        choice.reset_threshold(indicator, args.name)
    elif args.value is None:
        raise ChoiceError("give the new value, or --reset for the pack's default")
    else:
        choice.set_threshold(indicator, args.name, args.value)
    choice.save(args.home)
    value = indicator.thresholds(choice.thresholds_for(indicator)).get(args.name)
    print(
        f"{indicator.id}: {args.name} = {value:g}"
        if value is not None
        else f"{indicator.id}: {args.name} reset"
    )
    return 0


def cmd_packs_checksum(args: argparse.Namespace) -> int:
    updated, checksum = with_checksum(read_pack_text(args.file), args.file)
    if args.write:
        args.file.write_text(updated, encoding="utf-8")
    print(checksum)
    return 0


# --- helpers --------------------------------------------------------------------------------------------


def _installed(home: Path) -> tuple[PackRegistry, PracticeChoice]:
    registry = PackRegistry.load(home)
    choice = PracticeChoice.load(home)
    for problem in registry.problems:
        print(f"cockpit: warning: {problem}", file=sys.stderr)
    for indicator in registry.indicators():
        for problem in choice.problems(indicator):
            print(f"cockpit: warning: {problem}", file=sys.stderr)
    return registry, choice


def _value_set_json(value_set: ValueSet) -> dict[str, Any]:
    """Which codelists a value set references and the codes it matches (``*``: by prefix)."""
    data: dict[str, Any] = {
        "codelists": list(value_set.codelists),
        "codes": [str(rule) for rule in value_set.include],
    }
    if value_set.exclude:
        data["exclude"] = [str(rule) for rule in value_set.exclude]
    return data


def _indicator_json(
    indicator: Indicator, choice: PracticeChoice, result: IndicatorResult | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": indicator.id,
        "pack": indicator.pack_id,
        "kind": indicator.kind,
        "title": {"da": indicator.title.da, "en": indicator.title.en},
        "unit": indicator.unit,
        "active": choice.is_active(indicator),
        "population_rule": describe(indicator.population),
        "hit_rule": describe(indicator.hit),
        "thresholds": indicator.thresholds(choice.thresholds_for(indicator)),
        "parameters": {
            name: {"default": p.default, "min": p.minimum, "max": p.maximum, "unit": p.unit}
            for name, p in indicator.parameters.items()
        },
        "source": list(indicator.source),
        "verified": indicator.verified,
        "codelists": [{"id": i, "version": codelist(i).version} for i in codelist_ids(indicator)],
    }
    if result is not None:
        data |= {"as_of": result.as_of.isoformat(), "population": result.population, "hits": len(result.hits)}
        if result.prescriptions is not None:
            data["prescriptions"] = result.prescriptions.as_json()
    return data


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "j", "ja")
    except EOFError:
        return False


def _require_settings(args: argparse.Namespace) -> None:
    """The practice's choice of packs and thresholds is a setting: once users exist, only a role that
    manages settings changes it. Without a store there are no users yet (single-user mode)."""
    if not StorePaths(args.home).db.exists():
        return
    with opened(args) as store:
        sign_in(args, store, Permission.MANAGE_SETTINGS)
