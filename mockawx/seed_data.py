"""Data AWX creates on installation: the managed credential types."""

from __future__ import annotations

from .runtime import Runtime

__all__ = ["seed_credential_types"]


def seed_credential_types(runtime: Runtime) -> None:
    """Placeholder until the managed credential types are loaded from the recorded install."""
    return None
