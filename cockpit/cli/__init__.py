"""The ``cockpit`` command: the GUI when called alone, and subcommands for import and look-ups.

What it accepts is in cockpit/cli/arguments.py; what each command group does, in its own module here
(importing, patients, indicators, worklists, sync, sync_auth, audit, users, database, updates; window for
the GUI). The handlers open the practice through cockpit.services.bootstrap, as the window does, and call
the same services.

Errors are one line on stderr and a non-zero exit code; a traceback only with ``--debug``. An unexpected
error prints only its type without ``--debug``, because its message could carry data from the store.
"""

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence

from cockpit.cli.arguments import build_parser, handler
from cockpit.errors import CockpitError
from cockpit.paths import default_demo_home, default_home

__all__ = ["EXIT_BUG", "build_parser", "main"]

log = logging.getLogger("cockpit")

EXIT_BUG = 70


def main(argv: Sequence[str] | None = None) -> int:
    # A full sync maps on a spawned worker process; in the frozen app that process is this executable
    # again, and this is where it becomes the worker instead of a second cockpit.
    multiprocessing.freeze_support()
    os.umask(0o077)  # whatever the cockpit writes is private to the user
    args = build_parser().parse_args(argv)
    _setup_logging(args)
    if args.home is None:
        args.home = default_demo_home() if args.demo else default_home()
    try:
        func: Callable[[argparse.Namespace], int] = (
            handler("window", "cmd_window") if args.command is None else args.func
        )
        return func(args)
    except CockpitError as error:
        print(f"cockpit: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (e.g. `cockpit patients | head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("cockpit: interrupted; nothing was changed by the unfinished operation", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(
            f"cockpit: internal error ({type(error).__name__}); run with --debug for details",
            file=sys.stderr,
        )
        return EXIT_BUG


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
