"""``MockServer``: a mock AWX listening on a local port, in a background thread."""

from __future__ import annotations

import threading
import typing as t
import warnings

from .app import MockAWX
from .errors import MockAWXError

__all__ = ["MockServer", "ServerError"]


class ServerError(MockAWXError):
    """Raise when the server is started twice, or stopped before it started."""


class MockServer:
    """Serve a ``MockAWX`` app on ``host:port`` (port 0 picks a free one) with waitress.

    ``start()`` returns once the socket is listening; the caller must ``stop()`` it
    (or use the server as a context manager).
    """

    def __init__(self, app: MockAWX, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.threads = threads
        self._server: t.Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url_for(self, path: str) -> str:
        return self.url + (path if path.startswith("/") else "/" + path)

    def start(self) -> None:
        import waitress

        if self._server is not None:
            raise ServerError("the server is already running")
        if self.host in ("0.0.0.0", "::", ""):
            warnings.warn("mockawx is listening on every network interface", stacklevel=2)
        self._server = waitress.create_server(self.app, host=self.host, port=self.port, threads=self.threads, ident="mockawx", asyncore_loop_timeout=0.1)
        self.port = int(self._server.effective_port)
        self._thread = threading.Thread(target=self._serve, name="mockawx-server", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.run()
        except (OSError, ValueError):  # closed while polling: a normal stop
            pass

    def stop(self) -> None:
        if self._server is None:
            raise ServerError("the server is not running")
        self._server.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> MockServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
