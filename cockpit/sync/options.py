"""The sync's deadlines and limits as command-line options (``cockpit sync --help`` lists them with their
defaults). Only the standard library: the CLI's parser is built on every start. The defaults are those of
``SyncSettings`` (a test holds the two to each other); a value given is saved in sync.json."""

import argparse
from typing import Any, Final

# (option, key in sync.json, type, metavar, what it bounds, default)
LIMIT_OPTIONS: Final[tuple[tuple[str, str, type, str, str, float], ...]] = (
    ("--deadline", "deadline_minutes", float, "MINUTES", "the whole sync's use of the server", 360),
    ("--export-wait", "export_wait_minutes", float, "MINUTES", "the longest wait for a bulk export", 180),
    ("--min-rate", "min_rate_kb_s", float, "KB/S", "the slowest average rate of a download", 2),
    ("--stall-grace", "stall_grace_seconds", float, "SECONDS", "how long a download may start slower", 60),
    ("--read-timeout", "read_timeout_seconds", float, "SECONDS", "the longest silence within an answer", 60),
    ("--max-line", "max_line_mb", float, "MB", "the longest NDJSON line (longer: quarantined)", 8),
    ("--max-resource", "max_resource_mb", float, "MB", "the largest resource (larger: quarantined)", 8),
    ("--max-string", "max_string_chars", int, "CHARS", "the longest string (longer: quarantined)", 1 << 20),
    ("--max-per-patient", "max_resources_per_patient", int, "N", "resources per patient in a sync", 250_000),
    ("--max-page", "max_page_mb", float, "MB", "the largest search or history page", 32),
    ("--max-pages", "max_pages", int, "N", "pages of one search or the history", 100_000),
)  # fmt: skip


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "deadlines and limits (saved in sync.json; a deadline reached: 'the server stopped sending', resumed "
        "by the next sync; a resource over a limit: quarantined, the sync goes on)"
    )
    for option, key, kind, metavar, what, default in LIMIT_OPTIONS:
        group.add_argument(option, dest=key, type=kind, metavar=metavar, help=f"{what} (default {default:,})")


def limit_changes(args: argparse.Namespace) -> dict[str, Any]:
    return {key: getattr(args, key) for _, key, *_ in LIMIT_OPTIONS if getattr(args, key, None) is not None}
