"""The sekmet FHIR server as a test peer (tools/fhir-server): started on 127.0.0.1, one per data dir.

Loading the Synthea set takes ~25 s, so the loaded database is built once and cached under .peer/cache
(keyed by the server's pin and the data files); a test that edits data gets its own server on a copy of it
(copying and starting take well under a second)."""

import hashlib
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO

TOOL = REPO / "tools" / "fhir-server"
CACHE = REPO / ".peer" / "cache"


class PeerUnavailableError(Exception):
    pass


def install() -> None:
    done = subprocess.run([str(TOOL), "install"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PeerUnavailableError(done.stderr.strip().splitlines()[-1] if done.stderr else "install failed")


@contextmanager
def running_server(directory: Path, load: Path | None = None) -> Iterator[str]:
    """A sekmet server on the data in ``directory`` (settings and data written there); yields its base URL."""
    command = [str(TOOL), "serve", "--dir", str(directory)]
    if load is not None:
        command += ["--load", str(load)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("ready "):
            raise PeerUnavailableError(f"the FHIR server did not start (see {directory}/server.log)")
        yield line.removeprefix("ready ")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def loaded_data(data: Path) -> Path:
    """A directory holding a sekmet database with ``data`` loaded (built once, then cached)."""
    files = sorted(p for p in data.iterdir() if p.is_file())
    key = hashlib.sha256(
        "".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns};" for p in files).encode()
        + TOOL.read_bytes()
    ).hexdigest()[:16]
    target = CACHE / f"{data.name}-{key}"
    if (target / "data" / "sekmet.db").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE))
    with running_server(building, load=data):
        pass  # loaded before "ready"; stopping it folds the WAL into the database
    shutil.rmtree(building / "data" / "bulk", ignore_errors=True)
    try:
        building.rename(target)
    except OSError:  # another test session built it at the same time: use theirs
        shutil.rmtree(building, ignore_errors=True)
        if not (target / "data" / "sekmet.db").exists():
            raise
    return target


def copy_of(loaded: Path, into: Path) -> Path:
    """A private copy of a loaded server's data (the database and its WAL), for a server that edits it."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copytree(loaded / "data", into / "data", ignore=shutil.ignore_patterns("bulk", "*.log"))
    return into
