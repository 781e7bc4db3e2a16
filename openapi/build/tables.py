"""Hand-kept tables for generate.py: models, paths and the shapes of non-resource bodies.

Everything that can be read from the recordings lives in observed.json; this file only
says what the recordings cannot: which URL serves which model, which operations exist,
and how AWX's special (non-model) bodies look.
"""
from __future__ import annotations

# name, AWX type string, URL collection, verbose name (used in AWX's standard help texts)
MODELS = [
    ("WorkflowJobTemplate", "workflow_job_template", "workflow_job_templates", "workflow job template"),
    ("WorkflowJobTemplateNode", "workflow_job_template_node", "workflow_job_template_nodes", "workflow job template node"),
    ("WorkflowJob", "workflow_job", "workflow_jobs", "workflow job"),
    ("WorkflowJobNode", "workflow_job_node", "workflow_job_nodes", "workflow job node"),
    ("WorkflowApprovalTemplate", "workflow_approval_template", "workflow_approval_templates", "workflow approval template"),
    ("WorkflowApproval", "workflow_approval", "workflow_approvals", "workflow approval"),
    ("Organization", "organization", "organizations", "organization"),
    ("User", "user", "users", "user"),
    ("Team", "team", "teams", "team"),
    ("Project", "project", "projects", "project"),
    ("ProjectUpdate", "project_update", "project_updates", "project update"),
    ("Inventory", "inventory", "inventories", "inventory"),
    ("Host", "host", "hosts", "host"),
    ("InventorySource", "inventory_source", "inventory_sources", "inventory source"),
    ("InventoryUpdate", "inventory_update", "inventory_updates", "inventory update"),
    ("JobTemplate", "job_template", "job_templates", "job template"),
    ("Job", "job", "jobs", "job"),
    ("Label", "label", "labels", "label"),
    ("Schedule", "schedule", "schedules", "schedule"),
    ("NotificationTemplate", "notification_template", "notification_templates", "notification template"),
    ("Notification", "notification", "notifications", "notification"),
    ("ActivityStream", "activity_stream", "activity_stream", "activity stream"),
    ("Credential", "credential", "credentials", "credential"),
    ("CredentialType", "credential_type", "credential_types", "credential type"),
    ("ExecutionEnvironment", "execution_environment", "execution_environments", "execution environment"),
    ("Application", "o_auth2_application", "applications", "application"),
    ("InstanceGroup", "instance_group", "instance_groups", "instance group"),
    ("Instance", "instance", "instances", "instance"),
    ("Role", "role", "roles", "role"),
    ("OAuth2Token", "o_auth2_access_token", "tokens", "access token"),
    ("SystemJobTemplate", "system_job_template", "system_job_templates", "system job template"),
    ("JobEvent", "job_event", None, "job event"),
    ("JobHostSummary", "job_host_summary", None, "job host summary"),
    ("UnifiedJobTemplate", None, "unified_job_templates", "unified job template"),
    ("UnifiedJob", None, "unified_jobs", "unified job"),
]

# AWX's own definition name in the reference structure, when it differs from the model name
REFERENCE_DEFINITION = {
    "WorkflowJobNode": "WorkflowJobNodeDetail",
    "Job": "JobDetail",
    "ProjectUpdate": "ProjectUpdateDetail",
    "InventoryUpdate": "InventoryUpdateDetail",
    "Application": "OAuth2Application",
    "OAuth2Token": "OAuth2Token",
    "UnifiedJob": "UnifiedJobList",
}

# The types a polymorphic list can hold (for the fields every item carries).
POLYMORPHIC = {
    "UnifiedJobTemplate": ["project", "inventory_source", "job_template", "system_job_template", "workflow_job_template"],
    "UnifiedJob": ["project_update", "inventory_update", "job", "workflow_job", "workflow_approval", "system_job"],
}

# Where a field's OPTIONS metadata may be borrowed from when the model itself was never
# recorded with OPTIONS (first hit wins; "this <verbose name>" is rewritten).
BORROW = {
    "WorkflowJob": ["unified_job", "job", "workflow_job_template"],
    "WorkflowJobNode": ["workflow_job_template_node", "job"],
    "WorkflowApprovalTemplate": ["unified_job_template", "workflow_job_template"],
    "WorkflowApproval": ["unified_job", "job"],
    "Host": ["inventory", "job_template"],
    "InstanceGroup": [],
    "Instance": [],
    "Notification": ["notification_template"],
    "SystemJobTemplate": ["unified_job_template", "job_template"],
    "JobEvent": ["job"],
    "JobHostSummary": ["job"],
}

# Foreign keys: field name -> URL collection of the target
FOREIGN_KEYS = {
    "organization": "organizations",
    "inventory": "inventories",
    "credential": "credentials",
    "webhook_credential": "credentials",
    "signature_validation_credential": "credentials",
    "execution_environment": "execution_environments",
    "default_environment": "execution_environments",
    "project": "projects",
    "source_project": "projects",
    "unified_job_template": "unified_job_templates",
    "workflow_job_template": "workflow_job_templates",
    "credential_type": "credential_types",
    "user": "users",
    "team": "teams",
    "application": "applications",
    "notification_template": "notification_templates",
    "job_template": "job_templates",
    "instance_group": "instance_groups",
    "inventory_source": "inventory_sources",
}

# Write fields that accept null on top of what the recordings show (AWX turns null into the default).
NULL_ACCEPTED = {
    ("WorkflowJobTemplate", "description"),
    ("WorkflowJobTemplate", "survey_enabled"),
}

# Write schemas without an OPTIONS recording: the writable fields, in serializer order.
WRITE_FIELDS = {
    "WorkflowApprovalTemplate": ["name", "description", "execution_environment", "timeout"],
    "InstanceGroup": ["name", "max_concurrent_jobs", "max_forks", "is_container_group", "credential",
                      "policy_instance_percentage", "policy_instance_minimum", "policy_instance_list",
                      "pod_spec_override"],
    "Host": ["name", "description", "inventory", "enabled", "instance_id", "variables"],
}
WRITE_REQUIRED = {
    "WorkflowApprovalTemplate": ["name"],
    "InstanceGroup": ["name"],
    "Host": ["name", "inventory"],
}
