"""A clean interrupt of a sync run from the command line: Ctrl+C (SIGINT) and SIGTERM both end it as a
cancel ends it in the window, with one line and no traceback.

Both signals become a KeyboardInterrupt on the main thread, wherever it waits (a socket, a pipe, a
thread's end); the engine's ``finally`` blocks close the mapping worker and the connection, the store's
open transaction rolls back, and what was staged stays for the next run. The mapping worker ignores
SIGINT itself (``cockpit.sync.mapper``), so the terminal's Ctrl+C, sent to the whole process group,
prints nothing from it.
"""

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from cockpit.sync.progress import SyncCancelledError


class SyncInterruptedError(SyncCancelledError):
    """The sync was interrupted by a signal; the store is as it was."""

    exit_code = 130  # as a shell reports a process ended by SIGINT

    def __init__(self) -> None:
        super().__init__(
            "interrupted; nothing was changed. What was downloaded is kept: the next sync continues from "
            "there."
        )


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_end_the_sync() -> Iterator[None]:
    """Inside: SIGTERM raises KeyboardInterrupt as SIGINT does, and a KeyboardInterrupt leaves as
    ``SyncInterruptedError``. Only on the main thread (signals are delivered there); elsewhere a no-op."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    except KeyboardInterrupt:
        raise SyncInterruptedError from None
    finally:
        signal.signal(signal.SIGTERM, previous)
