"""Running store work off the GUI thread.

All store access goes through one worker thread (a single-thread executor): writes are ordered without
locks, and the GUI thread never waits on disk. Results and errors come back as queued Qt signals, so
callbacks always run on the GUI thread.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

T = TypeVar("T")


class _Bridge(QObject):
    finished = Signal(object, object)  # callback, argument


class TaskRunner(QObject):
    """``run(fn, on_success, on_failure)``: call ``fn()`` on the worker thread, then one of the callbacks
    on the GUI thread. ``pending`` counts tasks not yet delivered (useful for tests and the status bar)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cockpit-store")
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self.pending = 0
        self._closed = False

    def run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self.pending += 1

        def done(future: Future[T]) -> None:
            if future.cancelled():
                return  # dropped at shutdown: nobody is waiting for it any more
            error = future.exception()
            if error is not None:
                self._bridge.finished.emit(on_failure, error)
            else:
                self._bridge.finished.emit(on_success, future.result())

        self._pool.submit(fn).add_done_callback(done)

    def _deliver(self, callback: Callable[[Any], None], argument: Any) -> None:
        self.pending -= 1
        if not self._closed:  # after shutdown nobody is there to show a result
            callback(argument)

    def shutdown(self) -> None:
        """Wait for the running task (a write must finish whole), drop the queued ones."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
