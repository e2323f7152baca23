"""The installed packs: the built-in ones shipped with the cockpit, and those imported from the cluster
into ``<home>/packs/``. An imported pack replaces the built-in pack of the same id.

An imported pack is checked again every time it is loaded (schema, semantics, checksum). One that fails
(edited by hand, damaged) is not used: the built-in pack of that id, if any, stays in force, and the
problem is reported in ``problems`` instead of stopping the whole cockpit.
"""

import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Final, Literal

from cockpit.indicators.errors import IndicatorNotFoundError, PackError
from cockpit.indicators.model import Indicator, Pack, ValueSet
from cockpit.indicators.packformat import load_pack, parse_pack

log = logging.getLogger(__name__)

PACKS_DIR: Final = "packs"
Origin = Literal["built-in", "imported"]


@dataclass(frozen=True, slots=True)
class InstalledPack:
    pack: Pack
    origin: Origin


@dataclass(slots=True)
class PackRegistry:
    packs: dict[str, InstalledPack] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, home: Path | None) -> "PackRegistry":
        """Built-in packs, then the imported ones in ``home`` (None: built-in only)."""
        registry = cls()
        for pack in builtin_packs():
            registry.packs[pack.id] = InstalledPack(pack, "built-in")
        if home is not None:
            for path in sorted(imported_dir(home).glob("*.yaml")):
                try:
                    pack = load_pack(path, require_checksum=True)
                except PackError as error:
                    log.warning("imported pack %s refused", path.name)
                    registry.problems.append(f"{error}; the pack in {path} is not used")
                    continue
                if path.stem != pack.id:
                    registry.problems.append(f"{path}: holds pack {pack.id}, not {path.stem}; it is not used")
                    continue
                clash = registry.clashes(pack)
                if clash:
                    registry.problems.append(f"{path}: {clash}; it is not used")
                    continue
                registry.packs[pack.id] = InstalledPack(pack, "imported")
        return registry

    def clashes(self, pack: Pack) -> str | None:
        """Why ``pack`` cannot be installed beside the others (an indicator id another pack uses)."""
        others = {
            i.id: p.pack.id for p in self.packs.values() if p.pack.id != pack.id for i in p.pack.indicators
        }
        taken = sorted(i.id for i in pack.indicators if i.id in others)
        if not taken:
            return None
        return f"indicator {taken[0]} is already in pack {others[taken[0]]}" + (
            f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        )

    def indicators(self) -> list[Indicator]:
        return [i for installed in self.packs.values() for i in installed.pack.indicators]

    def value_sets(self) -> list[ValueSet]:
        """Every value set of every installed pack: the codes the cockpit recognises."""
        return [vs for installed in self.packs.values() for vs in installed.pack.value_sets.values()]

    def indicator(self, indicator_id: str) -> Indicator:
        wanted = indicator_id.upper()
        for indicator in self.indicators():
            if indicator.id == wanted:
                return indicator
        raise IndicatorNotFoundError(
            f"There is no indicator {indicator_id}; 'cockpit indicators --all' lists the installed ones."
        )


def imported_dir(home: Path) -> Path:
    return home / PACKS_DIR


def builtin_packs() -> list[Pack]:
    """The packs in cockpit/indicators/packs, in file-name order. Their checksums are optional: they are
    part of the installed program, not something received."""
    folder = resources.files("cockpit.indicators").joinpath("packs")
    packs = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".yaml"):
            packs.append(parse_pack(item.read_text("utf-8"), Path(str(item))))
    return packs
