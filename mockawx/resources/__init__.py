"""Every operation's handler; importing this package registers them all."""

from __future__ import annotations

from . import (  # noqa: F401
    access,
    activity_stream,
    applications,
    approvals,
    control,
    copy,
    credentials,
    discovery,
    execution_environments,
    instance_groups,
    inventories,
    inventory_sources,
    job_launch,
    job_output,
    job_templates,
    jobs,
    labels,
    launch,
    login,
    notification_bodies,
    notification_delivery,
    notifications,
    organizations,
    project_updates,
    projects,
    roles,
    schedule_zoneinfo,
    scheduled,
    schedules,
    survey,
    system_job_templates,
    teams,
    tokens,
    unified,
    users,
    webhook_receivers,
    webhooks,
    workflow_approvals,
    workflow_edges,
    workflow_job_templates,
    workflow_jobs,
    workflow_nodes,
)
from . import _hooks  # noqa: F401  (connects notifications to job status changes)
from ._registry import HANDLERS

__all__ = ["HANDLERS"]
