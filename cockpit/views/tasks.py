"""Running store work off the GUI thread.

All store access goes through one worker thread (a single-thread executor): writes are ordered without
locks, and the GUI thread never waits on disk. Results and errors come back as queued Qt signals, so
callbacks always run on the GUI thread.

``Latest`` is the one place that drops stale results: each kind of request (the patients for what was
typed, the open patient, a worklist's items) keeps a ticket, and a result for an older ticket is dropped,
so what is shown always belongs together.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

T = TypeVar("T")

# The store worker: run(fn, on_success, on_failure) (TaskRunner.run, or a pane's view of it).
Run = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], None]


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


class Latest:
    """The newest request of one kind. ``run`` starts a new request: from then on, results of earlier
    ones are dropped. ``follow`` is more work for the current request (the open patient's trend, a
    further window of rows): dropped too once a newer request starts. ``drop`` drops all on their way
    (the data was forgotten). Failures always reach ``on_failure``: an error is worth telling even late;
    ``is_current(ticket)`` lets a failure handler tell whether its request still counts.

    A plain object, not a QObject: it holds only the runner's ``run``, never a widget."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self._issued = 0
        self._shown = 0

    def run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> int:
        """Start a new request; returns its ticket."""
        self._issued += 1
        return self.follow(fn, on_success, on_failure)

    def follow(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> int:
        """Run ``fn`` for the current request; returns the current ticket."""
        ticket = self._issued

        def deliver(result: T) -> None:
            if ticket == self._issued:
                self._shown = ticket
                on_success(result)

        self._run(fn, deliver, on_failure)
        return ticket

    def drop(self) -> None:
        """Drop every result on its way; nothing is waited for any more."""
        self._issued += 1
        self._shown = self._issued

    @property
    def ticket(self) -> int:
        """The current request's ticket."""
        return self._issued

    def is_current(self, ticket: int) -> bool:
        return ticket == self._issued

    @property
    def in_flight(self) -> bool:
        """The newest request's result has not been shown yet."""
        return self._issued != self._shown
