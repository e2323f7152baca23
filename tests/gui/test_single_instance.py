"""A second start hands its patient to the running cockpit over a private local socket."""

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cockpit.views.single_instance import InstanceServer, send_to_running, server_name

pytestmark = pytest.mark.gui


def test_a_message_reaches_the_running_instance(qtbot: QtBot, tmp_path: Path) -> None:
    server = InstanceServer(tmp_path / "home")
    assert server.listening
    try:
        with qtbot.waitSignal(server.message, timeout=5_000) as received:
            assert send_to_running(tmp_path / "home", {"patient": "1112640001"})
        assert received.args == [{"patient": "1112640001"}]
    finally:
        server.close()


def test_without_a_running_instance_nothing_is_delivered(tmp_path: Path) -> None:
    assert not send_to_running(tmp_path / "nobody-home", {"patient": "1112640001"})


def test_each_data_directory_has_its_own_channel(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
