"""The ``mockawx`` command: ``serve`` a mock AWX on this machine."""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import threading
import typing as t

from .app import MockAWX
from .auth import issue_token
from .clock import SystemClock
from .errors import MockAWXError
from .execution.scheduler import RealtimeTicker
from .factory import create_app
from .seed import SEEDS
from .server import MockServer
from .statefile import SavingMiddleware, StateFile

__all__ = ["main", "build_parser", "Served", "prepare"]

CONTROL_TOKEN_ENV = "MOCKAWX_CONTROL_TOKEN"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockawx", description="A stateful mock of the AWX API v2.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "conform", add_help=False,
        help="run the contract suite and scenarios against an AWX (see: mockawx conform --help)",
    )
    serve = commands.add_parser("serve", help="serve the mock over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 exposes the mock)")
    serve.add_argument("--port", type=int, default=8013, help="port to listen on (0 picks a free one)")
    serve.add_argument("--admin-password", default=None, help="password of the admin user (or MOCKAWX_ADMIN_PASSWORD)")
    serve.add_argument("--seed", default="demo", choices=sorted(SEEDS), help="starting data (ignored when --state FILE exists)")
    serve.add_argument("--state", metavar="FILE", default=None,
                       help="keep the state in FILE: loaded on start, saved atomically after every change")
    serve.add_argument("--control-token", metavar="TOKEN", default=None,
                       help=f"require header X-Mockawx-Control-Token: TOKEN on /_mockawx/ (or {CONTROL_TOKEN_ENV})")
    serve.add_argument("--no-control", action="store_true", help="turn the /_mockawx/ control plane off (404)")
    serve.add_argument("--job-duration", type=float, default=2.0, metavar="SECONDS", help="how long a job runs (default 2)")
    serve.add_argument("--job-start-delay", type=float, default=0.5, metavar="SECONDS", help="pending before running (default 0.5)")
    return parser


@dataclasses.dataclass
class Served:
    """A configured mock, ready to be served: the WSGI app, its state file and how to log in."""

    app: MockAWX
    wsgi: t.Callable[..., t.Iterable[bytes]]
    state: StateFile | None
    loaded: bool
    password: str
    token: str


def prepare(args: argparse.Namespace) -> Served:
    """Build the mock ``serve`` would run (no socket, no threads); ``MockAWXError`` for a bad state file."""
    password = args.admin_password or os.environ.get("MOCKAWX_ADMIN_PASSWORD") or "password"
    app = create_app(seed=args.seed, clock=SystemClock(), admin_password=password)
    runtime = app.runtime
    settings = runtime.settings
    settings.job_duration = args.job_duration
    settings.job_start_delay = args.job_start_delay
    settings.control_enabled = not args.no_control
    settings.control_token = args.control_token or os.environ.get(CONTROL_TOKEN_ENV) or None
    state = StateFile(args.state, runtime) if args.state else None
    loaded = state.load() if state else False
    token, _ = issue_token(runtime.store, runtime.clock, 1, description="mockawx serve")
    wsgi: t.Callable[..., t.Iterable[bytes]] = SavingMiddleware(app, state) if state else app
    return Served(app, wsgi, state, loaded, password, token)


def serve(args: argparse.Namespace, out: t.TextIO = sys.stdout) -> int:
    served = prepare(args)
    runtime = served.app.runtime
    server = MockServer(t.cast(MockAWX, served.wsgi), host=args.host, port=args.port)
    server.start()
    if served.state:
        served.state.start()
    ticker = RealtimeTicker(runtime)
    ticker.start()
    stop = threading.Event()

    def request_stop(signum: int, frame: t.Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    origin = f"state: {served.state.path}" if served.loaded and served.state else f"seed: {args.seed}"
    print(f"mockawx {runtime.settings.version} serving {server.url}/api/v2/ ({origin})", file=out)
    if served.loaded:
        print("  admin user: admin   password: as kept in the state file", file=out)
    else:
        print(f"  admin user: admin   password: {served.password}", file=out)
    print(f"  token:      {served.token}", file=out)
    if served.state and not served.loaded:
        print(f"  state:      {served.state.path} (new)", file=out)
    if not runtime.settings.control_enabled:
        print("  control plane: off", file=out)
    elif runtime.settings.control_token:
        print("  control plane: /_mockawx/ (needs X-Mockawx-Control-Token)", file=out)
    print("  press Ctrl+C to stop", file=out, flush=True)
    stop.wait()
    ticker.stop()
    server.stop()
    if served.state:
        served.state.stop()
    print("mockawx stopped", file=out, flush=True)
    return 0


def main(argv: t.Sequence[str] | None = None) -> int:
    """Entry point of the ``mockawx`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["conform"]:
        from .conform import conform_main  # its own options; it runs pytest on contracts/

        return conform_main(argv[1:])
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
