"""Discovery: ``/api/``, ``/api/v2/``, ping, config and me."""

from __future__ import annotations

import base64
import binascii
import io
import json
import typing as t
import zipfile

from ..auth import new_secret
from ..clock import format_time
from ..errors import BadRequest, PermissionDenied
from ..web.call import Call, Reply
from ._common import list_reply
from ._registry import handles

# The resource index of /api/v2/, in AWX's order; most names map to /api/v2/<name>/.
API_V2_NAMES = (
    "ping", "instances", "instance_groups", "receptor_addresses", "config", "settings", "me",
    "dashboard", "organizations", "users", "execution_environments", "projects", "project_updates",
    "teams", "credentials", "credential_types", "credential_input_sources", "applications",
    "tokens", "metrics", "inventory", "constructed_inventory", "inventory_sources",
    "inventory_updates", "groups", "hosts", "host_metrics", "host_metric_summary_monthly",
    "job_templates", "jobs", "ad_hoc_commands", "system_job_templates", "system_jobs", "schedules",
    "roles", "notification_templates", "notifications", "labels", "unified_job_templates",
    "unified_jobs", "activity_stream", "workflow_job_templates", "workflow_jobs",
    "workflow_approvals", "workflow_job_template_nodes", "workflow_job_nodes", "mesh_visualizer",
    "bulk", "analytics", "service_index", "role_definitions", "role_user_assignments",
    "role_team_assignments",
)
API_V2_PATHS = {'inventory': '/api/v2/inventories/', 'constructed_inventory': '/api/v2/constructed_inventories/', 'service_index': '/api/v2/service-index/'}

ANALYTICS_COLLECTORS = {
    "config": {
        "name": "config",
        "version": "1.6",
        "description": "General platform configuration."
    },
    "counts": {
        "name": "counts",
        "version": "1.2",
        "description": "Counts of objects such as organizations, inventories, and projects"
    },
    "cred_type_counts": {
        "name": "cred_type_counts",
        "version": "1.0",
        "description": "Counts of credentials by credential type"
    },
    "events_table": {
        "name": "events_table",
        "version": "1.5",
        "description": "Automation task records"
    },
    "host_metric_summary_monthly_table": {
        "name": "host_metric_summary_monthly_table",
        "version": "1.0",
        "description": "HostMetricSummaryMonthly export, full sync"
    },
    "host_metric_table": {
        "name": "host_metric_table",
        "version": "1.0",
        "description": "Host Metric data, incremental/full sync"
    },
    "instance_info": {
        "name": "instance_info",
        "version": "1.3",
        "description": "Cluster topology and capacity"
    },
    "inventory_counts": {
        "name": "inventory_counts",
        "version": "1.2",
        "description": "Inventories, their inventory sources, and host counts"
    },
    "org_counts": {
        "name": "org_counts",
        "version": "1.0",
        "description": "Counts of users and teams by organization"
    },
    "projects_by_scm_type": {
        "name": "projects_by_scm_type",
        "version": "1.0",
        "description": "Counts of projects by source control type"
    },
    "query_info": {
        "name": "query_info",
        "version": "1.0",
        "description": "Metadata about the analytics collected"
    },
    "unified_job_template_table": {
        "name": "unified_job_template_table",
        "version": "1.1",
        "description": "Data on job templates"
    },
    "unified_jobs_table": {
        "name": "unified_jobs_table",
        "version": "1.4",
        "description": "Data on jobs run"
    },
    "workflow_job_node_table": {
        "name": "workflow_job_node_table",
        "version": "1.0",
        "description": "Data on workflow runs"
    },
    "workflow_job_template_node_table": {
        "name": "workflow_job_template_node_table",
        "version": "1.0",
        "description": "Data on workflows"
    }
}

BECOME_METHODS = [["sudo", "Sudo"], ["su", "Su"], ["pbrun", "Pbrun"], ["pfexec", "Pfexec"], ["dzdo", "DZDO"], ["pmrun", "Pmrun"], ["runas", "Runas"], ["enable", "Enable"], ["doas", "Doas"], ["ksu", "Ksu"], ["machinectl", "Machinectl"], ["sesu", "Sesu"]]


@handles("api_list")
def api_root(call: Call) -> Reply:
    """``/api/``: the version index; sets the CSRF cookie the awx CLI's login needs."""
    body = {
        "description": "AWX REST API",
        "current_version": "/api/v2/",
        "available_versions": {"v2": "/api/v2/"},
        "oauth2": "/api/o/",
        "custom_logo": "",
        "custom_login_info": "",
        "login_redirect_override": "",
        "swagger": "/api/swagger/",
    }
    token = call.request.cookies.get("csrftoken") or new_secret(32)
    return Reply(200, body, {"Set-Cookie": f"csrftoken={token}; Path=/; SameSite=Lax"})


@handles("api_read")
def api_v2_root(call: Call) -> dict[str, str]:
    """``/api/v2/``: every collection AWX lists, with its path."""
    return {name: API_V2_PATHS.get(name, f"/api/v2/{name}/") for name in API_V2_NAMES}


@handles("api_ping_list")
def ping(call: Call) -> dict[str, t.Any]:
    """``/api/v2/ping/``: the node, its instance and instance groups."""
    settings = call.runtime.settings
    meta = call.store.meta
    heartbeat = format_time(call.clock.now())
    node = settings.node_name
    return {
        "ha": False,
        "version": settings.version,
        "active_node": node,
        "install_uuid": meta.get("install_uuid", ""),
        "instances": [
            {"node": node, "node_type": "hybrid", "uuid": meta.get("instance_uuid", ""), "heartbeat": heartbeat, "capacity": 220, "version": settings.version}
        ],
        "instance_groups": [
            {"name": group["name"], "capacity": 220, "instances": [node]}
            for group in sorted(call.store.all("instance_groups"), key=lambda g: g["name"])
        ],
    }


OPEN_LICENSE = {"license_type": "open", "valid_key": True, "subscription_name": "OPEN", "product_name": "AWX"}
LEGACY_LICENSE = "Legacy license submitted. A subscription manifest is now required."


@handles("api_config_list")
def config(call: Call) -> dict[str, t.Any]:
    """``/api/v2/config/``: license, version and (for admins) project paths."""
    body: dict[str, t.Any] = {
        "time_zone": "UTC",
        "license_info": dict(OPEN_LICENSE),
        "version": call.runtime.settings.version,
        "eula": "",
        "analytics_status": "off",
        "analytics_collectors": ANALYTICS_COLLECTORS,
        "become_methods": BECOME_METHODS,
        "ui_next": True,
    }
    if call.is_superuser:
        body["project_base_dir"] = "/var/lib/awx/projects/"
        body["project_local_paths"] = sorted(call.store.meta.get("project_local_paths", []))
        body["custom_virtualenvs"] = []
    return body


def _superuser_only(call: Call) -> None:
    if not call.is_superuser:
        raise PermissionDenied()


def _manifest_error(manifest: t.Any) -> str:
    """Why AWX refuses a subscription manifest (an open install can never apply one)."""
    try:
        decoded = base64.b64decode(manifest)
    except binascii.Error as exc:
        return str(exc)
    except (TypeError, ValueError):
        return "Invalid manifest submitted."
    try:
        if "license_key" in json.loads(decoded):
            return LEGACY_LICENSE
    except (ValueError, TypeError):
        pass
    try:
        names = zipfile.ZipFile(io.BytesIO(decoded)).namelist()
    except zipfile.BadZipFile:
        return "Invalid manifest: a subscription manifest zip file is required."
    if "consumer_export.zip" not in names or "signature" not in names:
        return "Invalid manifest: missing required files."
    # AWX then needs Red Hat's signing certificate, which an open install does not ship
    return "Invalid manifest submitted."


@handles("api_config_create")
def config_create(call: Call) -> dict[str, t.Any]:
    """Attach a subscription: an open install refuses manifests and answers its open license otherwise."""
    _superuser_only(call)
    data = call.raw_body
    if not isinstance(data, dict):
        raise BadRequest({"error": "Invalid subscription data"})
    if "license_key" in data:
        raise BadRequest({"error": LEGACY_LICENSE})
    if "manifest" in data:
        raise BadRequest({"error": _manifest_error(data["manifest"])})
    return dict(OPEN_LICENSE)


@handles("api_config_delete")
def config_delete(call: Call) -> Reply:
    """Remove the subscription: the open license stays in force, so nothing visible changes."""
    _superuser_only(call)
    return Reply(204, None)


@handles("api_me_list")
def me(call: Call) -> dict[str, t.Any]:
    """``/api/v2/me/``: a one-item page with the calling user."""
    assert call.user is not None
    return list_reply(call, "users", [call.user], order=False)
