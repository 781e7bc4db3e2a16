"""Golden replay: every recorded AWX interaction, replayed in order against one fresh mock per folder.

Each file is its own test. A file listed in ``known_differences.yaml`` must fail (strict xfail), so the list
shrinks as features land; every other file must pass.
"""

from __future__ import annotations

import functools
import os
import pathlib

import pytest

from contracts.replay import FileResult, load_folder, load_known_differences, replay_folder

FOLDERS = ("golden", "golden-supporting", "golden-governance")
SHARED = pathlib.Path(os.environ.get("MOCKAWX_SHARED") or pathlib.Path(__file__).resolve().parents[1].parent / "shared")
KNOWN = load_known_differences()


def _cases() -> list[object]:
    if not SHARED.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"no golden recordings at {SHARED} (set MOCKAWX_SHARED)"))]
    cases: list[object] = []
    for folder in FOLDERS:
        if not (SHARED / folder).is_dir():
            cases.append(pytest.param(folder, None, marks=pytest.mark.skip(reason=f"{SHARED / folder} is missing"), id=folder))
            continue
        for record in load_folder(SHARED / folder):
            marks = []
            if record.is_delivery:
                marks.append(pytest.mark.skip(reason="a body AWX delivered to a webhook receiver, not an API call"))
            elif record.number in KNOWN.get(folder, {}):
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[folder][record.number]))
            cases.append(pytest.param(folder, record.name, marks=marks, id=f"{folder}/{record.name}"))
    return cases


@functools.cache
def _results(folder: str) -> dict[str, FileResult]:
    """The whole folder replayed once (the sequence is stateful), cached for the per-file tests."""
    return {result.name: result for result in replay_folder(SHARED / folder)}


@pytest.mark.mock_only
@pytest.mark.parametrize(("folder", "name"), _cases())
def test_golden_file(folder: str, name: str) -> None:
    """The mock answers this recorded request as AWX did (volatile values by shape, ids through the map)."""
    result = _results(folder)[name]
    assert result.passed, result.summary(limit=None)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no golden recordings at {SHARED}")
def test_known_differences_name_recorded_requests() -> None:
    """Every file listed in known_differences.yaml exists and is a replayable request."""
    for folder, numbers in KNOWN.items():
        requests = {record.number for record in load_folder(SHARED / folder) if not record.is_delivery}
        assert not set(numbers) - requests, f"{folder}: listed but not a recorded request: {sorted(set(numbers) - requests)}"
