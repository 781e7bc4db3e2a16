"""The ``mockawx`` command: ``serve`` a mock AWX on this machine."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import typing as t

from .auth import issue_token
from .clock import SystemClock
from .errors import MockAWXError
from .factory import create_app
from .seed import SEEDS
from .server import MockServer

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockawx", description="A stateful mock of the AWX API v2.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8013, help="port to listen on (0 picks a free one)")
    serve.add_argument("--admin-password", default=None, help="password of the admin user (or MOCKAWX_ADMIN_PASSWORD)")
    serve.add_argument("--seed", default="demo", choices=sorted(SEEDS), help="starting data")
    return parser


def serve(args: argparse.Namespace, out: t.TextIO = sys.stdout) -> int:
    password = args.admin_password or os.environ.get("MOCKAWX_ADMIN_PASSWORD") or "password"
    app = create_app(seed=args.seed, clock=SystemClock(), admin_password=password)
    token, _ = issue_token(app.runtime.store, app.runtime.clock, 1, description="mockawx serve")
    server = MockServer(app, host=args.host, port=args.port)
    server.start()
    stop = threading.Event()

    def request_stop(signum: int, frame: t.Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(f"mockawx {app.runtime.settings.version} serving {server.url}/api/v2/ (seed: {args.seed})", file=out)
    print(f"  admin user: admin   password: {password}", file=out)
    print(f"  token:      {token}", file=out)
    print("  press Ctrl+C to stop", file=out, flush=True)
    stop.wait()
    server.stop()
    print("mockawx stopped", file=out, flush=True)
    return 0


def main(argv: t.Sequence[str] | None = None) -> int:
    """Entry point of the ``mockawx`` console script."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args)
    except MockAWXError as exc:
        print(f"mockawx: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
