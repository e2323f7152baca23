"""One entry point for whoever runs syncs (the window's sync worker, a scheduler): reads the settings each
time, so a changed server or folder takes effect on the next run, and dispatches server or folder."""

import threading
from pathlib import Path

from cockpit.errors import SyncError
from cockpit.store import Store
from cockpit.sync.progress import ProgressCallback, SyncResult
from cockpit.sync.settings import SyncSettings, load_settings
from cockpit.sync.status import SourceStatus, sync_status


class SyncRunner:
    """Syncs for the store in ``home``. ``run`` blocks: call it on a worker thread, never the UI thread."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store = store
        self.home = home

    def settings(self) -> SyncSettings:
        return load_settings(self.home)

    def source(self, settings: SyncSettings | None = None) -> str | None:
        """The configured source's key in the store (a server's base URL, or ``folder:PATH``)."""
        from cockpit.sync.engine import source_key  # noqa: PLC0415
        from cockpit.sync.folder import folder_source  # noqa: PLC0415

        settings = settings or self.settings()
        if settings.server_url:
            return source_key(settings.server_url)
        if settings.folder:
            return folder_source(Path(settings.folder))
        return None

    def status(self) -> SourceStatus | None:
        """None when nothing is configured."""
        source = self.source()
        return None if source is None else sync_status(self.store, source)

    def run(
        self,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncResult:
        settings = self.settings()
        if settings.server_url:
            from cockpit.sync.engine import sync_server  # noqa: PLC0415

            return sync_server(self.store, settings, full=full, progress=progress, cancel=cancel)
        if settings.folder:
            from cockpit.sync.folder import sync_folder  # noqa: PLC0415

            return sync_folder(self.store, Path(settings.folder), progress=progress, cancel=cancel)
        raise SyncError("No sync server is set: run 'cockpit sync --server URL' once to set it.")
