"""Everything one mock instance owns, passed explicitly (nothing is global)."""

from __future__ import annotations

import dataclasses
import random
import typing as t
import uuid

from .access import Access
from .clock import Clock, ManualClock
from .spec import Spec
from .store import Store

__all__ = ["Runtime", "Settings"]


@dataclasses.dataclass
class Settings:
    """Knobs of one mock instance."""

    admin_username: str = "admin"
    admin_password: str = "password"
    max_body_bytes: int = 10 * 1024 * 1024
    control_enabled: bool = True
    control_token: str | None = None
    version: str = "24.6.1"
    job_start_delay: float = 0.0  # seconds from pending to running
    job_duration: float = 1.0  # seconds a job runs unless its outcome says otherwise
    node_name: str = "awx-local"


@dataclasses.dataclass
class Runtime:
    """The state, clock, spec and policies of one mock; handlers reach them through ``Call``."""

    spec: Spec
    store: Store = dataclasses.field(default_factory=Store)
    clock: Clock = dataclasses.field(default_factory=ManualClock)
    settings: Settings = dataclasses.field(default_factory=Settings)
    access: Access = dataclasses.field(init=False)
    handler_errors: list[BaseException] = dataclasses.field(default_factory=list)
    request_log: list[dict[str, t.Any]] = dataclasses.field(default_factory=list)
    hooks: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    seed: int = 0
    rng: random.Random = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.access = Access(self.store)
        self.rng = random.Random(self.seed)

    def new_uuid(self) -> str:
        """A version-4 UUID from the instance's seeded generator (reproducible runs)."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def new_key(self, length: int) -> str:
        """A reproducible alphanumeric secret (webhook keys and the like)."""
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(self.rng.choice(alphabet) for _ in range(length))
