"""``cockpit`` without a command: the window (cockpit.app), with the options the command line gave it."""

import argparse
import os
import sys

from cockpit.app import GuiOptions, run_gui
from cockpit.errors import CockpitError


def cmd_window(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not any(
        os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        raise CockpitError(
            "there is no display to open the window on. Start it in a desktop session; for a screenshot or "
            "a smoke test without one, set QT_QPA_PLATFORM=offscreen."
        )
    options = GuiOptions(
        smoke_test=args.smoke_test,
        demo=args.demo,
        patient=args.patient,
        screenshot=args.screenshot,
        size=args.size,
        lang=args.lang or os.environ.get("COCKPIT_LANG", "da"),
        lock_minutes=args.lock_minutes,
    )
    return run_gui(args.home, options)
