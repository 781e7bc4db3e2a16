"""pytest plugin: a mock AWX server per test session (per xdist worker), reset before each test.

Fixtures:
    ``mockawx_server``  session-scoped running server (override ``mockawx_seed`` to pick the seed)
    ``mockawx``         function-scoped handle: the same server with freshly reset state

Each xdist worker is its own process, so each gets its own server and state.
"""

from __future__ import annotations

import dataclasses
import typing as t

import pytest

from .app import MockAWX
from .auth import issue_token
from .clock import ManualClock
from .execution.lifecycle import outcome_plan
from .execution.scheduler import Scheduler
from .factory import create_app
from .persist import dump_state, load_state
from .runtime import Runtime
from .server import MockServer

__all__ = ["MockAWXHandle", "mockawx", "mockawx_server", "mockawx_seed"]


@dataclasses.dataclass
class MockAWXHandle:
    """What a test gets: where the mock listens, how to log in, and its state."""

    server: MockServer
    app: MockAWX
    username: str
    password: str
    token: str
    baseline: bytes

    @property
    def url(self) -> str:
        return self.server.url

    def url_for(self, path: str) -> str:
        return self.server.url_for(path)

    @property
    def runtime(self) -> Runtime:
        return self.app.runtime

    @property
    def clock(self) -> ManualClock:
        clock = self.app.runtime.clock
        assert isinstance(clock, ManualClock)
        return clock

    @property
    def auth(self) -> tuple[str, str]:
        return (self.username, self.password)

    @property
    def headers(self) -> dict[str, str]:
        """``Authorization: Bearer <token>`` for clients that take headers."""
        return {"Authorization": f"Bearer {self.token}"}

    def reset(self) -> None:
        """Return to the seeded state: objects, clock, request log and recorded errors."""
        runtime = self.app.runtime
        with runtime.store.lock:
            runtime.store.restore(self.baseline)
            runtime.request_log.clear()
            runtime.handler_errors.clear()
            self.clock.set(runtime.store.meta["clock_start"])

    def save(self) -> dict[str, t.Any]:
        """The whole state (objects, clock, queued events, outcomes) as JSON-ready data."""
        runtime = self.app.runtime
        with runtime.store.lock:
            return dump_state(runtime)

    def restore(self, state: dict[str, t.Any]) -> None:
        """Return to a state from ``save()`` (or ``GET /_mockawx/state/``); the same one can be restored again."""
        load_state(self.app.runtime, state)

    def script(self, match: dict[str, t.Any], *results: str | dict[str, t.Any]) -> int:
        """Script how matching jobs end, in order (the last repeats): ``script({"node_identifier": "a"}, "failed", "successful")``.

        Match keys: job_template, unified_job_template, node_identifier, workflow_job, workflow_job_template,
        name. For approval nodes ``successful`` approves and anything else denies. Returns the rule's id.
        """
        with self.app.runtime.store.lock:
            return outcome_plan(self.app.runtime).add(match, list(results) or ["successful"]).id

    def run_until_idle(self) -> int:
        """Run every queued job event (moving the clock); returns how many ran."""
        return Scheduler(self.app.runtime).run_until_idle()

    @property
    def requests(self) -> list[dict[str, t.Any]]:
        """The requests the mock answered since the last reset: method, path, status."""
        return list(self.app.runtime.request_log)

    def check(self) -> None:
        """Re-raise the first exception a handler raised inside the server thread."""
        errors = self.app.runtime.handler_errors
        if errors:
            error = errors[0]
            errors.clear()
            raise error


@pytest.fixture(scope="session")
def mockawx_seed() -> str:
    """The seed the session's server starts from; override to use ``demo``."""
    return "empty"


@pytest.fixture(scope="session")
def mockawx_server(mockawx_seed: str) -> t.Iterator[MockAWXHandle]:
    """One running mock for the whole session, listening on 127.0.0.1 on a free port."""
    password = "password"
    app = create_app(seed=mockawx_seed, clock=ManualClock(), admin_password=password)
    store = app.runtime.store
    token, _ = issue_token(store, app.runtime.clock, 1, description="mockawx fixture")
    store.meta["clock_start"] = app.runtime.clock.now()
    server = MockServer(app)
    server.start()
    handle = MockAWXHandle(server, app, "admin", password, token, store.snapshot())
    try:
        yield handle
    finally:
        server.stop()


@pytest.fixture
def mockawx(mockawx_server: MockAWXHandle) -> t.Iterator[MockAWXHandle]:
    """The session's mock with its state reset to the seed; server errors fail the test."""
    mockawx_server.reset()
    yield mockawx_server
    mockawx_server.check()
