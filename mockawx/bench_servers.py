"""Throughput of the WSGI servers ``mockawx serve`` could use, measured on loopback.

Run as ``python -m mockawx.bench_servers``: waitress (what ``serve`` uses) against werkzeug's
threaded development server, a bounded number of requests from a few client threads.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
import typing as t

import httpx
from werkzeug.serving import WSGIRequestHandler, make_server

from .factory import create_app
from .server import MockServer

__all__ = ["measure", "main"]

REQUESTS = 2000
CLIENTS = 4
PATH = "/api/v2/workflow_job_templates/"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: t.Any, **kwargs: t.Any) -> None:
        pass


def _hammer(url: str, count: int, clients: int) -> float:
    """Requests per second for ``count`` authenticated GETs spread over ``clients`` threads."""

    def worker(n: int) -> int:
        with httpx.Client(base_url=url, auth=("admin", "password"), timeout=10) as client:
            for _ in range(n):
                client.get(PATH).raise_for_status()
        return n

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        done = sum(pool.map(worker, [count // clients] * clients))
    return done / (time.perf_counter() - started)


def measure(count: int = REQUESTS, clients: int = CLIENTS) -> dict[str, float]:
    """Requests per second per server, both on 127.0.0.1 with the same app."""
    results: dict[str, float] = {}
    with MockServer(create_app(seed="demo")) as server:
        results["waitress"] = _hammer(server.url, count, clients)
    dev = make_server("127.0.0.1", 0, create_app(seed="demo"), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=dev.serve_forever, daemon=True)
    thread.start()
    try:
        results["werkzeug"] = _hammer(f"http://127.0.0.1:{dev.port}", count, clients)
    finally:
        dev.shutdown()
        thread.join(timeout=5)
    return results


def main(argv: t.Sequence[str] | None = None) -> int:
    results = measure()
    print(f"{'server':<10} {'requests/s':>11}   ({REQUESTS} GETs of {PATH}, {CLIENTS} clients, loopback)")
    for name, rate in results.items():
        print(f"{name:<10} {rate:>11.0f}")
    print(f"waitress / werkzeug: {results['waitress'] / results['werkzeug']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
