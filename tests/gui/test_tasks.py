"""tasks.Latest: only the newest request of a kind is shown; failures are always told."""

from collections.abc import Callable
from typing import Any

from cockpit.views.tasks import Latest

Task = tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]]


class _Worker:
    """A stand-in for TaskRunner.run that delivers when the test says so, in any order."""

    def __init__(self) -> None:
        self.queued: list[Task] = []

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self.queued.append((fn, on_success, on_failure))

    def deliver(self, index: int) -> None:
        fn, on_success, on_failure = self.queued[index]
        try:
            result = fn()
        except Exception as error:
            on_failure(error)
        else:
            on_success(result)


def test_an_older_result_is_dropped_and_the_newest_shown() -> None:
    worker, shown, failed = _Worker(), list[str](), list[BaseException]()
    latest = Latest(worker.run)
    first = latest.run(lambda: "first", shown.append, failed.append)
    second = latest.run(lambda: "second", shown.append, failed.append)
    waiting = latest.in_flight
    worker.deliver(1)
    worker.deliver(0)  # arrives late: a newer request was made meanwhile
    assert (first, second) == (1, 2) and waiting
    assert shown == ["second"] and not latest.in_flight
    assert latest.is_current(second) and not latest.is_current(first)


def test_follow_belongs_to_the_current_request_and_drop_forgets_all() -> None:
    worker, shown, failed = _Worker(), list[str](), list[BaseException]()
    latest = Latest(worker.run)
    latest.run(lambda: "overview of A", shown.append, failed.append)
    latest.follow(lambda: "trend of A", shown.append, failed.append)
    latest.run(lambda: "overview of B", shown.append, failed.append)
    latest.follow(lambda: "trend of B", shown.append, failed.append)
    for index in range(4):
        worker.deliver(index)
    assert shown == ["overview of B", "trend of B"]
    latest.follow(lambda: "raw record of B", shown.append, failed.append)
    latest.drop()  # e.g. another user signed in
    worker.deliver(4)
    assert shown == ["overview of B", "trend of B"] and not latest.in_flight


def test_failures_are_told_even_when_stale() -> None:
    worker, shown, failed = _Worker(), list[str](), list[BaseException]()
    latest = Latest(worker.run)

    def boom() -> str:
        raise OSError("disk")

    latest.run(boom, shown.append, failed.append)
    latest.run(lambda: "newer", shown.append, failed.append)
    worker.deliver(0)
    assert shown == [] and [type(e) for e in failed] == [OSError]
