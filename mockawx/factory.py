"""``create_app``: one call from options to a ready WSGI app."""

from __future__ import annotations

from .app import MockAWX
from .clock import Clock, ManualClock
from .runtime import Runtime, Settings
from .execution.scheduler import Scheduler
from .persist import dump_state, rebuild_runs
from .seed import apply_seed
from .spec import load_spec

__all__ = ["create_app"]


def create_app(
    *,
    seed: str = "empty",
    clock: Clock | None = None,
    admin_password: str = "password",
    spec_path: str | None = None,
    strict: bool = True,
    random_seed: int = 0,
) -> MockAWX:
    """A mock AWX with its own store, seeded and ready to serve."""
    runtime = Runtime(
        spec=load_spec(spec_path),
        clock=clock or ManualClock(),
        settings=Settings(admin_password=admin_password),
        seed=random_seed,
    )
    if isinstance(runtime.clock, ManualClock):
        runtime.clock.attach(Scheduler(runtime).advance)
    runtime.store.rollback_hooks.append(lambda: rebuild_runs(runtime))
    apply_seed(runtime, seed)
    runtime.hooks["baseline"] = dump_state(runtime)
    return MockAWX(runtime, strict=strict)
