"""The control plane under ``/_mockawx/``: clock, scripted outcomes, request log, reset, state."""

from __future__ import annotations

import hmac
import typing as t

from ..clock import ManualClock, format_time
from ..errors import BadRequest, MockAWXError, NotFound, PermissionDenied
from ..execution.lifecycle import outcome_plan
from ..execution.scheduler import Scheduler
from ..persist import dump_state, load_state
from ..web.call import Call, Reply
from ._registry import handles

__all__ = ["CONTROL_TOKEN_HEADER"]

CONTROL_TOKEN_HEADER = "X-Mockawx-Control-Token"


def _guard(call: Call) -> None:
    settings = call.runtime.settings
    if not settings.control_enabled:
        raise NotFound()
    if settings.control_token is not None:
        given = call.request.headers.get(CONTROL_TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), settings.control_token.encode()):
            raise PermissionDenied({"detail": "A valid control token is required."})


def _clock(call: Call) -> dict[str, t.Any]:
    scheduler = Scheduler(call.runtime)
    return {"now": format_time(call.clock.now()), "idle": scheduler.idle}


def _manual(call: Call) -> ManualClock:
    if not isinstance(call.clock, ManualClock):
        raise BadRequest({"detail": "This mock runs on real time; its clock cannot be moved."})
    return call.clock


@handles("mockawx_clock_read")
def clock(call: Call) -> dict[str, t.Any]:
    _guard(call)
    return _clock(call)


@handles("mockawx_clock_advance")
def advance(call: Call) -> dict[str, t.Any]:
    _guard(call)
    seconds = call.validated()["seconds"]
    _manual(call)
    Scheduler(call.runtime).advance(float(seconds))
    return _clock(call)


@handles("mockawx_clock_run_until_idle")
def run_until_idle(call: Call) -> dict[str, t.Any]:
    _guard(call)
    _manual(call)
    Scheduler(call.runtime).run_until_idle()
    return _clock(call)


@handles("mockawx_outcomes_list")
def outcomes(call: Call) -> dict[str, t.Any]:
    _guard(call)
    rules = [rule.as_dict() for rule in outcome_plan(call.runtime).rules]
    return {"count": len(rules), "results": rules}


@handles("mockawx_outcomes_create")
def add_outcome(call: Call) -> Reply:
    _guard(call)
    body = call.validated()
    try:
        rule = outcome_plan(call.runtime).add(body["match"], body["results"])
    except ValueError as exc:
        raise BadRequest({"__all__": [str(exc)]}) from None
    return Reply(201, rule.as_dict())


@handles("mockawx_outcomes_delete")
def clear_outcomes(call: Call) -> Reply:
    _guard(call)
    outcome_plan(call.runtime).clear()
    return Reply(204, None)


@handles("mockawx_requests_list")
def requests(call: Call) -> dict[str, t.Any]:
    _guard(call)
    log = list(call.runtime.request_log)
    return {"count": len(log), "results": log}


@handles("mockawx_requests_delete")
def clear_requests(call: Call) -> Reply:
    _guard(call)
    call.runtime.request_log.clear()
    return Reply(204, None)


@handles("mockawx_reset")
def reset(call: Call) -> Reply:
    _guard(call)
    baseline = call.runtime.hooks.get("baseline")
    if baseline is None:
        raise BadRequest({"detail": "This mock has no baseline to reset to."})
    load_state(call.runtime, baseline)
    call.runtime.request_log.clear()
    return Reply(204, None)


@handles("mockawx_state_snapshot")
def snapshot(call: Call) -> dict[str, t.Any]:
    _guard(call)
    return dump_state(call.runtime)


@handles("mockawx_state_restore")
def restore(call: Call) -> Reply:
    _guard(call)
    try:
        load_state(call.runtime, call.body)
    except MockAWXError as exc:
        raise BadRequest({"__all__": [str(exc)]}) from None
    return Reply(204, None)
