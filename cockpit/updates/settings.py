"""Where updates come from and where they go.

An updatable installation is an *install root* that holds every installed version side by side::

    ROOT/versions/0.1.0/cockpit     the frozen app of each version
    ROOT/current  -> versions/0.2.0 what the launcher starts (a relative symlink, switched atomically)
    ROOT/previous -> versions/0.1.0 kept for ``cockpit update rollback``
    ROOT/update.json                {"repository_url": "https://updates.example.dk/cockpit"} (clinic IT)
    ROOT/update-root.json           the TUF root metadata trusted on first use (shipped in the bundle)
    ROOT/update-metadata/           TUF metadata as last verified
    ROOT/update-cache/              downloaded targets

The repository serves TUF metadata at URL/metadata/ and the signed archives at URL/targets/.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from cockpit.updates.errors import UpdateError

APP_NAME: Final = "patient-cockpit"
CONFIG_FILE: Final = "update.json"
TRUSTED_ROOT_FILE: Final = "update-root.json"
_LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class UpdateSettings:
    repository_url: str
    install_root: Path
    app_name: str = APP_NAME

    @property
    def metadata_url(self) -> str:
        return self.repository_url.rstrip("/") + "/metadata/"

    @property
    def targets_url(self) -> str:
        return self.repository_url.rstrip("/") + "/targets/"

    @property
    def versions_dir(self) -> Path:
        return self.install_root / "versions"

    @property
    def metadata_dir(self) -> Path:
        return self.install_root / "update-metadata"

    @property
    def cache_dir(self) -> Path:
        return self.install_root / "update-cache"

    @property
    def trusted_root(self) -> Path:
        return self.install_root / TRUSTED_ROOT_FILE


def load_settings(install_root: Path | None = None, repository_url: str | None = None) -> UpdateSettings:
    """Settings from the arguments, else ``COCKPIT_UPDATE_ROOT``/``COCKPIT_UPDATE_URL``, else the install
    root the frozen app runs from and its ``update.json``."""
    root = install_root or _root_from_environment()
    if root is None:
        raise UpdateError(
            "this installation cannot update itself (it was not installed from the self-updating archive). "
            "Install updates through your IT department's package, or set COCKPIT_UPDATE_ROOT."
        )
    url = repository_url or os.environ.get("COCKPIT_UPDATE_URL") or _configured_url(root)
    if not url:
        raise UpdateError(
            f'no update repository is configured: put {{"repository_url": "https://..."}} into '
            f"{root / CONFIG_FILE}, or set COCKPIT_UPDATE_URL."
        )
    check_url(url)
    return UpdateSettings(repository_url=url, install_root=root)


def is_self_updating() -> bool:
    """Whether this installation updates itself (the window shows "check for updates" only then);
    .deb and MSI installations are updated by IT with the next package."""
    return _root_from_environment() is not None


def check_url(url: str) -> None:
    """https only; plain http is allowed to this machine alone (a test or a local mirror)."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS):
        return
    raise UpdateError(f"the update repository must be an https:// address, not {parts.scheme or url!r}")


def _root_from_environment() -> Path | None:
    if env := os.environ.get("COCKPIT_UPDATE_ROOT"):
        return Path(env).expanduser()
    if getattr(sys, "frozen", False):
        # ROOT/versions/<version>/cockpit: the frozen executable knows its own install root.
        app_dir = Path(sys.executable).resolve().parent
        if app_dir.parent.name == "versions":
            return app_dir.parent.parent
    return None


def _configured_url(root: Path) -> str | None:
    try:
        config = json.loads((root / CONFIG_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise UpdateError(
            f"{root / CONFIG_FILE} cannot be read ({type(error).__name__}); fix or remove it"
        ) from error
    url = config.get("repository_url") if isinstance(config, dict) else None
    return url if isinstance(url, str) and url else None
