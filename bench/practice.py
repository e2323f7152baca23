"""The 50,000-patient demo practice that every benchmark runs on, built once per ``make bench``.

The NDJSON is generated once and cached in bench/out/ (gitignored). The encrypted store is imported once
per process (its key lives in the keyring session ``make bench`` starts privately and throws away) and
shared by all the benchmarks of that run; the generation and import times are figures in their own right.
"""

import atexit
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Final

from cockpit.demo.generator import GENERATOR_VERSION, generate_practice
from cockpit.fhir.importer import import_path
from cockpit.security.keys import KeyStore
from cockpit.store import Store, open_store

OUT: Final = Path(__file__).resolve().parent / "out"
PATIENTS: Final = 50_000
SEED: Final = 2018
AS_OF: Final = date(2026, 6, 1)

_stores: dict[int, Store] = {}
# "sqlcipher" (the embedded store) or "postgres" (the practice server's): `python -m bench --postgres`.
BACKEND = "sqlcipher"


def demo_files(patients: int = PATIENTS) -> Path:
    """The cached NDJSON of the demo practice (generated, and timed, when missing)."""
    # The generator's version is in the name: a practice cached by an older generator is not reused.
    folder = OUT / f"demo-practice-{patients}-{SEED}-{AS_OF.isoformat()}-v{GENERATOR_VERSION}"
    if not (folder / "manifest.json").exists():
        started = time.perf_counter()
        summary = generate_practice(folder, patients=patients, seed=SEED, as_of=AS_OF)
        seconds = time.perf_counter() - started
        print(
            f"  generated a demo practice of {patients:,} patients ({summary.total:,} resources) "
            f"in {seconds:.1f} s"
        )
    return folder


def demo_store(patients: int = PATIENTS) -> Store:
    """An encrypted store holding the demo practice, imported once per process."""
    store = _stores.get(patients)
    if store is None:
        files = demo_files(patients)
        keys = KeyStore()
        home = Path(tempfile.mkdtemp(prefix="cockpit-bench-"))
        if BACKEND == "postgres":
            from bench.postgres import connect_home  # noqa: PLC0415

            connect_home(home / "home", keys)
        store = open_store(home / "home", keys)
        summary = import_path(store, files, today=AS_OF)
        rate = summary.read / summary.seconds
        print(f"  imported {summary.read:,} resources in {summary.seconds:.1f} s ({rate:,.0f} resources/s)")
        _stores[patients] = store
        atexit.register(_discard, store, keys)
    return store


def _discard(store: Store, keys: KeyStore) -> None:
    store.close()
    if not store.on_server:
        keys.delete(store.meta.store_id)
    import shutil  # noqa: PLC0415

    shutil.rmtree(store.paths.home.parent, ignore_errors=True)
