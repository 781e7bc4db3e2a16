"""A loopback webhook receiver for the replay, standing in for the recording's (golden-governance README).

The recording's notification templates point at a receiver on ``127.0.0.1:34813`` that answered 200 (500 on the
path ``/fail``) and at ``127.0.0.1:42537`` where nothing listened. The mock really delivers webhooks to loopback,
so the replay runs the same receiver on a free port, keeps a port that is known to be closed, and rewrites the
recorded ports in request bodies (the README lists both ports as volatile).
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import typing as t

__all__ = ["Receiver", "RECEIVER_PORT", "CLOSED_PORT"]

RECEIVER_PORT = 34813
CLOSED_PORT = 42537


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: t.Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        self.server.received.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(500 if self.path == "/fail" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: t.Any) -> None:  # noqa: A002 - the base class's name
        """Quiet: the replay reports, not the receiver."""


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    received: list[dict[str, t.Any]]


class Receiver:
    """The receiver (started at once) and the recorded -> actual port map."""

    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.received = []
        self.thread = threading.Thread(target=self.server.serve_forever, name="replay-receiver", daemon=True)
        self.thread.start()
        self.ports = {RECEIVER_PORT: self.server.server_address[1], CLOSED_PORT: _closed_port()}

    @property
    def received(self) -> list[dict[str, t.Any]]:
        """The requests delivered so far, in arrival order."""
        return self.server.received

    def rewrite(self, content: bytes) -> bytes:
        """A request body with the recorded loopback ports replaced by this receiver's."""
        for recorded, actual in self.ports.items():
            content = content.replace(f"127.0.0.1:{recorded}".encode(), f"127.0.0.1:{actual}".encode())
        return content

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def _closed_port() -> int:
    """A port nothing listens on: bound by the system, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
