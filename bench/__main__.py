"""``python -m bench [NAME ...]``: run the named benchmarks (all when none is named)."""

import argparse
import sys

from bench import (
    audit_bench,
    demo_bench,
    gui_bench,
    import_bench,
    indicator_bench,
    overview_bench,
    sync_bench,
    worklist_bench,
)

BENCHMARKS = {
    "import": import_bench.main,
    "demo": demo_bench.main,
    "overview": overview_bench.main,
    "gui": gui_bench.main,
    "indicators": indicator_bench.main,
    "audit": audit_bench.main,
    "sync": sync_bench.main,
    "worklists": worklist_bench.main,
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("names", nargs="*", help=f"any of: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run on the practice server's store (a throwaway PostgreSQL) instead of SQLCipher",
    )
    args = parser.parse_args()
    if args.postgres:
        from bench import practice  # noqa: PLC0415

        practice.BACKEND = "postgres"
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    for name in args.names or list(BENCHMARKS):
        print(f"== {name}", flush=True)
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
