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


def test_ids_inside_text_go_through_the_map() -> None:
    """Query-string ids (object_id with its model), local_path folders and job ids in explanations are mapped."""
    from contracts.volatile import IdMap, match_keyed_text, match_text

    ids = IdMap()
    assert match_text(ids, "/api/v2/roles/?content_type__model=organization&object_id=1026&page=2", "/api/v2/roles/?content_type__model=organization&object_id=2&page=2")
    assert not match_text(ids, "/api/v2/roles/?content_type__model=organization&object_id=1026&page=2", "/api/v2/roles/?content_type__model=organization&object_id=3&page=2")
    assert not match_text(ids, "/api/v2/roles/?object_id=7&page=2", "/api/v2/roles/?object_id=7&page=3")
    assert match_keyed_text(ids, "local_path", "_3343__sup_gu20_git", "_7__sup_gu20_git") is True
    assert match_keyed_text(ids, "local_path", "_3343__sup_gu20_git", "_8__sup_gu20_git") is False
    assert match_keyed_text(ids, "local_path", "sup-gu20-manual", "sup-gu20-manual") is None
    assert match_text(ids, "waiting for projectupdate-1729 to finish", "waiting for projectupdate-4 to finish")
    assert match_text(ids, 'Previous Task Failed: {"job_id": "1732"}', 'Previous Task Failed: {"job_id": "5"}')
    assert not match_text(ids, 'Previous Task Failed: {"job_id": "1732"}', 'Previous Task Failed: {"job_id": "4"}')


def test_token_values_are_learned_from_create_responses_only() -> None:
    """A list's censored ``************`` never replaces the token value learned from the create response."""
    from contracts.replay_compare import Comparison
    from contracts.volatile import IdMap

    tokens: dict[int, str] = {}
    comparison = Comparison(IdMap(), {}, tokens)
    comparison.value({"id": 5, "type": "o_auth2_access_token", "token": "<redacted: token>"}, {"id": 1, "type": "o_auth2_access_token", "token": "abc"}, "$", None, None)
    comparison.value({"id": 5, "type": "o_auth2_access_token", "token": "************"}, {"id": 1, "type": "o_auth2_access_token", "token": "************"}, "$", None, None)
    assert tokens == {5: "abc"} and not comparison.diffs
