"""Check a TUF update repository, install a verified update after the user agrees, roll back.

tufup (on python-tuf's ngclient) verifies the metadata chain root -> timestamp -> snapshot -> targets:
signatures by the keys in the trusted root, expiry dates and version numbers that never go backwards;
a target is accepted only with the length and SHA-256 its signed metadata gives. Every such failure is
an ``UpdateRefusedError`` and leaves the installed versions untouched. We drive tufup's client step by
step instead of its ``download_and_apply_update``, which logs and swallows verification failures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit.updates.errors import UpdateError, UpdateRefusedError
from cockpit.updates.layout import InstallLayout
from cockpit.updates.settings import UpdateSettings, is_self_updating, load_settings

if TYPE_CHECKING:
    from tufup.client import Client  # type: ignore[import-untyped]

EXECUTABLES = ("cockpit", "cockpit.exe")


@dataclass(frozen=True)
class AvailableUpdate:
    current_version: str
    version: str
    size: int  # bytes to download


class Updater:
    def __init__(self, settings: UpdateSettings) -> None:
        self.settings = settings
        self.layout = InstallLayout(settings.install_root)

    @property
    def current_version(self) -> str:
        version = self.layout.version()
        if version is None:
            raise UpdateError(
                f"{self.settings.install_root} holds no current version (no 'current' link): "
                "reinstall from the self-updating archive"
            )
        return version

    def check(self) -> AvailableUpdate | None:
        """The newest release above the installed one, after verifying the repository's metadata."""
        current = self.current_version
        client = self._client(current)
        _verified(client.refresh)
        newer = [
            meta
            for meta in client.trusted_target_metas
            if meta.name == self.settings.app_name
            and meta.is_archive
            and not meta.version.pre
            and meta.version > client.current_archive.version
        ]
        if not newer:
            return None
        newest = max(newer, key=lambda meta: meta.version)
        info = client.get_targetinfo(newest)
        return AvailableUpdate(current_version=current, version=str(newest.version), size=info.length)

    def install(self, update: AvailableUpdate, confirm: Callable[[AvailableUpdate], bool]) -> bool:
        """Download and verify ``update``; if ``confirm`` agrees, unpack it beside the installed version
        and make it current (the old one stays as 'previous'). False when the user declined."""
        client = self._client(self.current_version)
        _verified(client.refresh)
        meta = next(
            (
                m
                for m in client.trusted_target_metas
                if m.name == self.settings.app_name and m.is_archive and str(m.version) == update.version
            ),
            None,
        )
        if meta is None:
            raise UpdateError(f"version {update.version} is no longer offered by the update repository")
        if meta.version <= client.current_archive.version:
            raise UpdateRefusedError(
                f"version {update.version} is not newer than the installed {client.current_archive.version}:"
                " going back is 'cockpit update rollback', never an update"
            )
        info = client.get_targetinfo(meta)
        cached = _verified(client.find_cached_target, info)
        archive = Path(cached or _verified(client.download_target, info))
        if not confirm(update):
            return False
        app_dir = self.layout.unpack(archive, update.version)
        if not any((app_dir / name).is_file() for name in EXECUTABLES):
            shutil.rmtree(app_dir, ignore_errors=True)
            raise UpdateRefusedError(
                f"the update {update.version} has no cockpit program inside; it was not installed"
            )
        self.layout.switch_to(update.version)
        return True

    def rollback(self) -> str:
        """Make the previous version current again; returns it."""
        return self.layout.rollback()

    def _client(self, current_version: str) -> Client:
        from tufup.client import Client  # noqa: PLC0415

        settings = self.settings
        settings.metadata_dir.mkdir(parents=True, exist_ok=True)
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        trusted = settings.metadata_dir / "root.json"
        if not trusted.exists():
            if not settings.trusted_root.is_file():
                raise UpdateError(
                    f"the trusted update key file {settings.trusted_root} is missing: reinstall, or ask "
                    "IT for the update repository's root.json"
                )
            shutil.copyfile(settings.trusted_root, trusted)
        return _verified(
            Client,
            app_name=settings.app_name,
            app_install_dir=self.layout.app_dir(current_version),
            current_version=current_version,
            metadata_dir=settings.metadata_dir,
            metadata_base_url=settings.metadata_url,
            target_dir=settings.cache_dir,
            target_base_url=settings.targets_url,
            extract_dir=settings.cache_dir / "extract",
        )


class UpdateService:
    """The window's "check for updates": only an install that updates itself (the release .tar.gz) offers
    them; .deb and MSI installs are updated by the clinic's IT with the next package. The settings are read
    at each call (the CLI's ``cockpit update`` uses ``Updater`` the same way)."""

    @property
    def available(self) -> bool:
        """This installation can update itself (it has an update repository and a versions folder)."""
        return is_self_updating()

    def check(self) -> AvailableUpdate | None:
        """The newest verified release above the installed one (network: call it off the GUI thread)."""
        return Updater(load_settings()).check()

    def install(self, update: AvailableUpdate) -> bool:
        """Download, verify and unpack ``update`` beside the installed version (kept for a rollback); it
        runs from the next start. The user has already agreed."""
        return Updater(load_settings()).install(update, confirm=lambda _update: True)


def _verified(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one step of the TUF client, turning its failures into messages for the user."""
    from tuf.api import exceptions as tuf  # noqa: PLC0415

    try:
        return call(*args, **kwargs)
    except tuf.DownloadError as error:
        raise UpdateError(
            f"the update repository cannot be reached or did not send a file ({type(error).__name__}: "
            f"{error}); try again later or ask IT"
        ) from error
    except tuf.ExpiredMetadataError as error:
        raise UpdateRefusedError(
            f"the update repository's signed metadata has expired ({error}): it is stale or being "
            "replayed; nothing was installed"
        ) from error
    except tuf.BadVersionNumberError as error:
        raise UpdateRefusedError(
            f"the update repository sent older metadata than this installation has already seen ({error}):"
            " a rollback attempt; nothing was installed"
        ) from error
    except tuf.UnsignedMetadataError as error:
        raise UpdateRefusedError(
            f"the update repository's metadata is not signed by the keys this installation trusts "
            f"({error}); nothing was installed"
        ) from error
    except tuf.LengthOrHashMismatchError as error:
        raise UpdateRefusedError(
            f"the downloaded update does not match the length and SHA-256 in its signed metadata ({error}):"
            " it was altered; nothing was installed"
        ) from error
    except (tuf.RepositoryError, ValueError) as error:
        raise UpdateRefusedError(
            f"the update repository's metadata failed verification ({type(error).__name__}: {error}); "
            "nothing was installed"
        ) from error
