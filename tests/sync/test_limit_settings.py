"""The deadlines and limits as settings: the defaults `cockpit sync --help` shows are the settings'
defaults, a value given on the command line is saved, a nonsense value is refused; and the line cap that
keeps a long line from ever being held whole, checked byte for byte."""

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import orjson
import pytest

from cockpit.errors import SyncError
from cockpit.fhir.limits import MARKER_KEY, LineCap, marker_reason
from cockpit.sync.options import LIMIT_OPTIONS
from cockpit.sync.settings import LIMIT_NAMES, SyncSettings, load_settings
from tests.conftest import REPO


def test_the_help_shows_the_settings_defaults() -> None:
    defaults = {f.name: f.default for f in fields(SyncSettings)}
    assert [key for _, key, *_ in LIMIT_OPTIONS] == list(LIMIT_NAMES)
    for _, key, _, _, _, shown in LIMIT_OPTIONS:
        assert defaults[key] == shown, key
    done = subprocess.run(
        [sys.executable, "-m", "cockpit", "sync", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    flat = " ".join(done.stdout.split())
    assert "--deadline MINUTES the whole sync's use of the server (default 360)" in flat
    assert "--export-wait MINUTES the longest wait for a bulk export (default 180)" in flat
    assert "--max-line MB the longest NDJSON line (longer: quarantined) (default 8)" in flat


def test_a_limit_given_is_saved_and_nonsense_is_refused(tmp_path: Path, make_store: object) -> None:
    home = tmp_path / "settings"
    make_store("settings")  # type: ignore[operator]
    env = {**os.environ, "COCKPIT_HOME": str(home)}
    command = [sys.executable, "-m", "cockpit", "sync", "--server", "https://fhir.example.invalid/fhir"]
    saved = subprocess.run(
        [*command, "--deadline", "30", "--max-line", "2.5", "--save-only"],
        env=env, cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    settings = load_settings(home)
    assert (settings.deadline_minutes, settings.max_line_mb) == (30, 2.5)
    assert settings.limits().max_line_bytes == int(2.5 * (1 << 20))
    refused = subprocess.run(
        [*command, "--min-rate", "0", "--save-only"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 9
    assert "min_rate_kb_s in the sync settings must be a number above 0 (it is 0.0)" in refused.stderr
    with pytest.raises(SyncError, match="max_pages"):
        SyncSettings(max_pages="many").check()  # type: ignore[arg-type]


def _marker(line: bytes) -> dict[str, object]:
    found = orjson.loads(line)
    assert isinstance(found, dict) and MARKER_KEY in found
    return found


def test_the_line_cap_passes_lines_within_the_limit_and_replaces_longer_ones() -> None:
    cap = LineCap(10)
    out = cap.feed(b'{"a":1}\n0123456789\n{"resourceType":"Patient","id":"p1","name":"')
    assert out == b'{"a":1}\n0123456789\n'  # 10 bytes: within the limit
    assert cap.feed(b"x" * 100) == b""  # the long line is dropped as it comes
    out = cap.feed(b'"}\nshort\nlast')
    first, rest = out.split(b"\n", 1)
    marker = _marker(first)
    assert (marker["resourceType"], marker["id"]) == ("Patient", "p1")
    assert marker_reason(marker) == "a line of 146 bytes is over the limit of 10 bytes"  # 44 + 100 + 2
    assert rest == b"short\n"
    assert cap.finish() == b"last"
    # a long line inside one block, between two short ones
    cap = LineCap(10)
    out = cap.feed(b"ab\n" + b"y" * 30 + b"\ncd\n")
    lines = out.split(b"\n")
    assert (lines[0], lines[2], lines[3]) == (b"ab", b"cd", b"")
    assert marker_reason(_marker(lines[1])) == "a line of 30 bytes is over the limit of 10 bytes"
    # a long last line without its newline
    cap = LineCap(10)
    assert cap.feed(b"z" * 20) == b""
    assert marker_reason(_marker(cap.finish())) == "a line of 20 bytes is over the limit of 10 bytes"


def test_a_marker_from_a_server_shows_no_words_of_its_own() -> None:
    assert marker_reason({MARKER_KEY: "Jensen has diabetes", "size": 1, "limit": 1}) == (
        "an entry the sync could not take"
    )
