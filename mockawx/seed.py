"""Starting states: ``empty`` (what AWX's migrations create) and ``demo`` (a fresh install plus sample data)."""

from __future__ import annotations

import typing as t

from .auth import hash_password
from .runtime import Runtime

__all__ = ["SEEDS", "apply_seed", "seed_empty"]

SYSTEM_JOB_TEMPLATES = (
    ("Cleanup Job Details", "Remove job history", "cleanup_jobs"),
    ("Cleanup Activity Stream", "Remove activity stream history", "cleanup_activitystream"),
    ("Cleanup Expired Sessions", "Cleans out expired browser sessions", "cleanup_sessions"),
    ("Cleanup Expired OAuth 2 Tokens", "Cleanup expired OAuth 2 access and refresh tokens", "cleanup_tokens"),
)


def seed_empty(runtime: Runtime) -> None:
    """The admin user, system job templates, instance groups and managed credential types."""
    store = runtime.store
    now = runtime.clock.now()
    store.meta["install_uuid"] = runtime.new_uuid()
    store.meta["instance_uuid"] = runtime.new_uuid()
    store.meta["sessions"] = {}
    settings = runtime.settings
    store.insert("users", {
        "id": None, "username": settings.admin_username, "first_name": "", "last_name": "",
        "email": "admin@localhost", "is_superuser": True, "is_system_auditor": False, "is_active": True,
        "password_digest": hash_password(settings.admin_password), "created": now, "modified": None,
        "ansible_id": runtime.new_uuid(),
    })
    for name, description, job_type in SYSTEM_JOB_TEMPLATES:
        store.insert("system_job_templates", {
            "id": None, "name": name, "description": description, "job_type": job_type,
            "created": now, "modified": now, "created_by": None, "modified_by": None,
        })
    for name in ("controlplane", "default"):
        store.insert("instance_groups", {"id": None, "name": name, "created": now, "modified": now, "is_container_group": False, "policy_instance_percentage": 100 if name == "default" else 100, "policy_instance_minimum": 0, "policy_instance_list": [], "pod_spec_override": "", "max_concurrent_jobs": 0, "max_forks": 0, "credential": None})
    from .seed_data import seed_credential_types

    seed_credential_types(runtime)


SEEDS: dict[str, t.Callable[[Runtime], None]] = {"empty": seed_empty}


def apply_seed(runtime: Runtime, name: str) -> None:
    """Fill a new runtime's store with the named seed."""
    from .errors import MockAWXError

    try:
        seed = SEEDS[name]
    except KeyError:
        raise MockAWXError(f"unknown seed {name!r}; choose one of {', '.join(sorted(SEEDS))}") from None
    seed(runtime)
