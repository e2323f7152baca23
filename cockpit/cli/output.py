"""What the CLI commands write on standard output, and where it goes (for the data-out ledger)."""

import os
import sys
from typing import Any

import orjson


def print_json(data: Any) -> None:
    """``data`` as indented JSON on standard output (UTF-8, whatever the locale)."""
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def stdout_destination() -> str:
    """Where standard output goes, for the data-out ledger: the file it was redirected to if the system
    can tell (Linux), else "terminal", "pipe" or "stdout"."""
    try:
        target = os.readlink(f"/proc/self/fd/{sys.stdout.fileno()}")
    except (OSError, ValueError):
        return "stdout"
    if target.startswith("/") and not target.startswith("/dev/"):
        return target
    return "terminal" if sys.stdout.isatty() else "pipe" if target.startswith("pipe:") else "stdout"
