"""Starting states: ``empty`` (what AWX's migrations create) and ``demo`` (a fresh install plus sample data)."""

from __future__ import annotations

import typing as t

from .auth import hash_password
from .runtime import Runtime
from .seed_data import (
    DEMO_HOST_VARIABLES,
    DEMO_PROJECT,
    GALAXY_URL,
    SYSTEM_JOB_TEMPLATES,
    credential_types,
    first_run,
    weekly_rrule,
)
from .store import Record

__all__ = ["SEEDS", "apply_seed", "row", "seed_demo", "seed_empty", "seed_fresh_install", "seed_sample"]

ADMIN_ID = 1
SCHEDULE_PROMPTS = (
    "inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode", "verbosity",
    "execution_environment", "forks", "job_slice_count", "timeout",
)
# Sub-lists AWX keeps on templates, created empty (the resources read them from the record).
TEMPLATE_LISTS = (
    "labels", "credentials", "instance_groups", "notification_templates_started",
    "notification_templates_success", "notification_templates_error",
)


def row(runtime: Runtime, schema: str, values: dict[str, t.Any], *, by: int | None = ADMIN_ID) -> Record:
    """A new record: every field of the write schema at its default, then ``values`` and the stamps."""
    now = runtime.clock.now()
    properties = runtime.spec.schema(schema).get("properties", {})
    defaults = {name: prop.get("default") for name, prop in properties.items()}
    return {"id": None, **defaults, **values, "created": now, "modified": now, "created_by": by, "modified_by": by}


def seed_empty(runtime: Runtime) -> None:
    """The admin user, system job templates and their schedules, instance groups, the instance, credential types."""
    from .resources._roles import create_roles

    store = runtime.store
    now = runtime.clock.now()
    store.meta.update(install_uuid=runtime.new_uuid(), instance_uuid=runtime.new_uuid(), sessions={})
    settings = runtime.settings
    store.insert("users", {
        "id": None, "username": settings.admin_username, "first_name": "", "last_name": "",
        "email": "admin@localhost", "is_superuser": True, "is_system_auditor": False, "is_active": True,
        "password_digest": hash_password(settings.admin_password), "created": now, "modified": None,
        "last_login": None, "ansible_id": runtime.new_uuid(),
    })
    for pk, name in ((1, "controlplane"), (2, "default")):
        store.insert("instance_groups", {
            "id": pk, "name": name, "created": now, "modified": now, "max_concurrent_jobs": 0, "max_forks": 0,
            "is_container_group": False, "credential": None, "policy_instance_percentage": 100,
            "policy_instance_minimum": 0, "policy_instance_list": [], "pod_spec_override": "", "instance_ids": [1],
        })
        create_roles(store, "instance_group", pk)
    store.sequences["instance_groups"] = 2
    store.insert("instances", {
        "id": 1, "hostname": settings.node_name, "uuid": store.meta["instance_uuid"], "node_type": "hybrid",
        "enabled": True, "created": now, "modified": now,
    })
    _system_job_templates(runtime)
    for pk, ctype in enumerate(credential_types(), start=1):
        store.insert("credential_types", {
            "id": pk, **ctype, "managed": True, "created": now, "modified": now, "created_by": None, "modified_by": None,
        })
    store.sequences["credential_types"] = len(store.all("credential_types"))


def _system_job_templates(runtime: Runtime) -> None:
    store = runtime.store
    now = runtime.clock.now()
    start = now.replace(microsecond=0)
    for pk, name, description, job_type, schedule, schedule_description, extra, weekday in SYSTEM_JOB_TEMPLATES:
        store.insert("system_job_templates", {
            "id": pk, "name": name, "description": description, "job_type": job_type,
            "execution_environment": None, "created": now, "modified": now, "created_by": None, "modified_by": None,
        })
        dtstart, next_run = first_run(start, weekday, now)
        store.insert("schedules", {
            "id": pk, "name": schedule, "description": schedule_description, "rrule": weekly_rrule(start, weekday),
            "extra_data": dict(extra), **{p: None for p in SCHEDULE_PROMPTS}, "unified_job_template": pk,
            "enabled": True, "dtstart": dtstart, "dtend": None, "next_run": next_run, "timezone": "UTC", "until": "",
            "labels": [], "credentials": [], "instance_groups": [],
            "created": now, "modified": now, "created_by": None, "modified_by": None,
        })
    last = SYSTEM_JOB_TEMPLATES[-1][0]
    store.sequences["unified_job_templates"] = last
    store.sequences["schedules"] = last


def _with_roles(runtime: Runtime, kind: str, object_type: str, record: Record, **extra: t.Any) -> Record:
    from .resources._roles import create_roles

    inserted = runtime.store.insert(kind, {**record, **extra})
    create_roles(runtime.store, object_type, inserted["id"])
    return inserted


def _template_extras() -> dict[str, t.Any]:
    return {name: [] for name in TEMPLATE_LISTS}


def _credential_row(runtime: Runtime, name: str, type_id: int, inputs: dict[str, t.Any], *, managed: bool) -> Record:
    record = row(runtime, "CredentialWrite", {"name": name, "credential_type": type_id, "inputs": inputs, "managed": managed})
    # user/team are write-only owner fields: they become role memberships, not columns
    return {k: v for k, v in record.items() if k not in ("user", "team")}


def seed_fresh_install(runtime: Runtime) -> dict[str, Record]:
    """AWX's preload: Default org, Demo Project/Inventory/Credential/Job Template, the Galaxy credential."""
    from .resources.credentials import new_credential

    store = runtime.store
    org = _with_roles(runtime, "organizations", "organization", row(runtime, "OrganizationWrite", {"name": "Default"}),
                      ansible_id=runtime.new_uuid(), galaxy_credentials=[], instance_groups=[])
    project = _with_roles(runtime, "projects", "project", row(runtime, "ProjectWrite", {
        "name": DEMO_PROJECT["name"], "scm_type": DEMO_PROJECT["scm_type"], "scm_url": DEMO_PROJECT["scm_url"],
        "organization": org["id"],
    }), scm_revision=DEMO_PROJECT["scm_revision"], status="successful", _playbooks=[DEMO_PROJECT["playbook"]],
        inventory_files=[], last_update_failed=False, last_updated=None, custom_virtualenv=None)
    store.update("projects", project["id"], {"local_path": f"_{project['id']}__demo_project"})
    machine = new_credential(store, _credential_row(runtime, "Demo Credential", 1, {"username": "admin"}, managed=False), user=ADMIN_ID)
    galaxy = new_credential(store, _credential_row(runtime, "Ansible Galaxy", 19, {"url": GALAXY_URL}, managed=True))
    store.update("organizations", org["id"], {"galaxy_credentials": [galaxy["id"]]})
    inventory = _with_roles(runtime, "inventories", "inventory", row(runtime, "InventoryWrite", {
        "name": "Demo Inventory", "organization": org["id"],
    }), labels=[], instance_groups=[], pending_deletion=False)
    store.insert("hosts", row(runtime, "HostWrite", {"name": "localhost", "inventory": inventory["id"], "variables": DEMO_HOST_VARIABLES}))
    template = _with_roles(runtime, "job_templates", "job_template", row(runtime, "JobTemplateWrite", {
        "name": "Demo Job Template", "inventory": inventory["id"], "project": project["id"],
        "playbook": DEMO_PROJECT["playbook"], "organization": org["id"],
    }), **{**_template_extras(), "credentials": [machine["id"]]}, survey_spec={}, webhook_key="", custom_virtualenv=None)
    return {"organization": org, "project": project, "inventory": inventory, "job_template": template, "credential": machine}


SAMPLE_SEED = 20240624  # fixed: the demo data is the same on every run
WORKFLOW_STEPS = (
    ("provision", "Provision Infrastructure"),
    ("deploy", "Deploy Application"),
    ("smoke-test", "Run Smoke Tests"),
    ("rollback", "Rollback Deployment"),
)
# (parent, edge, child) of "Deploy Full Stack".
WORKFLOW_EDGES = (
    ("provision", "success_nodes", "deploy"),
    ("deploy", "success_nodes", "smoke-test"),
    ("deploy", "failure_nodes", "rollback"),
    ("smoke-test", "failure_nodes", "rollback"),
)


def _job_template(runtime: Runtime, name: str, org: int, project: int, inventory: int, playbook: str, **values: t.Any) -> Record:
    record = row(runtime, "JobTemplateWrite", {
        "name": name, "inventory": inventory, "project": project, "playbook": playbook, "organization": org, **values,
    })
    return _with_roles(runtime, "job_templates", "job_template", record, **_template_extras(), survey_spec={}, webhook_key="", custom_virtualenv=None)


def _sample_organization(runtime: Runtime, fake: t.Any, index: int) -> None:
    """One more organization with a team, a member, a git project, an inventory with hosts and two job templates."""
    from .resources._members import grant, role_of

    store = runtime.store
    org = _with_roles(runtime, "organizations", "organization", row(runtime, "OrganizationWrite", {
        "name": f"{fake.company()} {('Engineering', 'Operations')[index]}", "description": fake.catch_phrase(),
    }), ansible_id=runtime.new_uuid(), galaxy_credentials=[], instance_groups=[])
    user = store.insert("users", {
        **row(runtime, "UserWrite", {"username": fake.unique.user_name(), "first_name": fake.first_name(), "last_name": fake.last_name()}),
        "email": fake.company_email(), "is_superuser": False, "is_system_auditor": False, "is_active": True,
        "password": None, "password_digest": None, "last_login": None, "ansible_id": runtime.new_uuid(),
    })
    grant(store, t.cast(Record, role_of(store, "organization", org["id"], "member_role")), user["id"])
    team = _with_roles(runtime, "teams", "team", row(runtime, "TeamWrite", {"name": f"{fake.job().split(',')[0]} Team", "organization": org["id"]}), ansible_id=runtime.new_uuid())
    grant(store, t.cast(Record, role_of(store, "team", team["id"], "member_role")), user["id"])
    slug = fake.unique.slug()
    playbooks = ["site.yml", "deploy.yml", "backup.yml"]
    project = _with_roles(runtime, "projects", "project", row(runtime, "ProjectWrite", {
        "name": f"{slug.replace('-', ' ').title()} Playbooks", "scm_type": "git", "organization": org["id"],
        "scm_url": f"https://git.example.com/{slug}/playbooks.git", "description": fake.sentence(nb_words=6),
    }), scm_revision=fake.sha1(), status="successful", _playbooks=playbooks, inventory_files=[],
        last_update_failed=False, last_updated=None, custom_virtualenv=None)
    store.update("projects", project["id"], {"local_path": f"_{project['id']}__{slug.replace('-', '_')}_playbooks"})
    inventory = _with_roles(runtime, "inventories", "inventory", row(runtime, "InventoryWrite", {
        "name": f"{slug.replace('-', ' ').title()} Servers", "organization": org["id"],
    }), labels=[], instance_groups=[], pending_deletion=False)
    for _ in range(3):
        store.insert("hosts", row(runtime, "HostWrite", {"name": fake.unique.hostname(), "inventory": inventory["id"], "variables": f"ansible_host: {fake.ipv4_private()}"}))
    for playbook in playbooks[:2]:
        name = f"{playbook.removesuffix('.yml').title()} {fake.word().title()}"
        _job_template(runtime, name, org["id"], project["id"], inventory["id"], playbook)


def _deploy_full_stack(runtime: Runtime, fresh: dict[str, Record]) -> None:
    """The sample workflow: provision, deploy, smoke test, with a rollback on failure."""
    from .resources._roles import create_roles

    store = runtime.store
    org, project, inventory = fresh["organization"]["id"], fresh["project"]["id"], fresh["inventory"]["id"]
    templates = {key: _job_template(runtime, name, org, project, inventory, DEMO_PROJECT["playbook"]) for key, name in WORKFLOW_STEPS}
    workflow = store.insert("workflow_job_templates", {
        **row(runtime, "WorkflowJobTemplateWrite", {
            "name": "Deploy Full Stack", "description": "Deploys the full application stack",
            "organization": org, "extra_vars": "---\nenv: production", "ask_variables_on_launch": True,
        }),
        "labels": [], "survey_spec": {}, "webhook_key": "", "notification_templates_started": [],
        "notification_templates_success": [], "notification_templates_error": [], "notification_templates_approvals": [],
    })
    create_roles(store, "workflow_job_template", workflow["id"])
    nodes = {}
    for key, _ in WORKFLOW_STEPS:
        nodes[key] = store.insert("workflow_job_template_nodes", {
            **row(runtime, "WorkflowJobTemplateNodeWrite", {
                "workflow_job_template": workflow["id"], "unified_job_template": templates[key]["id"], "identifier": key,
            }),
            "extra_data": {}, "all_parents_must_converge": False, "success_nodes": [], "failure_nodes": [],
            "always_nodes": [], "credentials": [], "labels": [], "instance_groups": [],
        })
    for parent, edge, child in WORKFLOW_EDGES:
        current = store.get("workflow_job_template_nodes", nodes[parent]["id"]) or {}
        store.update("workflow_job_template_nodes", nodes[parent]["id"], {edge: [*current.get(edge, []), nodes[child]["id"]]})


def seed_sample(runtime: Runtime, fresh: dict[str, Record]) -> None:
    """Two more organizations and the "Deploy Full Stack" workflow, generated by Faker from a fixed seed."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(SAMPLE_SEED)
    for index in range(2):
        _sample_organization(runtime, fake, index)
    _deploy_full_stack(runtime, fresh)


def seed_demo(runtime: Runtime) -> None:
    """A fresh install (as AWX's preload makes it) plus the sample data set."""
    seed_empty(runtime)
    seed_sample(runtime, seed_fresh_install(runtime))


SEEDS: dict[str, t.Callable[[Runtime], None]] = {"empty": seed_empty, "demo": seed_demo}


def apply_seed(runtime: Runtime, name: str) -> None:
    """Fill a new runtime's store with the named seed."""
    from .errors import MockAWXError

    try:
        seed = SEEDS[name]
    except KeyError:
        raise MockAWXError(f"unknown seed {name!r}; choose one of {', '.join(sorted(SEEDS))}") from None
    seed(runtime)

