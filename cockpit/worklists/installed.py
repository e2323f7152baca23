"""The installed indicators and the practice's choice, read once per store home and again only when an
imported pack or the choice changed (creating a list and every re-evaluation need them).
"""

import hashlib
import threading
from pathlib import Path
from typing import Final

from cockpit.indicators.registry import PackRegistry, imported_dir
from cockpit.indicators.selection import CHOICE_FILE, PracticeChoice
from cockpit.indicators.service import IndicatorService
from cockpit.store import Store

# The installed indicators and the practice's choice, per store home, with the digest of the files they
# were read from. Parsing the built-in YAML packs takes most of a second, and every import and sync
# re-evaluates the lists (inside its write transaction): they are read again only when an imported pack or
# the practice's choice changed. A few homes at most (one per store a process has open).
_INSTALLED: dict[str, tuple[tuple[tuple[str, str], ...], PackRegistry, PracticeChoice]] = {}
_INSTALLED_HOMES: Final = 4
_INSTALLED_LOCK: Final = threading.Lock()


def installed_indicators(store: Store, given: IndicatorService | None) -> tuple[PackRegistry, PracticeChoice]:
    """The indicators installed for ``store``'s home and the practice's choice (``given``: those of a
    service already loaded)."""
    if given is not None:
        return given.registry, given.choice
    home = store.paths.home
    signature = _pack_files(home)
    with _INSTALLED_LOCK:
        cached = _INSTALLED.get(str(home))
        if cached is None or cached[0] != signature:
            cached = (signature, PackRegistry.load(home), PracticeChoice.load(home))
            _INSTALLED.pop(str(home), None)
            while len(_INSTALLED) >= _INSTALLED_HOMES:
                _INSTALLED.pop(next(iter(_INSTALLED)))
            _INSTALLED[str(home)] = cached
    return cached[1], cached[2]


def _pack_files(home: Path) -> tuple[tuple[str, str], ...]:
    """Name and content digest of each file the installed indicators are read from besides the built-in
    packs (which are part of the program): reading and hashing them is cheap, parsing is not."""
    files = [*sorted(imported_dir(home).glob("*.yaml")), home / CHOICE_FILE]
    found = []
    for path in files:
        try:
            found.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
        except FileNotFoundError:
            continue
    return tuple(found)
