"""Importing a pack from the cluster: check it, show what changes, install it only when confirmed.

Refused, with nothing changed (the installed version stays in force): a file that is not a valid pack, a
pack without a checksum or whose content does not match it, a pack whose checksum is not the one the
practice was told (``expected_checksum``, from the cluster through another channel), and a pack whose own
fixtures fail. An installed pack is replaced by an atomic rename, so it is never half written.
"""

from dataclasses import dataclass
from pathlib import Path

from cockpit.indicators.diff import pack_diff
from cockpit.indicators.errors import PackError, PackTamperedError
from cockpit.indicators.model import Pack
from cockpit.indicators.packformat import parse_pack, read_pack_text
from cockpit.indicators.registry import InstalledPack, PackRegistry, imported_dir
from cockpit.indicators.selection import PracticeChoice
from cockpit.store.meta import write_atomically


@dataclass(frozen=True, slots=True)
class ImportPreview:
    pack: Pack
    text: str  # exactly what was checked, and what will be installed
    installed: InstalledPack | None
    diff: list[str]

    @property
    def unchanged(self) -> bool:
        return (
            self.installed is not None and self.installed.pack.content_checksum == self.pack.content_checksum
        )


def preview_import(home: Path, file: Path, expected_checksum: str | None = None) -> ImportPreview:
    text = read_pack_text(file)
    pack = parse_pack(text, file, require_checksum=True, run_fixtures=True)
    if expected_checksum is not None:
        wanted = expected_checksum.lower().removeprefix("sha256:")
        if pack.content_checksum != f"sha256:{wanted}":
            raise PackTamperedError(
                f"{file}: the pack's checksum is not the one you were given ({pack.content_checksum} "
                f"instead of sha256:{wanted}); it was refused and nothing was changed"
            )
    registry = PackRegistry.load(home)
    clash = registry.clashes(pack)
    if clash is not None:
        raise PackError(f"{file}: {clash}; indicator ids must be unique. The pack was refused.")
    installed = registry.packs.get(pack.id)
    return ImportPreview(pack, text, installed, pack_diff(installed.pack if installed else None, pack))


def install(home: Path, preview: ImportPreview) -> Path:
    """Install the previewed pack in ``<home>/packs/<id>.yaml`` and make it active."""
    folder = imported_dir(home)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / f"{preview.pack.id}.yaml"
    write_atomically(target, preview.text.encode("utf-8"))
    choice = PracticeChoice.load(home)
    choice.packs[preview.pack.id] = True
    choice.save(home)
    return target
