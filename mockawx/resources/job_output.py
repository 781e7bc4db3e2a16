"""What a finished job printed: stdout, job events and host summaries, made up from its outcome."""

from __future__ import annotations

import html
import typing as t
import uuid

from ..clock import format_time
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import get_object, list_reply
from ..model import Model, register
from ._registry import handles

__all__ = ["host_results", "host_status_counts", "playbook_counts", "job_events"]

PLAY, TASK = "all", "debug"
RULE = 80
NOT_ACCEPTABLE = (
    "<!DOCTYPE html>\n<html>\n  <head>\n    <title>Job Stdout &middot; AWX REST API</title>\n  </head>\n  <body>\n"
    "    <pre><b>HTTP 406 Not Acceptable</b>\n{\n    &quot;detail&quot;: &quot;{detail}&quot;\n}</pre>\n  </body>\n</html>\n"
)


def _ran(job: Record) -> bool:
    return job.get("status") in ("successful", "failed") and job.get("started") is not None and not job.get("_spawn_problem")


def host_results(store: Store, job: Record) -> list[dict[str, t.Any]]:
    """One entry per host the job ran on: the inventory's enabled hosts, else ``localhost``."""
    if not _ran(job):
        return []
    hosts = sorted((h for h in store.find("hosts", "inventory", job.get("inventory")) if h.get("enabled", True)), key=lambda h: h["name"])
    failed = job["status"] == "failed"
    if not hosts:
        return [{"host": None, "host_name": "localhost", "failed": failed}]
    return [{"host": h["id"], "host_name": h["name"], "failed": failed} for h in hosts]


def host_status_counts(store: Store, job: Record) -> dict[str, int] | None:
    results = host_results(store, job)
    if not results:
        return None
    failures = sum(1 for r in results if r["failed"])
    counts = {"ok": len(results) - failures, "failures": failures}
    return {k: v for k, v in counts.items() if v}


def playbook_counts(store: Store, job: Record) -> dict[str, int]:
    ran = bool(host_results(store, job))
    return {"play_count": int(ran), "task_count": int(ran)}


def _banner(title: str) -> str:
    return f"{title} " + "*" * max(RULE - len(title) - 1, 3)


def _recap(result: dict[str, t.Any]) -> str:
    ok, failed = (0, 1) if result["failed"] else (1, 0)
    return (f"{result['host_name']:<26} : ok={ok:<4} changed=0    unreachable=0    failed={failed:<4} "
            f"skipped=0    rescued=0    ignored=0   ")


def _host_line(result: dict[str, t.Any]) -> list[str]:
    if result["failed"]:
        return [f"fatal: [{result['host_name']}]: FAILED! => {{\"msg\": \"The task failed.\"}}"]
    return [f"ok: [{result['host_name']}] => {{", '    "msg": "Hello World!"', "}"]


def job_events(store: Store, job: Record) -> list[Record]:
    """The events of the made-up run, each with its stdout lines, in counter order."""
    results = host_results(store, job)
    if not results:
        return []
    playbook = job.get("playbook") or ""
    steps: list[tuple[str, dict[str, t.Any] | None, list[str]]] = [
        ("playbook_on_start", None, []),
        ("playbook_on_play_start", None, ["", _banner(f"PLAY [{PLAY}]")]),
        ("playbook_on_task_start", None, ["", _banner(f"TASK [{TASK}]")]),
    ]
    steps += [("runner_on_failed" if r["failed"] else "runner_on_ok", r, _host_line(r)) for r in results]
    steps.append(("playbook_on_stats", None, ["", _banner("PLAY RECAP"), *(_recap(r) for r in results), ""]))
    events: list[Record] = []
    line = 0
    for counter, (event, result, lines) in enumerate(steps, start=1):
        events.append({
            "id": job["id"] * 1000 + counter, "job": job["id"], "event": event, "counter": counter,
            "host": result["host"] if result else None, "host_name": result["host_name"] if result else "",
            "failed": bool(result and result["failed"]) or (event == "playbook_on_stats" and job["status"] == "failed"),
            "changed": False, "playbook": playbook, "play": PLAY if counter > 1 else "", "task": TASK if result or event == "playbook_on_task_start" else "",
            "stdout": "\r\n".join(lines), "start_line": line, "end_line": line + len(lines),
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"mockawx/job/{job['id']}/{counter}")),
            "created": job.get("finished") or job.get("started"),
        })
        line += len(lines)
    return events


EVENT_DISPLAY = {
    "playbook_on_start": "Playbook Started", "playbook_on_play_start": "Play Started (all)",
    "playbook_on_task_start": f"Task Started ({TASK})", "runner_on_ok": "Host OK", "runner_on_failed": "Host Failed",
    "playbook_on_stats": "Playbook Complete",
}


def serialize_event(call: Call, event: Record, detail: bool) -> dict[str, t.Any]:
    job = call.store.get("jobs", event["job"]) or {}
    related: dict[str, t.Any] = {"job": f"/api/v2/jobs/{event['job']}/"}
    summary: dict[str, t.Any] = {"job": {"id": job.get("id"), "name": job.get("name"), "description": job.get("description") or "",
                                         "status": job.get("status"), "failed": job.get("status") in ("failed", "error", "canceled"),
                                         "job_template_id": job.get("job_template"), "type": "job"}, "role": {}}
    if event["host"] is not None:
        related["host"] = f"/api/v2/hosts/{event['host']}/"
        summary["host"] = {"id": event["host"], "name": event["host_name"], "description": ""}
    level = {"playbook_on_start": 0, "playbook_on_play_start": 1, "playbook_on_task_start": 2, "playbook_on_stats": 1}.get(event["event"], 3)
    return {
        "id": event["id"], "type": "job_event", "url": f"/api/v2/job_events/{event['id']}/", "related": related,
        "summary_fields": summary, "created": format_time(event["created"]), "modified": format_time(event["created"]),
        "job": event["job"], "event": event["event"], "counter": event["counter"],
        "event_display": EVENT_DISPLAY[event["event"]], "event_data": {"playbook": event["playbook"]},
        "event_level": level, "failed": event["failed"], "changed": event["changed"], "uuid": event["uuid"],
        "parent_uuid": "", "host": event["host"], "host_name": event["host_name"], "playbook": event["playbook"],
        "play": event["play"], "task": event["task"], "role": "", "stdout": event["stdout"],
        "start_line": event["start_line"], "end_line": event["end_line"], "verbosity": 0,
    }


EVENT_MODEL = register(Model(
    kind="job_events", type="job_event", name="JobEvent", serializer=serialize_event,
    fields=("event", "counter", "failed", "changed", "host_name", "playbook", "play", "task", "stdout", "start_line", "end_line"),
    fks={"job": "jobs", "host": "hosts"}, search_fields=("stdout",), default_order=("counter",),
))


def serialize_summary(call: Call, row: Record, detail: bool) -> dict[str, t.Any]:
    failed = row["failed"]
    related: dict[str, t.Any] = {"job": f"/api/v2/jobs/{row['job']}/"}
    summary: dict[str, t.Any] = {}
    if row["host"] is not None:
        related["host"] = f"/api/v2/hosts/{row['host']}/"
        summary["host"] = {"id": row["host"], "name": row["host_name"], "description": "", "has_active_failures": False, "has_inventory_sources": False}
    return {
        "id": row["id"], "type": "job_host_summary", "url": f"/api/v2/job_host_summaries/{row['id']}/",
        "related": related, "summary_fields": summary, "created": format_time(row["created"]),
        "modified": format_time(row["created"]), "job": row["job"], "host": row["host"],
        "constructed_host": None, "host_name": row["host_name"], "changed": 0, "dark": 0,
        "failures": int(failed), "ok": int(not failed), "processed": 1, "skipped": 0, "failed": failed,
        "ignored": 0, "rescued": 0,
    }


SUMMARY_MODEL = register(Model(
    kind="job_host_summaries", type="job_host_summary", name="JobHostSummary", serializer=serialize_summary,
    fields=("host_name", "changed", "failures", "ok", "failed"), fks={"job": "jobs", "host": "hosts"},
    search_fields=("host_name",), default_order=("host_name",),
))


@handles("api_jobs_job_events_list")
def events(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "jobs")
    return list_reply(call, "job_events", job_events(call.store, job))


@handles("api_jobs_job_host_summaries_list")
def host_summaries(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "jobs")
    rows = [{"id": job["id"] * 1000 + i, "job": job["id"], "created": job.get("finished"), **r}
            for i, r in enumerate(host_results(call.store, job), start=1)]
    return list_reply(call, "job_host_summaries", rows)


@handles("api_jobs_stdout_read")
def stdout(call: Call) -> Reply:
    job = get_object(call, "jobs")
    lines = [line for event in job_events(call.store, job) for line in event["stdout"].split("\r\n") if event["stdout"]]
    text = "\n".join(lines) + ("\n" if lines else "")
    wanted = call.query.get("format", "json")
    accept = call.request.headers.get("Accept", "")
    if wanted in ("txt", "ansi", "txt_download", "ansi_download"):
        if "json" in accept and "text/plain" not in accept and "*/*" not in accept:
            page = NOT_ACCEPTABLE.replace("{detail}", html.escape("Could not satisfy the request Accept header."))
            return Reply(406, page, content_type="text/html; charset=utf-8")
        return Reply(200, text, content_type="text/plain; charset=utf-8")
    if wanted == "html":
        return Reply(200, f"<pre>{html.escape(text)}</pre>", content_type="text/html; charset=utf-8")
    return Reply(200, {"range": {"start": 0, "end": len(lines), "absolute_end": len(lines)}, "content": text})
