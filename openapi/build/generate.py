"""Build openapi/awx.yaml from observed.json (recorded facts) and tables.py (hand-kept tables).

Usage: python openapi/build/generate.py [--check]

The output is deterministic: the same inputs always give byte-identical YAML.
With --check the file on disk is compared instead of written (exit 1 on a difference).
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tables  # noqa: E402

OUTPUT = os.path.normpath(os.path.join(HERE, "..", "awx.yaml"))
SCHEMA = "#/components/schemas/"

with open(os.path.join(HERE, "observed.json"), encoding="utf-8") as _fh:
    OBS = json.load(_fh)

REF_OPS = OBS["reference"]["operations"]
REF_DEFS = OBS["reference"]["definitions"]
OPTIONS = OBS["options"]
OBJECTS = OBS["objects"]

MODEL = {m[0]: {"name": m[0], "type": m[1], "collection": m[2], "verbose": m[3]} for m in tables.MODELS}
BY_TYPE = {m["type"]: m for m in MODEL.values() if m["type"]}

STANDARD_HELP = {
    "id": "Database ID for this {v}.",
    "type": "Data type for this {v}.",
    "url": "URL for this {v}.",
    "related": "Data structure with URLs of related resources.",
    "summary_fields": "Data structure with name/description for related resources.  "
                      "The output for some objects may be limited for performance reasons.",
    "created": "Timestamp when this {v} was created.",
    "modified": "Timestamp when this {v} was last modified.",
    "name": "Name of this {v}.",
    "description": "Optional description of this {v}.",
}
SPECIAL_LABEL = {"id": "ID", "url": "URL"}
AWX_TO_JSON = {"integer": "integer", "id": "integer", "string": "string", "boolean": "boolean",
               "datetime": "string", "date": "string", "choice": None, "json": None, "object": "object",
               "decimal": "number", "float": "number", "list": "array", "list_of_ids": "array", "field": None}
NEVER_FILTERABLE = {"related", "summary_fields", "url", "type"}


# ---------------------------------------------------------------------------- helpers
def ref(name: str) -> dict:
    return {"$ref": SCHEMA + name}


def title_case(words: str) -> str:
    return " ".join(w.capitalize() for w in words.replace("_", " ").split())


def label_for(field: str) -> str:
    return SPECIAL_LABEL.get(field, field.replace("_", " ").capitalize())


def options_for_type(typ: str) -> list[dict]:
    """OPTIONS recordings whose actions describe objects of this type."""
    out = []
    for path, opt in OPTIONS.items():
        if opt.get("types") == [typ] and not path.endswith("/launch/"):
            out.append(opt)
    return out


def polymorphic_options(model: str) -> list[dict]:
    coll = MODEL[model]["collection"]
    return [OPTIONS[p] for p in (f"/api/v2/{coll}/",) if p in OPTIONS]


def field_meta(model: str, field: str, method: str = "GET") -> dict | None:
    """OPTIONS metadata for a field: recorded for this model, else borrowed from a related model."""
    m = MODEL[model]
    sources = polymorphic_options(model) if m["type"] is None else options_for_type(m["type"])
    for opt in sources:
        meta = opt.get("actions", {}).get(method, {}).get(field)
        if meta is not None:
            return dict(meta)
    if method != "GET":
        return None
    for other in tables.BORROW.get(model, []):
        om = BY_TYPE.get(other) or MODEL.get(title_case(other).replace(" ", ""))
        if om is None:
            continue
        srcs = polymorphic_options(om["name"]) if om["type"] is None else options_for_type(om["type"])
        for opt in srcs:
            meta = opt.get("actions", {}).get("GET", {}).get(field)
            if meta is not None:
                meta = dict(meta)
                meta.pop("choices", None)  # choices belong to the other model
                if "help_text" in meta:
                    meta["help_text"] = meta["help_text"].replace(f"this {om['verbose']}", f"this {m['verbose']}")
                return meta
    return None


SYNTHESIZED: list[str] = []


def synth_meta(model: str, field: str, json_types: list[str]) -> dict:
    v = MODEL[model]["verbose"]
    meta: dict = {"label": label_for(field)}
    if field in STANDARD_HELP:
        meta["help_text"] = STANDARD_HELP[field].format(v=v)
    base = [t for t in json_types if t != "null"]
    if field in ("related", "summary_fields"):
        awx = "object"
    elif field == "id":
        awx = "integer"
    elif field in ("created", "modified") or field.endswith(("_run", "_on", "started", "finished", "_seen")):
        awx = "datetime"
    elif field in tables.FOREIGN_KEYS or field in ("job", "workflow_job", "last_job", "source_workflow_job"):
        awx = "id"
    elif base == ["boolean"]:
        awx = "boolean"
    elif base == ["integer"]:
        awx = "integer"
    elif base == ["number"]:
        awx = "float"
    elif base == ["string"]:
        awx = "string"
    elif base == ["array"]:
        awx = "list"
    elif base == ["object"]:
        awx = "json"
    else:
        awx = "field"
    meta["type"] = awx
    meta["filterable"] = field not in NEVER_FILTERABLE and awx not in ("field", "object")
    SYNTHESIZED.append(f"{model}.{field}")
    return meta


def ref_def(model: str) -> dict:
    name = tables.REFERENCE_DEFINITION.get(model, model)
    return REF_DEFS.get(name, {"properties": {}, "required": []})


# Fields AWX nulls in states no recording shows: a job outlives its deleted template (SET_NULL),
# a custom credential type has no namespace.
NULLABLE = {
    *((model, "unified_job_template") for model in ("Job", "JobListItem", "WorkflowJob", "ProjectUpdate", "ProjectUpdateListItem",
                                                    "InventoryUpdate", "InventoryUpdateListItem", "WorkflowApproval", "UnifiedJob")),
    *((model, "job_template") for model in ("Job", "JobListItem")),
    ("CredentialType", "namespace"),
}


def type_list(types: list[str]) -> str | list[str]:
    order = ["object", "array", "string", "integer", "number", "boolean", "null"]
    types = sorted(set(types), key=order.index)
    if "integer" in types and "number" in types:
        types.remove("integer")
    return types[0] if len(types) == 1 else types


def _choice_labels() -> dict[str, dict[str, str]]:
    """Field name -> JSON of a choice value -> AWX's display label (the most often recorded one)."""
    seen: dict[str, dict[str, Counter]] = {}
    for opt in OPTIONS.values():
        for fields in opt.get("actions", {}).values():
            for field, info in fields.items():
                for value, label in info.get("choices", []):
                    seen.setdefault(field, {}).setdefault(json.dumps(value), Counter())[label] += 1
    return {f: {v: c.most_common(1)[0][0] for v, c in values.items()} for f, values in seen.items()}


CHOICE_LABELS = _choice_labels()
BLANK_LABEL = "---------"


def choice_pairs(field: str, values: list) -> list[list]:
    """AWX's [value, label] pairs for choices that were never recorded: blank and null first."""
    labels = CHOICE_LABELS.get(field, {})
    if field == "type":
        labels = {json.dumps(m["type"]): title_case(m["verbose"]) for m in MODEL.values() if m["type"]}
        labels.update(CHOICE_LABELS.get("type", {}))
    # a blank or null choice is shown only where AWX showed one for this field (or never described it)
    blanks = [v for v in (None, "") if v in values and (not labels or json.dumps(v) in labels)]
    rest = [v for v in values if v not in (None, "")]
    return [[v, BLANK_LABEL] for v in blanks] + [[v, labels.get(json.dumps(v), str(v))] for v in rest]


# OPTIONS keys the renderer derives from standard schema keywords or x-awx-* extensions
KNOWN_META = {"type", "required", "hidden", "label", "help_text", "min_length", "max_length", "min_value",
              "max_value", "filterable", "default", "choices", "child", "write_only", "read_only"}


def annotate(prop: dict, meta: dict) -> dict:
    """Put AWX's OPTIONS metadata on a property (title, description, x-awx-type, x-filterable, x-choices, ...)."""
    out = {}
    if meta.get("label") is not None:
        out["title"] = meta["label"]
    if meta.get("help_text"):
        out["description"] = meta["help_text"]
    out.update(prop)
    for key, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
        if key in meta and keyword not in out:
            out[keyword] = meta[key]
    out["x-awx-type"] = meta.get("type", "field")
    if "filterable" in meta:
        out["x-filterable"] = bool(meta["filterable"])
    if meta.get("choices") is not None:
        out["x-choices"] = [list(pair) for pair in meta["choices"]]
    extra = {k: v for k, v in meta.items() if k not in KNOWN_META}
    if extra:
        out["x-awx-options-extra"] = extra
    return out


# ---------------------------------------------------------------------------- observations
def observed(model: str, forms: tuple[str, ...]) -> tuple[list[str], dict, set[str]]:
    """Field order, JSON types seen and the always-present keys for a model's forms."""
    m = MODEL[model]
    typs = tables.POLYMORPHIC.get(model, [m["type"]])
    order: list[str] = []
    types: dict[str, set[str]] = {}
    required: set[str] | None = None
    for typ in typs:
        for form in forms:
            o = OBJECTS.get(typ, {}).get(form)
            if not o:
                continue
            keys = set()
            for k, f in o["fields"].items():
                if m["type"] is not None and k not in order:
                    order.append(k)
                types.setdefault(k, set()).update(f["types"])
                if f["present"] == o["count"]:
                    keys.add(k)
            required = keys if required is None else required & keys
    return order, types, required or set()


# ---------------------------------------------------------------------------- resource schemas
def response_property(model: str, field: str, seen: set[str], writable: set[str]) -> dict:
    rdef = ref_def(model)["properties"].get(field, {})
    meta = field_meta(model, field)
    if meta is None:
        meta = synth_meta(model, field, sorted(seen))
    awx = meta.get("type", "field")
    base = [t for t in seen if t != "null"]
    if not base:
        jt = AWX_TO_JSON.get(awx) or rdef.get("type")
        if awx == "choice" and meta.get("choices"):
            jt = "integer" if all(isinstance(c[0], int) for c in meta["choices"] if c[0] not in ("", None)) else "string"
        base = [jt] if jt else []
        if field in ("related", "summary_fields"):
            base = ["object"]
    nullable = "null" in seen or (not seen and rdef.get("x-nullable")) or (model, field) in NULLABLE
    if awx in ("id", "datetime") and rdef.get("x-nullable"):
        nullable = True
    prop: dict = {}
    if base:
        prop["type"] = type_list(base + (["null"] if nullable else []))
    if awx == "choice" or field == "type":
        values = [c[0] for c in meta.get("choices", [])]
        if not values and rdef.get("enum"):
            # AWX's structure leaves out the blank choice; blank-allowed string choices answer "" when unset
            values = ([""] if "string" in base else []) + list(rdef["enum"])
        if field == "type" and MODEL[model]["type"]:
            values = [MODEL[model]["type"]]
        if values:
            if "choices" not in meta:
                meta["choices"] = choice_pairs(field, values + ([None] if nullable else []))
            if nullable and None not in values:
                values.append(None)
            prop["enum"] = values
    if rdef.get("format") == "date-time" or awx == "datetime":
        prop["format"] = "date-time"
    if field not in writable:
        prop["readOnly"] = True
    if field in ("related", "summary_fields"):
        prop["additionalProperties"] = True
    return annotate(prop, meta)


def write_fields(model: str) -> tuple[list[tuple[str, dict]], list[str]]:
    """(field, OPTIONS POST metadata) pairs and the required list for a writable model."""
    m = MODEL[model]
    for opt in options_for_type(m["type"]) if m["type"] else []:
        post = opt.get("actions", {}).get("POST")
        if post and not opt.get("source", "").endswith("success_nodes.json"):
            fields = [(k, v) for k, v in post.items() if k != "id"]
            return fields, [k for k, v in fields if v.get("required")]
    if model in tables.WRITE_FIELDS:
        rdef = ref_def(model)["properties"]
        fields = []
        for k in tables.WRITE_FIELDS[model]:
            meta = field_meta(model, k) or synth_meta(model, k, [rdef.get(k, {}).get("type", "string")])
            meta = dict(meta)
            meta["required"] = k in tables.WRITE_REQUIRED[model]
            if "default" in rdef.get(k, {}):
                meta["default"] = rdef[k]["default"]
            if "maxLength" in rdef.get(k, {}):
                meta["max_length"] = rdef[k]["maxLength"]
            fields.append((k, meta))
        return fields, list(tables.WRITE_REQUIRED[model])
    return [], []


def write_property(model: str, field: str, meta: dict, resp_types: set[str], required: bool) -> dict:
    rdef = ref_def(model)["properties"].get(field, {})
    awx = meta.get("type", "field")
    has_default = "default" in meta
    default = meta.get("default")
    nullable = (has_default and default is None) or ("null" in resp_types and not required) \
        or (model, field) in tables.NULL_ACCEPTED
    prop: dict = {}
    if awx == "choice":
        values = [c[0] for c in meta.get("choices", [])]
        if nullable and None not in values:
            values.insert(0, None)
        kinds = sorted({"null" if v is None else ("integer" if isinstance(v, int) else "string") for v in values})
        prop["type"] = type_list(kinds)
        prop["enum"] = values
    elif awx == "id":
        prop["type"] = "integer" if required else ["integer", "null"]
        prop["x-foreign-key"] = tables.FOREIGN_KEYS[field]
    elif awx == "json" or awx == "field":
        base = [t for t in resp_types if t != "null"]
        if field == "extra_vars":
            base = ["string"]
        if not base and rdef.get("type"):
            base = [rdef["type"]]
        if base:
            prop["type"] = type_list(base + (["null"] if nullable or "null" in resp_types else []))
    else:
        jt = AWX_TO_JSON.get(awx) or rdef.get("type") or "string"
        prop["type"] = type_list([jt] + (["null"] if nullable else []))
        if awx == "datetime":
            prop["format"] = "date-time"
    if "max_length" in meta:
        prop["maxLength"] = meta["max_length"]
    if prop.get("type") in ("string", ["string", "null"]) and rdef.get("minLength") and not rdef.get("readOnly") \
            and (required or field == "identifier"):
        prop["minLength"] = rdef["minLength"]
    if "min_value" in meta:
        prop["minimum"] = meta["min_value"]
    if "max_value" in meta:
        prop["maximum"] = meta["max_value"]
    if meta.get("write_only"):
        prop["writeOnly"] = True
    if has_default:
        if field == "identifier":
            prop["x-awx-default"] = default
        else:
            prop["default"] = default
    return annotate(prop, meta)


def recorded_get_fields(model: str) -> set[str]:
    """Every field a recorded OPTIONS GET describes for this model (empty when never recorded)."""
    m = MODEL[model]
    sources = polymorphic_options(model) if m["type"] is None else options_for_type(m["type"])
    return {k for opt in sources for k in opt.get("actions", {}).get("GET", {})}


def build_model(model: str, schemas: dict) -> None:
    m = MODEL[model]
    wfields, wrequired = write_fields(model) if m["type"] else ([], [])
    writable = {k for k, _ in wfields}
    split = model in ("Job", "ProjectUpdate", "InventoryUpdate")
    variants = [(model, ("detail",) if split else ("detail", "list"))]
    if split:
        variants.append((model + "ListItem", ("list",)))
    for name, forms in variants:
        order, types, required = observed(model, forms)
        if m["type"] is None:
            getf = polymorphic_options(model)[0]["actions"]["GET"]
            order = list(getf)
            required = {k for k in order if k in required}
        elif not order:
            getf = next((o["actions"]["GET"] for o in options_for_type(m["type"]) if "GET" in o.get("actions", {})), None)
            if getf:
                order = list(getf)
            else:
                props = ref_def(model)["properties"]
                head = [k for k in ("id", "type", "url", "related", "summary_fields", "created", "modified") if k in props]
                order = head + [k for k in props if k not in head]
        props = {k: response_property(model, k, types.get(k, set()), writable) for k in order}
        shown = recorded_get_fields(model)
        for k in props if shown else ():
            if k not in shown:
                props[k]["x-awx-options-hidden"] = True  # served, but AWX's OPTIONS does not describe it
        schema: dict = {"type": "object"}
        if m["type"]:
            schema["x-awx-type"] = m["type"]
        schema["properties"] = props
        req = [k for k in order if k in required]
        if req:
            schema["required"] = req
        schemas[name] = schema
    if wfields:
        resp_types = observed(model, ("detail", "list"))[1]
        props = {k: write_property(model, k, meta, resp_types.get(k, set()), k in wrequired) for k, meta in wfields}
        put = next((o["actions"]["PUT"] for o in options_for_type(m["type"]) if "PUT" in o.get("actions", {})), None)
        for k in props if put is not None else ():
            if k not in put:
                # serializer makes it read-only once the object exists (PUT's OPTIONS leaves it out)
                props[k]["x-awx-create-only"] = True
        schema = {"type": "object", "properties": props}
        if wrequired:
            schema["required"] = wrequired
        schemas[model + "Write"] = schema


# ---------------------------------------------------------------------------- hand-described bodies
def obj(props: dict, required: list[str] | None = None, extra: bool | None = None, **kw) -> dict:
    out: dict = {"type": "object"}
    out.update(kw)
    out["properties"] = props
    if required:
        out["required"] = required
    if extra is not None:
        out["additionalProperties"] = extra
    return out


S, I, B, N = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
NS, NI = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
DT = {"type": ["string", "null"], "format": "date-time"}
ARR_S = {"type": "array", "items": S}
ARR_I = {"type": "array", "items": I}


def launch_write(path: str, model: str) -> dict:
    post = OPTIONS[path]["actions"]["POST"]
    kinds = {
        "extra_vars": {"type": ["object", "string"]},
        "inventory": {"type": ["integer", "null"], "x-foreign-key": "inventories"},
        "labels": {"type": "array", "items": {"type": "integer"}, "x-foreign-key": "labels"},
        "credentials": {"type": "array", "items": {"type": "integer"}, "x-foreign-key": "credentials"},
        "instance_groups": {"type": "array", "items": {"type": "integer"}, "x-foreign-key": "instance_groups"},
        "execution_environment": {"type": ["integer", "null"], "x-foreign-key": "execution_environments"},
        "credential_passwords": {"type": "object"},
        "diff_mode": {"type": "boolean"},
        "forks": {"type": "integer", "minimum": 0},
        "job_slice_count": {"type": "integer", "minimum": 0},
        "timeout": {"type": "integer"},
        "verbosity": {"type": "integer", "enum": [0, 1, 2, 3, 4, 5]},
        "job_type": {"type": "string", "enum": ["run", "check"]},
    }
    props = {}
    for k, meta in post.items():
        p = dict(kinds.get(k, {"type": ["string", "null"]}))
        if meta.get("type") == "choice" and "enum" not in p:
            p["enum"] = [c[0] for c in meta.get("choices", [])]
        p["writeOnly"] = True
        props[k] = annotate(p, meta)
    if model == "WorkflowJobTemplate":
        props["inventory_id"] = annotate({"type": ["integer", "null"], "x-foreign-key": "inventories",
                                          "writeOnly": True,
                                          "description": "Alias of inventory."},
                                         {"label": "Inventory id", "type": "id", "filterable": False})
        props["inventory_id"]["description"] = "Alias of inventory."
        props["inventory_id"]["x-awx-options-hidden"] = True  # accepted, but AWX's OPTIONS does not list it
    return obj(props)


def special_schemas(schemas: dict) -> None:
    schemas["Page"] = obj({
        "count": {"type": "integer", "description": "Number of objects matching the query (absent with ?count_disabled=1)."},
        "next": {"type": ["string", "null"], "description": "Relative URL of the next page."},
        "previous": {"type": ["string", "null"], "description": "Relative URL of the previous page."},
        "results": {"type": "array"},
    }, ["results"])
    schemas["Detail"] = obj({"detail": S}, ["detail"])
    schemas["FieldErrors"] = {
        "type": "object",
        "description": "Field name (or __all__) to a list of messages.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    schemas["ErrorMessage"] = obj({"error": S}, ["error"])
    schemas["CapitalErrorMessage"] = obj({"Error": S}, ["Error"])
    schemas["MsgMessage"] = obj({"msg": S}, ["msg"])
    schemas["ActiveJobsConflict"] = obj({
        "error": {"type": "string", "const": "Resource is being used by running jobs."},
        "active_jobs": {"type": "array", "items": obj({"id": I, "type": S}, ["id", "type"])},
    }, ["error", "active_jobs"])
    schemas["Empty"] = {"type": "object", "maxProperties": 0}
    schemas["AssociateRequest"] = obj({
        "id": {"type": "integer", "description": "Id of the object to attach or detach."},
        "disassociate": {"description": "Detach instead of attach. Only the presence of the key matters."},
    }, description="Attach {\"id\": N}, detach {\"id\": N, \"disassociate\": true}, or (where allowed) "
                   "create a new object from the other fields.")
    schemas["ApiRoot"] = obj({
        "description": S, "current_version": S,
        "available_versions": {"type": "object", "additionalProperties": S},
        "oauth2": S, "custom_logo": S, "custom_login_info": S, "login_redirect_override": S, "swagger": S,
    }, ["description", "current_version", "available_versions", "oauth2", "custom_logo",
        "custom_login_info", "login_redirect_override"])
    schemas["ApiVersionRoot"] = {"type": "object", "description": "Resource name to its list URL.",
                                 "additionalProperties": S}
    schemas["Ping"] = obj({
        "ha": B, "version": S, "active_node": S, "install_uuid": S,
        "instances": {"type": "array", "items": obj({"node": S, "node_type": S, "uuid": S, "heartbeat": DT,
                                                     "capacity": I, "version": S})},
        "instance_groups": {"type": "array", "items": obj({"name": S, "capacity": I, "instances": ARR_S})},
    }, ["ha", "version", "active_node", "install_uuid", "instances", "instance_groups"])
    schemas["Config"] = obj({
        "time_zone": S, "license_info": {"type": "object"}, "version": S, "eula": S, "analytics_status": S,
        "analytics_collectors": {"type": "object"}, "become_methods": {"type": "array", "items": ARR_S},
        "ui_next": B, "project_base_dir": S, "project_local_paths": ARR_S,
        "custom_virtualenvs": ARR_S,
    }, ["time_zone", "license_info", "version", "eula", "analytics_status", "analytics_collectors",
        "become_methods", "ui_next"])
    schemas["LicenseInfo"] = obj({"license_type": S, "valid_key": B, "subscription_name": S, "product_name": S},
                                 ["license_type", "valid_key"])
    schemas["ZoneInfo"] = obj({"zones": ARR_S, "links": {"type": "object", "additionalProperties": S,
                                                         "description": "Zone name to the zone it is an alias of."}},
                              ["zones", "links"])
    schemas["LoginForm"] = obj({"username": S, "password": S, "next": S}, ["username", "password"])
    schemas["WorkflowJobTemplateLaunchInfo"] = obj({
        "ask_inventory_on_launch": B, "ask_limit_on_launch": B, "ask_scm_branch_on_launch": B,
        "can_start_without_user_input": B,
        "defaults": obj({"inventory": obj({"name": NS, "id": NI}), "limit": NS, "scm_branch": NS,
                         "job_tags": NS, "skip_tags": NS, "extra_vars": S,
                         "labels": {"type": "array", "items": obj({"id": I, "name": S})}}),
        "survey_enabled": B, "variables_needed_to_start": ARR_S,
        "node_templates_missing": ARR_I, "node_prompts_rejected": ARR_I,
        "workflow_job_template_data": obj({"name": S, "id": I, "description": S}),
        "ask_variables_on_launch": B, "ask_labels_on_launch": B, "ask_skip_tags_on_launch": B,
        "ask_tags_on_launch": B,
    }, ["ask_inventory_on_launch", "ask_limit_on_launch", "ask_scm_branch_on_launch",
        "can_start_without_user_input", "defaults", "survey_enabled", "variables_needed_to_start",
        "node_templates_missing", "node_prompts_rejected", "workflow_job_template_data",
        "ask_variables_on_launch", "ask_labels_on_launch", "ask_skip_tags_on_launch", "ask_tags_on_launch"])
    get = OPTIONS["/api/v2/job_templates/{id}/launch/"]["actions"]["GET"]
    jt_props = {}
    for k, meta in get.items():
        jt = {"boolean": B, "field": {}}.get(meta["type"], {})
        if k in ("passwords_needed_to_start", "variables_needed_to_start"):
            jt = ARR_S
        elif k in ("defaults", "job_template_data"):
            jt = {"type": "object"}
        jt_props[k] = annotate(dict(jt), meta)
    schemas["JobTemplateLaunchInfo"] = obj(jt_props, list(get))
    wf = OPTIONS["/api/v2/workflow_job_templates/{id}/launch/"]["actions"]["GET"]
    for k, p in schemas["WorkflowJobTemplateLaunchInfo"]["properties"].items():
        schemas["WorkflowJobTemplateLaunchInfo"]["properties"][k] = annotate(p, wf[k])
    schemas["WorkflowJobTemplateLaunch"] = launch_write("/api/v2/workflow_job_templates/{id}/launch/",
                                                       "WorkflowJobTemplate")
    schemas["JobTemplateLaunch"] = launch_write("/api/v2/job_templates/{id}/launch/", "JobTemplate")
    ignored = {"type": "object", "description": "Prompts that were provided but not applied."}
    schemas["WorkflowJobLaunchResult"] = {"allOf": [obj({"workflow_job": I, "ignored_fields": ignored},
                                                        ["workflow_job", "ignored_fields"]), ref("WorkflowJob")]}
    schemas["JobLaunchResult"] = {"allOf": [obj({"job": I, "ignored_fields": ignored}, ["job", "ignored_fields"]),
                                            ref("Job")]}
    schemas["ProjectUpdateLaunchResult"] = {"allOf": [obj({"project_update": I}, ["project_update"]),
                                                      ref("ProjectUpdate")]}
    schemas["InventoryUpdateLaunchResult"] = {"allOf": [obj({"inventory_update": I}, ["inventory_update"]),
                                                        ref("InventoryUpdate")]}
    schemas["NotificationTestResult"] = {"allOf": [obj({"notification": I}, ["notification"]), ref("Notification")]}
    schemas["CancelInfo"] = obj({"can_cancel": B, "job_explanation": S}, ["can_cancel"])
    schemas["UpdateInfo"] = obj({"can_update": B}, ["can_update"])
    schemas["ApprovalInfo"] = obj({"job_explanation": S})
    schemas["JobRelaunchInfo"] = obj({"passwords_needed_to_start": ARR_S,
                                      "retry_counts": obj({"all": I, "failed": I})},
                                     ["passwords_needed_to_start", "retry_counts"])
    schemas["JobRelaunch"] = obj({"hosts": {"type": "string", "enum": ["all", "failed"], "default": "all"},
                                  "credential_passwords": {"type": "object"}})
    schemas["CopyInfo"] = obj({"can_copy": B, "can_copy_without_user_input": B, "templates_unable_to_copy": ARR_S,
                               "credentials_unable_to_copy": ARR_S, "inventories_unable_to_copy": ARR_S},
                              ["can_copy", "can_copy_without_user_input", "templates_unable_to_copy",
                               "credentials_unable_to_copy", "inventories_unable_to_copy"])
    schemas["CopyRequest"] = obj({"name": {"type": "string", "minLength": 1, "maxLength": 512}}, ["name"])
    schemas["WebhookKey"] = obj({"webhook_key": S}, ["webhook_key"])
    schemas["WebhookMessage"] = obj({"message": S}, ["message"])
    schemas["SurveySpec"] = {"type": "object", "description": "The stored survey ({} when there is none): "
                             "name, description and spec (a list of questions).",
                             "properties": {"name": S, "description": S, "spec": {"type": "array",
                                                                                 "items": {"type": "object"}}}}
    schemas["JobStdout"] = obj({"range": obj({"start": I, "end": I, "absolute_end": I}), "content": S},
                               ["range", "content"])
    schemas["Playbooks"] = {"type": "array", "items": S}
    schemas["SchedulePreviewRequest"] = obj({"rrule": {"type": "string", "maxLength": 255}}, ["rrule"])
    schemas["SchedulePreview"] = obj({"local": ARR_S, "utc": ARR_S}, ["local", "utc"])
    # control plane
    status = {"type": "string", "enum": ["successful", "failed", "error", "canceled"]}
    schemas["MockOutcomeRule"] = obj({
        "id": {"type": "integer", "readOnly": True},
        "match": {"type": "object", "minProperties": 1, "additionalProperties": False,
                  "properties": {"job_template": I, "unified_job_template": I, "node_identifier": S,
                                 "workflow_job": I, "workflow_job_template": I, "name": S},
                  "description": "Which spawned jobs (or approvals) the results apply to; every key must match."},
        "results": {"type": "array", "minItems": 1,
                    "items": obj({"status": status, "duration": {"type": ["number", "null"], "minimum": 0},
                                  "job_explanation": {"type": ["string", "null"]}}, ["status"]),
                    "description": "Consumed in order, one per matching job; the last one repeats."},
    }, ["match", "results"])
    schemas["MockOutcomeList"] = obj({"count": I, "results": {"type": "array", "items": ref("MockOutcomeRule")}},
                                     ["count", "results"])
    schemas["MockClock"] = obj({"now": {"type": "string", "format": "date-time"}, "idle": B}, ["now"])
    schemas["MockClockAdvance"] = obj({"seconds": {"type": "number", "minimum": 0}}, ["seconds"])
    schemas["MockRequestLogEntry"] = obj({"method": S, "path": S, "status": I}, ["method", "path", "status"])
    schemas["MockRequestLog"] = obj({"count": I, "results": {"type": "array", "items": ref("MockRequestLogEntry")}},
                                    ["count", "results"])
    schemas["MockState"] = {"type": "object", "description": "A full snapshot of the mock's state, as returned "
                            "by GET and accepted by POST /_mockawx/state/."}


# ---------------------------------------------------------------------------- operations
ERR = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
    409: "Conflict",
}


def responses(success: dict, errors: list[int]) -> dict:
    out = dict(success)
    for code in errors:
        out[str(code)] = {"$ref": "#/components/responses/" + ERR[code]}
    return {k: out[k] for k in sorted(out)}


def ok(schema: dict | None, desc: str = "OK", content_type: str = "application/json") -> dict:
    r: dict = {"description": desc}
    if schema is not None:
        r["content"] = {content_type: {"schema": schema}}
    return r


NO_CONTENT = {"$ref": "#/components/responses/NoContent"}
ACCEPTED = {"$ref": "#/components/responses/Accepted"}


def body(schema: dict, required: bool = True, ctype: str = "application/json") -> dict:
    return {"required": required, "content": {ctype: {"schema": schema}}}


def op_id(path: str, method: str, override: str | None = None) -> str:
    if override:
        return override
    if path in REF_OPS and method in REF_OPS[path]:
        return REF_OPS[path][method]
    segs = [s for s in path.strip("/").split("/") if s not in ("api", "v2", "{id}")]
    suffix = {"get": "read" if path.endswith("{id}/") else "list", "post": "create", "put": "update",
              "patch": "partial_update", "delete": "delete"}[method]
    return "_".join(["api"] + segs + [suffix])


def tag_for(path: str) -> str:
    if path.startswith("/_mockawx/"):
        return "mockawx-control"
    segs = [s for s in path.strip("/").split("/") if s not in ("api", "v2")]
    return segs[0] if segs else "root"


def page_of(model: str) -> dict:
    return ref(model + "Page")


PUBLIC = {"/api/", "/api/v2/", "/api/v2/ping/", "/api/login/"}


def build_paths(page_models: set[str]) -> dict:
    P: dict[str, dict] = {}

    def add(path: str, method: str, operation: dict, override: str | None = None) -> None:
        has_id = "{id}" in path
        item = P.setdefault(path, {})
        o = {"operationId": op_id(path, method, override), "tags": [tag_for(path)]}
        o.update(operation)
        if path in PUBLIC or re.search(r"/(github|gitlab|bitbucket_dc)/$", path):
            o["security"] = []
        if path.startswith("/_mockawx/"):
            o["security"] = []
        resp = o["responses"]
        if has_id and "404" not in resp:
            resp["404"] = {"$ref": "#/components/responses/NotFound"}
        o["responses"] = {k: resp[k] for k in sorted(resp)}
        item[method] = o

    def list_(path: str, model: str, extra: dict | None = None) -> None:
        page_models.add(model)
        o = {"parameters": [{"$ref": "#/components/parameters/" + n} for n in ("page", "page_size", "order_by", "search")],
             "responses": responses({"200": ok(page_of(model))}, [400, 401, 403, 404])}
        o.update(extra or {})
        add(path, "get", o)

    def create(path: str, model: str, write: str | None = None, parent_key: str | None = None,
               result: str | None = None) -> None:
        o = {"requestBody": body(ref(write or model + "Write")),
             "responses": responses({"201": ok(ref(result or model), "Created")}, [400, 401, 403])}
        if parent_key:
            o["x-awx-parent-key"] = parent_key
        add(path, "post", o)

    def read(path: str, schema: dict, override: str | None = None) -> None:
        add(path, "get", {"responses": responses({"200": ok(schema)}, [401, 403])}, override)

    def update(path: str, model: str) -> None:
        for method in ("put", "patch"):
            add(path, method, {"requestBody": body(ref(model + "Write")),
                               "responses": responses({"200": ok(ref(model))}, [400, 401, 403])})

    def delete(path: str, conflict: bool = False, code: str = "204") -> None:
        success = {code: NO_CONTENT if code == "204" else ACCEPTED}
        errs = [401, 403] + ([409] if conflict else [])
        add(path, "delete", {"responses": responses(success, errs)})

    def crud(coll: str, model: str, conflict: bool = False, delete_code: str = "204", detail=("get", "put", "patch", "delete")) -> None:
        base = f"/api/v2/{coll}/"
        list_(base, model)
        create(base, model)
        d = base + "{id}/"
        if "get" in detail:
            read(d, ref(model))
        if "put" in detail:
            update(d, model)
        if "delete" in detail:
            delete(d, conflict, delete_code)

    def attach(path: str, child: str, mode: str, create_model: str | None = None) -> None:
        success = {"204": NO_CONTENT}
        if mode != "attach":
            success["201"] = ok(ref(create_model or child), "Created")
        o = {"x-awx-options-schema": (create_model or child) + "Write"} if mode != "attach" else {}
        add(path, "post", {"requestBody": body(ref("AssociateRequest")), "x-awx-sublist": mode, **o,
                           "responses": responses(success, [400, 401, 403])})

    def sub(path: str, child: str, mode: str | None = None, create_model: str | None = None) -> None:
        list_(path, child)
        if mode:
            attach(path, child, mode, create_model)

    def action_get(path: str, schema: dict) -> None:
        read(path, schema)

    def action_post(path: str, success: dict, errors: list[int], req: dict | None = None) -> None:
        o: dict = {}
        if req is not None:
            o["requestBody"] = req
        o["responses"] = responses(success, errors)
        add(path, "post", o)

    any_body = body({"type": "object"}, required=False)

    # --- discovery and auth
    add("/api/", "get", {"responses": {"200": ok(ref("ApiRoot"))}})
    add("/api/v2/", "get", {"responses": {"200": ok(ref("ApiVersionRoot"))}})
    add("/api/v2/ping/", "get", {"responses": {"200": ok(ref("Ping"))}})
    read("/api/v2/config/", ref("Config"))
    action_post("/api/v2/config/", {"200": ok(ref("LicenseInfo"), "The license in force")}, [400, 401, 403], any_body)
    add("/api/v2/config/", "delete", {"responses": responses({"204": NO_CONTENT}, [400, 401, 403])})
    list_("/api/v2/me/", "User")
    add("/api/login/", "get", {"responses": {"200": ok({"type": "string"}, "The login form (HTML).", "text/html")}},
        "api_login_read")
    add("/api/login/", "post", {
        "requestBody": body(ref("LoginForm"), ctype="application/x-www-form-urlencoded"),
        "responses": {"302": {"description": "Logged in; redirects to `next` and sets the awx_sessionid cookie.",
                              "headers": {"Location": {"schema": S}, "X-API-Session-Cookie-Name": {"schema": S}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"description": "Django's CSRF failure page (no csrftoken cookie), or a JSON refusal.",
                              "content": {"text/html": {"schema": S},
                                          "application/json": {"schema": ref("Detail")}}}}}, "api_login_create")
    crud("tokens", "OAuth2Token")
    for sub_name in ("personal_tokens", "tokens"):
        p = f"/api/v2/users/{{id}}/{sub_name}/"
        list_(p, "OAuth2Token")
        create(p, "OAuth2Token", parent_key="user")

    # --- organizations, users, teams, roles
    crud("organizations", "Organization", conflict=True)
    crud("users", "User")
    crud("teams", "Team")
    list_("/api/v2/roles/", "Role")
    read("/api/v2/roles/{id}/", ref("Role"))
    sub("/api/v2/roles/{id}/users/", "User", "attach")
    sub("/api/v2/roles/{id}/teams/", "Team", "attach")
    sub("/api/v2/users/{id}/roles/", "Role", "attach")
    sub("/api/v2/teams/{id}/roles/", "Role", "attach")
    sub("/api/v2/organizations/{id}/users/", "User", "attach_or_create")
    sub("/api/v2/organizations/{id}/admins/", "User", "attach_or_create")
    sub("/api/v2/teams/{id}/users/", "User", "attach_or_create")
    for kind in ("approvals", "error", "started", "success"):
        sub(f"/api/v2/organizations/{{id}}/notification_templates_{kind}/", "NotificationTemplate", "attach_or_create")
    # who may do what, and what happened, on the role-bearing resources AWX gives these sub-lists
    for coll in ("organizations", "teams", "projects", "inventories", "credentials", "job_templates",
                 "instance_groups"):
        list_(f"/api/v2/{coll}/{{id}}/access_list/", "User")
        list_(f"/api/v2/{coll}/{{id}}/object_roles/", "Role")
    for coll in ("organizations", "users", "teams", "projects", "inventories", "inventory_sources", "job_templates",
                 "credentials", "credential_types", "execution_environments", "applications", "tokens"):
        list_(f"/api/v2/{coll}/{{id}}/activity_stream/", "ActivityStream")
    list_("/api/v2/organizations/{id}/workflow_job_templates/", "WorkflowJobTemplate")
    create("/api/v2/organizations/{id}/workflow_job_templates/", "WorkflowJobTemplate", parent_key="organization")

    # --- workflow job templates
    W = "/api/v2/workflow_job_templates/{id}/"
    crud("workflow_job_templates", "WorkflowJobTemplate", conflict=True)
    list_(W + "access_list/", "User")
    list_(W + "activity_stream/", "ActivityStream")
    for svc in ("github", "gitlab", "bitbucket_dc"):
        action_post(W + svc + "/", {"200": ok(ref("WebhookMessage"), "Event ignored"),
                                    "202": ok(ref("WebhookMessage"), "Job queued, or delivery already received")},
                    [403], body({"type": "object"}, required=False))
    action_get(W + "copy/", ref("CopyInfo"))
    action_post(W + "copy/", {"201": ok(ref("WorkflowJobTemplate"), "Created")}, [400, 401, 403],
                body(ref("CopyRequest")))
    sub(W + "labels/", "Label", "attach_or_create")
    action_get(W + "launch/", ref("WorkflowJobTemplateLaunchInfo"))
    action_post(W + "launch/", {"201": {"description": "Launched", "headers": {"Location": {"schema": S}},
                                        "content": {"application/json": {"schema": ref("WorkflowJobLaunchResult")}}}},
                [400, 401, 403], body(ref("WorkflowJobTemplateLaunch"), required=False))
    for kind in ("approvals", "error", "started", "success"):
        sub(W + f"notification_templates_{kind}/", "NotificationTemplate", "attach_or_create")
    list_(W + "object_roles/", "Role")
    list_(W + "schedules/", "Schedule")
    create(W + "schedules/", "Schedule", parent_key="unified_job_template")
    action_get(W + "survey_spec/", ref("SurveySpec"))
    action_post(W + "survey_spec/", {"200": {"description": "Stored (empty body)"}}, [400, 401, 403],
                body({"type": "object"}))
    add(W + "survey_spec/", "delete", {"responses": responses({"200": {"description": "Removed (empty body)"}},
                                                               [401, 403])})
    action_get(W + "webhook_key/", ref("WebhookKey"))
    action_post(W + "webhook_key/", {"201": ok(ref("WebhookKey"), "Rotated")}, [401, 403])
    list_(W + "workflow_jobs/", "WorkflowJob")
    list_(W + "workflow_nodes/", "WorkflowJobTemplateNode")
    create(W + "workflow_nodes/", "WorkflowJobTemplateNode", parent_key="workflow_job_template")

    # --- workflow job template nodes
    N = "/api/v2/workflow_job_template_nodes/{id}/"
    crud("workflow_job_template_nodes", "WorkflowJobTemplateNode")
    for edge in ("always", "failure", "success"):
        sub(N + f"{edge}_nodes/", "WorkflowJobTemplateNode", "attach_or_create")
    action_get(N + "create_approval_template/", ref("Empty"))
    action_post(N + "create_approval_template/", {"201": ok(ref("WorkflowApprovalTemplate"), "Created")},
                [400, 401, 403], body(ref("WorkflowApprovalTemplateWrite")))
    sub(N + "credentials/", "Credential", "attach")
    sub(N + "instance_groups/", "InstanceGroup", "attach")
    sub(N + "labels/", "Label", "attach_or_create")

    # --- workflow jobs and their nodes
    J = "/api/v2/workflow_jobs/{id}/"
    list_("/api/v2/workflow_jobs/", "WorkflowJob")
    read(J, ref("WorkflowJob"))
    delete(J)
    list_(J + "activity_stream/", "ActivityStream")
    action_get(J + "cancel/", ref("CancelInfo"))
    action_post(J + "cancel/", {"202": ACCEPTED}, [401, 403, 405])
    list_(J + "labels/", "Label")
    list_(J + "notifications/", "Notification")
    action_get(J + "relaunch/", ref("Empty"))
    action_post(J + "relaunch/", {"201": {"description": "Relaunched", "headers": {"Location": {"schema": S}},
                                          "content": {"application/json": {"schema": ref("WorkflowJob")}}}},
                [400, 401, 403], any_body)
    list_(J + "workflow_nodes/", "WorkflowJobNode")
    JN = "/api/v2/workflow_job_nodes/{id}/"
    list_("/api/v2/workflow_job_nodes/", "WorkflowJobNode")
    read(JN, ref("WorkflowJobNode"))
    for edge in ("always", "failure", "success"):
        list_(JN + f"{edge}_nodes/", "WorkflowJobNode")
    list_(JN + "credentials/", "Credential")
    sub(JN + "instance_groups/", "InstanceGroup", "attach")
    list_(JN + "labels/", "Label")

    # --- approvals
    AT = "/api/v2/workflow_approval_templates/{id}/"
    read(AT, ref("WorkflowApprovalTemplate"))
    update(AT, "WorkflowApprovalTemplate")
    delete(AT, conflict=True)
    list_(AT + "approvals/", "WorkflowApproval")
    A = "/api/v2/workflow_approvals/{id}/"
    list_("/api/v2/workflow_approvals/", "WorkflowApproval")
    read(A, ref("WorkflowApproval"))
    delete(A)
    for act in ("approve", "deny"):
        action_get(A + act + "/", ref("ApprovalInfo"))
        action_post(A + act + "/", {"204": NO_CONTENT}, [400, 401, 403], any_body)

    # --- job templates and jobs
    JT = "/api/v2/job_templates/{id}/"
    crud("job_templates", "JobTemplate", conflict=True)
    action_get(JT + "launch/", ref("JobTemplateLaunchInfo"))
    action_post(JT + "launch/", {"201": {"description": "Launched", "headers": {"Location": {"schema": S}},
                                         "content": {"application/json": {"schema": ref("JobLaunchResult")}}}},
                [400, 401, 403], body(ref("JobTemplateLaunch"), required=False))
    list_(JT + "jobs/", "JobListItem")
    sub(JT + "labels/", "Label", "attach_or_create")
    sub(JT + "credentials/", "Credential", "attach")
    for kind in ("error", "started", "success"):
        sub(JT + f"notification_templates_{kind}/", "NotificationTemplate", "attach_or_create")
    list_(JT + "schedules/", "Schedule")
    create(JT + "schedules/", "Schedule", parent_key="unified_job_template")
    action_get(JT + "survey_spec/", ref("SurveySpec"))
    action_post(JT + "survey_spec/", {"200": {"description": "Stored (empty body)"}}, [400, 401, 403],
                body({"type": "object"}))
    add(JT + "survey_spec/", "delete", {"responses": responses({"200": {"description": "Removed (empty body)"}},
                                                                [401, 403])})
    JB = "/api/v2/jobs/{id}/"
    list_("/api/v2/jobs/", "JobListItem")
    read(JB, ref("Job"))
    delete(JB)
    action_get(JB + "cancel/", ref("CancelInfo"))
    action_post(JB + "cancel/", {"202": ACCEPTED}, [401, 403, 405])
    action_get(JB + "relaunch/", ref("JobRelaunchInfo"))
    action_post(JB + "relaunch/", {"201": {"description": "Relaunched", "headers": {"Location": {"schema": S}},
                                           "content": {"application/json": {"schema": ref("Job")}}}},
                [400, 401, 403], body(ref("JobRelaunch"), required=False))
    add(JB + "stdout/", "get", {
        "parameters": [{"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["json", "txt", "ansi", "html", "txt_download",
                                                              "ansi_download"]}}],
        "responses": responses({"200": {"description": "Job output",
                                        "content": {"application/json": {"schema": ref("JobStdout")},
                                                    "text/plain": {"schema": S}}}}, [401, 403])})
    list_(JB + "job_events/", "JobEvent")
    list_(JB + "job_host_summaries/", "JobHostSummary")
    list_(JB + "labels/", "Label")
    list_(JB + "activity_stream/", "ActivityStream")

    # --- projects and updates
    PR = "/api/v2/projects/{id}/"
    crud("projects", "Project", conflict=True)
    action_get(PR + "update/", ref("UpdateInfo"))
    action_post(PR + "update/", {"202": {"description": "Update started", "headers": {"Location": {"schema": S}},
                                         "content": {"application/json": {"schema": ref("ProjectUpdateLaunchResult")}}}},
                [401, 403, 405], any_body)
    list_(PR + "project_updates/", "ProjectUpdateListItem")
    read(PR + "playbooks/", ref("Playbooks"))
    for kind in ("error", "started", "success"):
        sub(PR + f"notification_templates_{kind}/", "NotificationTemplate", "attach_or_create")
    PU = "/api/v2/project_updates/{id}/"
    list_("/api/v2/project_updates/", "ProjectUpdateListItem")
    read(PU, ref("ProjectUpdate"))
    delete(PU)
    action_get(PU + "cancel/", ref("CancelInfo"))
    action_post(PU + "cancel/", {"202": ACCEPTED}, [401, 403, 405])

    # --- inventories
    crud("inventories", "Inventory", conflict=True, delete_code="202")
    list_("/api/v2/inventories/{id}/hosts/", "Host")
    create("/api/v2/inventories/{id}/hosts/", "Host", parent_key="inventory")
    list_("/api/v2/hosts/", "Host")
    read("/api/v2/hosts/{id}/", ref("Host"))
    IS = "/api/v2/inventory_sources/{id}/"
    crud("inventory_sources", "InventorySource", conflict=True)
    action_get(IS + "update/", ref("UpdateInfo"))
    action_post(IS + "update/", {"202": {"description": "Update started", "headers": {"Location": {"schema": S}},
                                         "content": {"application/json": {"schema": ref("InventoryUpdateLaunchResult")}}}},
                [400, 401, 403, 405], any_body)
    list_(IS + "inventory_updates/", "InventoryUpdateListItem")
    for kind in ("error", "started", "success"):
        sub(IS + f"notification_templates_{kind}/", "NotificationTemplate", "attach_or_create")
    IU = "/api/v2/inventory_updates/{id}/"
    list_("/api/v2/inventory_updates/", "InventoryUpdateListItem")
    read(IU, ref("InventoryUpdate"))
    delete(IU)
    action_get(IU + "cancel/", ref("CancelInfo"))
    action_post(IU + "cancel/", {"202": ACCEPTED}, [401, 403, 405])

    # --- unified lists
    list_("/api/v2/unified_job_templates/", "UnifiedJobTemplate")
    list_("/api/v2/unified_jobs/", "UnifiedJob")

    # --- around workflows
    list_("/api/v2/labels/", "Label")
    create("/api/v2/labels/", "Label")
    read("/api/v2/labels/{id}/", ref("Label"))
    update("/api/v2/labels/{id}/", "Label")
    crud("schedules", "Schedule")
    action_post("/api/v2/schedules/preview/", {"200": ok(ref("SchedulePreview"))}, [400, 401, 403],
                body(ref("SchedulePreviewRequest")))
    add("/api/v2/schedules/zoneinfo/", "get", {"responses": responses({"200": ok(ref("ZoneInfo"))}, [401])})
    list_("/api/v2/schedules/{id}/jobs/", "UnifiedJob")
    crud("notification_templates", "NotificationTemplate")
    NT = "/api/v2/notification_templates/{id}/"
    list_(NT + "notifications/", "Notification")
    action_post(NT + "test/", {"202": {"description": "Test notification queued", "headers": {"Location": {"schema": S}},
                                       "content": {"application/json": {"schema": ref("NotificationTestResult")}}}},
                [401, 403], any_body)
    list_("/api/v2/notifications/", "Notification")
    read("/api/v2/notifications/{id}/", ref("Notification"))
    list_("/api/v2/activity_stream/", "ActivityStream")
    read("/api/v2/activity_stream/{id}/", ref("ActivityStream"))

    # --- looked up by clients
    crud("credentials", "Credential")
    crud("credential_types", "CredentialType")
    crud("execution_environments", "ExecutionEnvironment")
    crud("applications", "Application")
    crud("instance_groups", "InstanceGroup", conflict=True)
    list_("/api/v2/instances/", "Instance")
    read("/api/v2/instances/{id}/", ref("Instance"))
    list_("/api/v2/system_job_templates/", "SystemJobTemplate")
    read("/api/v2/system_job_templates/{id}/", ref("SystemJobTemplate"))

    # --- control plane
    C = "/_mockawx/"
    add(C + "reset/", "post", {"summary": "Return to the seeded start state.",
                               "responses": {"204": NO_CONTENT}}, "mockawx_reset")
    add(C + "state/", "get", {"summary": "Snapshot of the whole state.",
                              "responses": {"200": ok(ref("MockState"))}}, "mockawx_state_snapshot")
    add(C + "state/", "post", {"summary": "Restore a snapshot taken with GET.",
                               "requestBody": body(ref("MockState")),
                               "responses": {"204": NO_CONTENT, "400": {"$ref": "#/components/responses/BadRequest"}}},
        "mockawx_state_restore")
    add(C + "clock/", "get", {"summary": "The mock's clock.", "responses": {"200": ok(ref("MockClock"))}},
        "mockawx_clock_read")
    add(C + "clock/advance/", "post", {"summary": "Move the clock forward and run everything that becomes due.",
                                       "requestBody": body(ref("MockClockAdvance")),
                                       "responses": {"200": ok(ref("MockClock")),
                                                     "400": {"$ref": "#/components/responses/BadRequest"}}},
        "mockawx_clock_advance")
    add(C + "clock/run_until_idle/", "post", {"summary": "Advance until no job or workflow is active.",
                                              "responses": {"200": ok(ref("MockClock"))}},
        "mockawx_clock_run_until_idle")
    add(C + "outcomes/", "get", {"summary": "Scripted job outcomes.", "responses": {"200": ok(ref("MockOutcomeList"))}},
        "mockawx_outcomes_list")
    add(C + "outcomes/", "post", {"summary": "Script the outcomes of future jobs.",
                                  "requestBody": body(ref("MockOutcomeRule")),
                                  "responses": {"201": ok(ref("MockOutcomeRule"), "Created"),
                                                "400": {"$ref": "#/components/responses/BadRequest"}}},
        "mockawx_outcomes_create")
    add(C + "outcomes/", "delete", {"summary": "Forget every scripted outcome.", "responses": {"204": NO_CONTENT}},
        "mockawx_outcomes_delete")
    add(C + "requests/", "get", {"summary": "Requests received, oldest first.",
                                 "responses": {"200": ok(ref("MockRequestLog"))}}, "mockawx_requests_list")
    add(C + "requests/", "delete", {"summary": "Clear the request log.", "responses": {"204": NO_CONTENT}},
        "mockawx_requests_delete")
    return P


# ---------------------------------------------------------------------------- views (OPTIONS)
def view_for(path: str, model_of_path: str | None) -> dict | None:
    if path.startswith("/_mockawx/") or path in ("/api/login/",):
        return None
    rec = OPTIONS.get(path)
    if rec:
        v = {"name": rec["name"]}
        if rec.get("description"):
            v["description"] = rec["description"]
        for k in ("types", "object_roles", "max_page_size"):
            if k in rec:
                v[k] = rec[k]
        return v
    segs = [s for s in path.strip("/").split("/") if s not in ("api", "v2")]
    if not segs:
        return {"name": "Root"}
    parent = title_case(MODEL_BY_COLL.get(segs[0], {}).get("verbose", segs[0].rstrip("s")))
    if len(segs) == 1:
        name = parent + (" List" if segs[0] not in ("ping", "config", "me") else "")
        name = {"ping": "Ping", "config": "Config", "me": "Me"}.get(segs[0], name)
    elif len(segs) == 2 and segs[1] == "{id}":
        name = parent + " Detail"
    else:
        rest = [s for s in segs[1:] if s != "{id}"]
        name = parent + " " + " ".join(title_case(s) for s in rest)
        if model_of_path:
            name += " List"
    v = {"name": name}
    if model_of_path and MODEL[model_of_path]["type"]:
        v["types"] = [MODEL[model_of_path]["type"]]
    return v


MODEL_BY_COLL = {m["collection"]: m for m in MODEL.values() if m["collection"]}


def search_fields(model: str) -> tuple[list[str] | None, list[str] | None]:
    m = MODEL[model]
    srcs = polymorphic_options(model) if m["type"] is None else options_for_type(m["type"])
    for opt in srcs:
        if "search_fields" in opt:
            return opt["search_fields"], opt.get("related_search_fields", [])
    return None, None


KNOWN_SEARCH = {
    "WorkflowJob": ["description", "name"],
    "WorkflowApproval": ["description", "name"],
    "WorkflowJobNode": ["unified_job_template__name", "unified_job_template__description"],
}


def options_overrides(path: str, get: dict | None, schemas: dict) -> dict:
    """Labels and help texts a recorded view shows differently from its model (AWX swaps serializers)."""
    fields = OPTIONS.get(path, {}).get("actions", {}).get("GET")
    if not fields or get is None:
        return {}
    found = re.findall(r'schemas/(\w+)"', json.dumps(get["responses"].get("200", {})))
    name = found[0][: -len("Page")] if found and found[0].endswith("Page") else (found[0] if found else None)
    props = schemas.get(name, {}).get("properties", {})
    out: dict = {}
    for field, meta in fields.items():
        prop = props.get(field)
        if prop is None:
            continue
        diff = {key: meta.get(src) for key, src in (("title", "label"), ("description", "help_text"))
                if prop.get(key) != meta.get(src)}
        if diff:
            out[field] = diff
    return out


# ---------------------------------------------------------------------------- document
def build() -> dict:
    schemas: dict = {}
    for name in MODEL:
        build_model(name, schemas)
    special_schemas(schemas)
    page_models: set[str] = set()
    paths = build_paths(page_models)
    for model in sorted(page_models):
        schemas[model + "Page"] = {"allOf": [ref("Page"), {"type": "object", "properties": {
            "results": {"type": "array", "items": ref(model)}}}]}
    # x-awx-view and search fields
    for path, item in paths.items():
        get = item.get("get")
        listed = None
        if get and "$ref" in json.dumps(get["responses"].get("200", {})):
            s = json.dumps(get["responses"]["200"])
            mm = re.search(r'schemas/(\w+)Page"', s)
            if mm:
                listed = mm.group(1).replace("ListItem", "")
        view = view_for(path, listed)
        detail_model = None
        if view is not None:
            if "types" not in view:
                mm = re.search(r'schemas/(\w+)"', json.dumps(get["responses"].get("200", {}))) if get else None
                if mm and mm.group(1) in MODEL and MODEL[mm.group(1)]["type"]:
                    detail_model = mm.group(1)
                    view["types"] = [MODEL[detail_model]["type"]]
            item["x-awx-view"] = view
        if listed and listed in MODEL:
            sf, rsf = search_fields(listed)
            if sf is None and listed in KNOWN_SEARCH:
                sf = KNOWN_SEARCH[listed]
            if sf is not None:
                get["x-awx-search-fields"] = sf
            if rsf:
                get["x-awx-related-search-fields"] = rsf
        post = item.get("post")
        if post and post.get("x-awx-options-schema") not in (None, *schemas):
            del post["x-awx-options-schema"]
        overrides = options_overrides(path, get, schemas)
        if overrides:
            get["x-awx-options-overrides"] = overrides
        # reorder path item: extension first, then methods in HTTP order
        order = ["x-awx-view", "parameters", "get", "post", "put", "patch", "delete"]
        if "{id}" in path:
            item["parameters"] = [{"$ref": "#/components/parameters/" +
                                   ("user_id" if path.startswith("/api/v2/users/{id}/") else "id")}]
        paths[path] = {k: item[k] for k in order if k in item}
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "AWX REST API v2 (mockawx)",
            "version": "24.6.1",
            "summary": "The AWX 24.6.1 API v2 as served by mockawx: workflow job templates, their nodes, "
                       "workflow jobs and approvals, plus the endpoints around them.",
            "description": "Described from AWX 24.6.1 (its own API structure and responses recorded from a "
                           "running AWX 24.6.1). Paths under /_mockawx/ are the mock's control plane and "
                           "are not part of AWX. Every path ends with a slash. See openapi/README.md for "
                           "the conventions (x-awx-* extensions).",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "security": [{"basicAuth": []}, {"bearerAuth": []}],
        "tags": [],
        "paths": dict(sorted(paths.items(), key=lambda kv: (kv[0].startswith("/_mockawx/"), kv[0]))),
        "components": {
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "OAuth2 or personal access token."},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "awx_sessionid",
                                  "description": "Session from POST /api/login/. Unsafe methods also need "
                                                 "X-CSRFToken matching the csrftoken cookie."},
            },
            "parameters": {
                "id": {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
                "user_id": {"name": "id", "in": "path", "required": True,
                            "description": "User id or username.", "schema": {"type": "string"}},
                "page": {"name": "page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "default": 1}},
                "page_size": {"name": "page_size", "in": "query", "required": False,
                              "description": "Values above 200 are capped at 200; 0 means 25.",
                              "schema": {"type": "integer", "minimum": 0, "default": 25}},
                "order_by": {"name": "order_by", "in": "query", "required": False,
                             "description": "Comma-separated field names; a leading - reverses.",
                             "schema": {"type": "string"}},
                "search": {"name": "search", "in": "query", "required": False,
                           "description": "Case-insensitive search over the list's search fields.",
                           "schema": {"type": "string"}},
            },
            "responses": {
                "NoContent": {"description": "No content"},
                "Accepted": {"description": "Accepted (empty body)"},
                "BadRequest": ok({"anyOf": [ref("FieldErrors"), ref("ErrorMessage"), ref("CapitalErrorMessage"),
                                            ref("MsgMessage"), ref("Detail")]}, "Invalid request"),
                "Unauthorized": {"description": "Not authenticated",
                                 "headers": {"WWW-Authenticate": {"schema": S}},
                                 "content": {"application/json": {"schema": ref("Detail")}}},
                "Forbidden": ok({"anyOf": [ref("Detail"), ref("FieldErrors")]}, "Not permitted"),
                "NotFound": ok(ref("Detail"), "Not found"),
                "MethodNotAllowed": ok(ref("Detail"), "Not allowed in the current state"),
                "Conflict": ok(ref("ActiveJobsConflict"), "In use by active jobs"),
            },
            "schemas": schemas,
        },
    }
    tags = sorted({o["tags"][0] for item in paths.values() for m, o in item.items() if isinstance(o, dict) and "tags" in o})
    doc["tags"] = [{"name": t} for t in tags if t != "mockawx-control"] + [
        {"name": "mockawx-control", "description": "The mock's control plane (not part of AWX)."}]
    return doc


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data and not any(c in data for c in "\t\r") and not data.endswith(" ") \
        and "  \n" not in data and " \n" not in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)
Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


def render() -> str:
    doc = build()
    text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return "# Generated by openapi/build/generate.py from openapi/build/observed.json; do not edit by hand.\n" + text


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        with open(OUTPUT, encoding="utf-8") as fh:
            if fh.read() != text:
                print("openapi/awx.yaml is out of date; run openapi/build/generate.py")
                return 1
        return 0
    with open(OUTPUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    if "--report" in argv:
        print("synthesized field metadata:", ", ".join(sorted(set(SYNTHESIZED))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
