"""The table from operationId to handler, filled by ``@handles`` at import."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from ..web.call import Handler

__all__ = ["HANDLERS", "handles"]

HANDLERS: dict[str, Handler] = {}


def handles(*operation_ids: str) -> t.Callable[[Handler], Handler]:
    """Register a handler for one or more operationIds of the spec."""

    def register(handler: Handler) -> Handler:
        for operation_id in operation_ids:
            if operation_id in HANDLERS:
                raise RuntimeError(f"two handlers for {operation_id}")
            HANDLERS[operation_id] = handler
        return handler

    return register


def handle(operation_id: str, handler: Handler) -> None:
    """Register a handler made by a factory (generic list/detail views)."""
    handles(operation_id)(handler)
