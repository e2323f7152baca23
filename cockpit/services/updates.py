"""Updates for the window: only an install that updates itself (the release .tar.gz) offers them; .deb and
MSI installs are updated by the clinic's IT with the next package."""

from cockpit.updates.client import AvailableUpdate, Updater
from cockpit.updates.settings import is_self_updating, load_settings

__all__ = ["AvailableUpdate", "UpdateService"]


class UpdateService:
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
