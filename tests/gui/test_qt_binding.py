"""A canary for the Qt binding: PySide6 6.12.0 lost a reference to ``True`` on every ``Signal.emit()``;
on Python 3.11 the interpreter aborts once the count reaches zero (about a minute of moving the mouse over
a chart). This fails if a binding with that bug is ever installed again."""

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


@pytest.mark.usefixtures("qapp")
def test_emitting_signals_does_not_leak_or_steal_references() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(1000):
        emitter.fired.emit(i)
    assert len(received) == 1000
    assert abs(sys.getrefcount(True) - before) < 10
