"""Who may do what: the seam role-based access control fills in.

Today a superuser may do everything and a system auditor may read everything; other users
see only what their organizations' roles give them once RBAC lands.
"""

from __future__ import annotations

import typing as t

from .store import Record, Store

__all__ = ["Access", "READ", "CHANGE", "DELETE", "EXECUTE", "ADMIN", "APPROVE", "COPY"]

READ, CHANGE, DELETE, EXECUTE, ADMIN, APPROVE = "read", "change", "delete", "execute", "admin", "approve"
COPY = "copy"  # separate from ADMIN: a workflow template's admin may not copy it (its organization decides)


RolePolicy = t.Callable[[Store, Record, str, str, Record], bool]


class Access:
    """Answers ``can(user, action, kind, record)`` for handlers and serializers.

    ``role_policy`` is where object roles come in: the resources install the role graph there.
    """

    role_policy: t.ClassVar[RolePolicy | None] = None

    def __init__(self, store: Store) -> None:
        self.store = store

    def can(self, user: Record | None, action: str, kind: str, record: Record | None = None) -> bool:
        if user is None:
            return False
        if user.get("is_superuser"):
            return True
        if action == READ and user.get("is_system_auditor"):
            return True
        if kind == "users" and record is not None and record.get("id") == user.get("id"):
            return action in (READ, CHANGE)
        policy = type(self).role_policy
        if policy is not None and record is not None:
            return policy(self.store, user, action, kind, record)
        return False

    def capabilities(self, user: Record | None, kind: str, record: Record, names: t.Iterable[str]) -> dict[str, bool]:
        """``summary_fields.user_capabilities`` for ``record``."""
        mapping = {"edit": CHANGE, "delete": DELETE, "start": EXECUTE, "schedule": EXECUTE, "copy": COPY}
        return {name: self.can(user, mapping.get(name, name), kind, record) for name in names}
