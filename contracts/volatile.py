"""The one place that says which recorded values are volatile, and how each is compared (by shape).

Golden recordings come from a real AWX whose ids, timestamps, uuids, keys and tokens differ from the mock's.
Everything here is data plus tiny predicates; ``contracts.replay`` applies them.
"""

from __future__ import annotations

import re
import typing as t

__all__ = [
    "ADVANCING_TIME_KEYS",
    "IdMap",
    "KEYED_ID_TEXT",
    "match_keyed_text",
    "match_url_query",
    "path_collection",
    "query_kinds",
    "match_text",
    "FK_KINDS",
    "SECRET_KEYS",
    "SHAPE_ONLY",
    "SHAPE_RULES",
    "SUBLIST_KINDS",
    "TIMESTAMP",
    "TYPE_COLLECTIONS",
    "UNORDERED_KEYS",
    "id_space",
    "kind_of_key",
    "kind_of_type",
    "shape_rule",
]

# API fields end in Z; the bodies AWX's notifications send use Python's isoformat (+00:00).
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# GitHub delivery ids are uuids; GitLab's guid is the SHA1 of the raw body.
GUID = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{40})$")
REDACTED = re.compile(r"^<redacted(: [^>]*)?>$")


def _timestamp(value: t.Any) -> bool:
    return isinstance(value, str) and bool(TIMESTAMP.match(value))


def _uuid(value: t.Any) -> bool:
    return isinstance(value, str) and bool(UUID.match(value))


def _guid(value: t.Any) -> bool:
    return isinstance(value, str) and bool(GUID.match(value))


def _number(value: t.Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: t.Any) -> bool:
    return isinstance(value, str)


def _int(value: t.Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# key -> (description, predicate for the mock's value). A recorded null must stay null (checked by the caller).
SHAPE_RULES: dict[str, tuple[str, t.Callable[[t.Any], bool]]] = {
    **{key: ("a timestamp", _timestamp) for key in (
        "created", "modified", "last_login", "started", "finished", "canceled_on", "timestamp",
        "last_job_run", "next_job_run", "next_run", "last_updated", "expires", "heartbeat",
    )},
    **{key: ("a uuid", _uuid) for key in ("ansible_id", "uuid", "install_uuid", "instance_uuid")},
    "webhook_guid": ("a delivery guid", _guid),
    "elapsed": ("a number", _number),
    "result_traceback": ("a string", _text),
    "client_id": ("a string", _text),
    # Activity stream primary keys name objects of several kinds (the role id for role grants).
    "object1_pk": ("an integer", _int),
    "object2_pk": ("an integer", _int),
    "resource_id": ("an integer", _int),
}

# Secrets AWX shows once: the recording redacts them, the mock returns real values (mapped by the replay).
SECRET_KEYS = frozenset({"token", "refresh_token", "client_secret", "webhook_key"})

# Timestamps that say "the recorded server clock had reached at least this" (used to advance the mock's clock).
ADVANCING_TIME_KEYS = frozenset({"created", "modified", "started", "finished", "canceled_on", "timestamp", "last_login"})

# Lists AWX emits in set order: compared as multisets.
UNORDERED_KEYS = frozenset({"related_search_fields"})

# Responses listing objects from other recordings (databases that were not fresh): compared by shape only.
SHAPE_ONLY: dict[str, frozenset[str]] = {
    "golden-supporting": frozenset({"067", "084", "166", "187", "253"}),
}


def shape_rule(key: str | None) -> tuple[str, t.Callable[[t.Any], bool]] | None:
    """How a value under ``key`` is compared when it is volatile, or None when it is compared exactly."""
    return SHAPE_RULES.get(key) if key is not None else None


# ---- ids: every id is volatile and is compared through the replay's recorded-id -> mock-id map ----

UNIFIED_JOB_TEMPLATES = frozenset({
    "unified_job_templates", "job_templates", "workflow_job_templates", "projects", "inventory_sources",
    "system_job_templates", "workflow_approval_templates",
})
UNIFIED_JOBS = frozenset({
    "unified_jobs", "jobs", "workflow_jobs", "project_updates", "inventory_updates", "system_jobs",
    "workflow_approvals", "ad_hoc_commands",
})

# Object types whose collection is not simply type + "s".
TYPE_COLLECTIONS = {
    "activity_stream": "activity_stream", "inventory": "inventories", "o_auth2_access_token": "tokens",
    "o_auth2_application": "applications",
}

# Field / summary key -> collection of the object it refers to.
FK_KINDS = {
    "organization": "organizations", "organization_id": "organizations", "default_environment": "execution_environments",
    "inventory": "inventories", "project": "projects", "source_project": "projects", "inventory_source": "inventory_sources",
    "job_template": "job_templates", "workflow_job_template": "workflow_job_templates",
    "unified_job_template": "unified_job_templates", "unified_job_template_id": "unified_job_templates",
    "workflow_approval_template": "workflow_approval_templates",
    "job": "jobs", "workflow_job": "workflow_jobs", "project_update": "project_updates",
    "source_project_update": "project_updates", "inventory_update": "inventory_updates",
    "last_job": "unified_jobs", "current_job": "unified_jobs", "current_update": "unified_jobs",
    "last_update": "unified_jobs", "source_workflow_job": "workflow_jobs", "recent_jobs": "unified_jobs",
    "notification_template": "notification_templates", "notification_template_id": "notification_templates",
    "notification": "notifications", "recent_notifications": "notifications",
    "credential_type": "credential_types", "credential": "credentials", "webhook_credential": "credentials",
    "credentials": "credentials", "execution_environment": "execution_environments",
    "instance_group": "instance_groups", "user": "users", "created_by": "users", "modified_by": "users",
    "approved_or_denied_by": "users", "actor": "users", "team": "teams", "schedule": "schedules",
    "labels": "labels", "application": "applications", "host": "hosts", "group": "groups",
    "object_roles": "roles",
}

# POST {"id": N} to /<collection>/<id>/<sublist>/: the collection N belongs to.
SUBLIST_KINDS = {
    "success_nodes": "workflow_job_template_nodes", "failure_nodes": "workflow_job_template_nodes",
    "always_nodes": "workflow_job_template_nodes", "roles": "roles", "users": "users", "admins": "users",
    "teams": "teams", "labels": "labels", "credentials": "credentials", "instance_groups": "instance_groups",
    "notification_templates_started": "notification_templates",
    "notification_templates_success": "notification_templates",
    "notification_templates_error": "notification_templates",
    "notification_templates_approvals": "notification_templates",
}


def id_space(collection: str) -> str:
    """The id sequence a collection draws from (unified templates and unified jobs each share one)."""
    if collection in UNIFIED_JOB_TEMPLATES:
        return "unified_job_templates"
    if collection in UNIFIED_JOBS:
        return "unified_jobs"
    return collection


def kind_of_type(type_name: str) -> str:
    """The id space of an object by its ``type`` field."""
    return id_space(TYPE_COLLECTIONS.get(type_name, type_name + "s"))


def kind_of_key(key: str | None) -> str | None:
    """The id space of an id found under ``key`` (a field, a summary entry), or None when not an id field."""
    if key is None:
        return None
    if key in FK_KINDS:
        return id_space(FK_KINDS[key])
    if key.endswith("_role"):
        return "roles"
    return None


# ---- comparing ids through the map ----

# An id inside text: a URL path segment after its collection, the pk of a "does not exist" message, or the
# unified job named in a "Previous Task Failed: {..., "job_id": "N"}" or "waiting for projectupdate-N to finish"
# explanation, or the approval itself in "The approval node NAME (N) has expired after ..." .
ID_IN_TEXT = re.compile(
    r'(?:/api/v2/(?P<collection>[a-z_0-9]+)/|pk "|(?P<job>"job_id": "|waiting for [a-z]+-|/#/jobs/workflow/|spawns job #)'
    r'|(?P<template>The approval node .*? \()|(?P<notifier>^Test Notification )|(?P<node>node #)'
    r'|(?P<named>(?<=[^\s\d-])-(?=\d+$)))'  # the activity stream's "NAME-ID" for a foreign key in changes
    r'(?P<id>\d+)(?=[/" ,]|$|\) has expired)'
)


class IdMap:
    """Recorded id -> mock id, per id space; learned at first sight, enforced afterwards."""

    def __init__(self) -> None:
        self.forward: dict[str, dict[int, int]] = {}
        self.backward: dict[str, dict[int, int]] = {}

    def to_mock(self, space: str, recorded: int) -> int:
        """The mock's id for a recorded id (unknown ids are sent unchanged: they name nothing in either)."""
        return self.forward.get(space, {}).get(recorded, recorded)

    def check(self, space: str, recorded: int, actual: int) -> bool:
        """True when ``actual`` is the mock id of ``recorded``; an unseen pair is learned."""
        forward = self.forward.setdefault(space, {})
        backward = self.backward.setdefault(space, {})
        if recorded in forward:
            return forward[recorded] == actual
        if actual in backward:
            return False
        forward[recorded] = actual
        backward[actual] = recorded
        return True


# Values that carry an id in a form of their own: an SCM project's folder under the projects root is
# ``_<project id>__<slugified name>`` (``local_path`` of projects and project updates).
KEYED_ID_TEXT: dict[str, tuple[re.Pattern[str], str]] = {
    "local_path": (re.compile(r"^_(?P<id>\d+)__(?P<rest>.*)$"), "unified_job_templates"),
}


def match_keyed_text(ids: IdMap, key: str, expected: str, actual: t.Any) -> bool | None:
    """Compare a value of ``KEYED_ID_TEXT`` through the id map; None when ``expected`` does not carry an id."""
    pattern, space = KEYED_ID_TEXT[key]
    want = pattern.match(expected)
    if want is None:
        return None
    got = pattern.match(actual) if isinstance(actual, str) else None
    if got is None or got.group("rest") != want.group("rest"):
        return False
    return ids.check(space, int(want.group("id")), int(got.group("id")))


def path_collection(route: str) -> str | None:
    """The last collection name in an API path (``/api/v2/roles/5/users/`` -> ``users``)."""
    parts = [part for part in route.split("/") if part]
    for part in reversed(parts):
        if not part.isdigit() and part not in ("api", "v2"):
            return part
    return None


def query_kinds(route: str, query: str) -> t.Callable[[str], str | None]:
    """For a query string of ``route``: the id space of each integer parameter (``id``, ``object_id``, FKs)."""
    collection = path_collection(route)
    model = re.search(r"(?:^|&)content_type__model=([a-z_0-9]+)", query)

    def kind(key: str) -> str | None:
        if key == "id":
            return id_space(collection) if collection else None
        if key == "object_id":
            return kind_of_type(model.group(1)) if model else None
        for part in reversed(key.split("__")):
            found = kind_of_key(part)
            if found:
                return found
        return None

    return kind


def match_url_query(ids: IdMap, expected: str, actual: str) -> bool:
    """Compare two query strings parameter by parameter, integer ids of known spaces through the map."""
    route, _, want_query = expected.partition("?")
    got_query = actual.partition("?")[2]
    want = [item.partition("=") for item in want_query.split("&")]
    got = [item.partition("=") for item in got_query.split("&")]
    if [(k, s) for k, s, _ in want] != [(k, s) for k, s, _ in got]:
        return False
    kinds = query_kinds(route, want_query)
    for (key, _, want_value), (_, _, got_value) in zip(want, got):
        space = kinds(key) if want_value.isdigit() and got_value.isdigit() else None
        if not (ids.check(space, int(want_value), int(got_value)) if space else want_value == got_value):
            return False
    return True


# Parts of texts that differ between any two runs: the loopback receiver's ports (the replay runs its own
# receiver, contracts.replay_receiver) and the address of the connection object in a connection error.
VOLATILE_IN_TEXT = (
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"host='127\.0\.0\.1', port=\d+"), "host='127.0.0.1', port=<port>"),
    (re.compile(r" object at 0x[0-9a-f]+>"), " object at <address>>"),
)


def _without_volatile_text(text: str) -> str:
    for pattern, replacement in VOLATILE_IN_TEXT:
        text = pattern.sub(replacement, text)
    return text


def match_text(ids: IdMap, expected: str, actual: t.Any, key_space: str | None = None) -> bool:
    """Compare a string in which ids may appear (``/api/v2/workflow_jobs/6/``, ``Invalid pk "99"``) through the map."""
    if not isinstance(actual, str):
        return False
    expected, actual = _without_volatile_text(expected), _without_volatile_text(actual)
    if expected.startswith("/api/") and "?" in expected:
        if "?" not in actual or not match_url_query(ids, expected, actual):
            return False
        expected, actual = expected.partition("?")[0], actual.partition("?")[0]
    matches = list(ID_IN_TEXT.finditer(expected))
    if not matches:
        return expected == actual
    pattern, position = [], 0
    for match in matches:
        pattern.append(re.escape(expected[position:match.start("id")]) + r"(\d+)")
        position = match.end("id")
    found = re.fullmatch("".join(pattern) + re.escape(expected[position:]), actual)
    if found is None:
        return False
    for match, actual_id in zip(matches, found.groups()):
        space = (
            id_space(match.group("collection")) if match.group("collection")
            else "unified_jobs" if match.group("job")
            else "unified_jobs" if match.group("template")
            else "notification_templates" if match.group("notifier")
            else "workflow_job_nodes" if match.group("node") else key_space
        )
        recorded = int(match.group("id"))
        if not (ids.check(space, recorded, int(actual_id)) if space else recorded == int(actual_id)):
            return False
    return True
