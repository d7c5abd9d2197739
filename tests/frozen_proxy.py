"""A TCP proxy to PostgreSQL that can stop forwarding while keeping every socket open: to the app, the
server stops answering mid-conversation, as in a network partition or a hung server."""

from __future__ import annotations

import socket
import threading
import time

from sqlalchemy.engine import make_url


class FrozenProxy:
    """Forwards 127.0.0.1:<port> to the server of `url` until frozen; thawed, it forwards what waited."""

    def __init__(self, url: str) -> None:
        self._target = make_url(url)
        self._frozen = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self) -> str:
        """The target's URL, through this proxy."""
        port = self._listener.getsockname()[1]
        return self._target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)

    def freeze(self) -> None:
        self._frozen.set()

    def thaw(self) -> None:
        self._frozen.clear()

    def close(self) -> None:
        self._frozen.clear()
        for held in [self._listener, *self._open]:
            held.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection((self._target.host or "127.0.0.1", self._target.port or 5432))
            self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self._frozen.is_set():
                    time.sleep(0.02)
                sink.sendall(data)
        except OSError:
            pass
