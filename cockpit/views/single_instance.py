"""One cockpit per data directory and user: a second start hands its request (e.g. "open this patient",
sent by the clinic system) to the running one over a local socket and exits.

The socket is private to the user (``UserAccessOption``) and its name is derived from the data directory,
so two practices' data directories never talk to each other.
"""

import hashlib
import os
from pathlib import Path
from typing import Any, Final

import orjson
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS: Final = 500
MAX_MESSAGE: Final = 4096


def server_name(home: Path) -> str:
    digest = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]
    return f"patient-cockpit-{os.getuid() if hasattr(os, 'getuid') else 'u'}-{digest}"


def send_to_running(home: Path, message: dict[str, Any]) -> bool:
    """Deliver ``message`` to the cockpit already running on ``home``; False if none is running."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(home))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(orjson.dumps(message) + b"\n")
    socket.flush()  # usually writes everything at once; otherwise wait for the rest
    delivered = socket.bytesToWrite() == 0 or socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return delivered


class InstanceServer(QObject):
    """Listens for messages from later starts. ``message(dict)`` is emitted on the GUI thread."""

    message = Signal(dict)

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        name = server_name(home)
        if not self._server.listen(name):
            # A stale socket file from a crashed instance: nobody answered, so take it over.
            QLocalServer.removeServer(name)
            self._server.listen(name)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)
            self._read_from(socket)  # the message may have arrived with the connection

    def _read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read_from(socket)

    def _read_from(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(socket.readLine().data())
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            return
        if isinstance(data, dict):
            self.message.emit(data)

    def close(self) -> None:
        self._server.close()
