"""Where the practice's data directory is."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "patient-cockpit"


def default_home() -> Path:
    """``COCKPIT_HOME`` if set, else the platform's per-user data directory."""
    if env := os.environ.get("COCKPIT_HOME"):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_demo_home() -> Path:
    """The demo practice lives beside the real data directory, never in it."""
    home = default_home()
    return home.with_name(home.name + "-demo")
