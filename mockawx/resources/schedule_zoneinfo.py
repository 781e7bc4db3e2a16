"""The time zones a schedule's TZID may name (``/schedules/zoneinfo/``)."""

from __future__ import annotations

import functools
import importlib.resources
import pathlib
import typing as t
import zoneinfo

from ..web.call import Call
from ._registry import handles

__all__ = ["schedule_zoneinfo"]


@handles("api_schedules_zoneinfo_list")
def schedule_zoneinfo(call: Call) -> dict[str, t.Any]:
    """Every time zone a TZID may name, and which names are aliases of another zone (not paginated)."""
    return _zoneinfo()


@functools.lru_cache(maxsize=1)
def _zoneinfo() -> dict[str, t.Any]:
    zones = sorted(zoneinfo.available_timezones() - {"localtime"})
    first_with: dict[bytes, str] = {}
    links: dict[str, str] = {}
    for name in zones:
        data = _zone_file(name)
        if data is None:
            continue
        # zones whose data is identical are one zone under several names: later names link to the first
        target = first_with.setdefault(data, name)
        if target != name:
            links[name] = target
    return {"zones": zones, "links": links}


def _zone_file(name: str) -> bytes | None:
    """The compiled tz data of a zone (the tzdata package, else the system's zoneinfo directories)."""
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).read_bytes()
    except (ModuleNotFoundError, OSError):
        pass
    for root in zoneinfo.TZPATH:
        try:
            return pathlib.Path(root, name).read_bytes()
        except OSError:
            continue
    return None
