"""The pytest plugin, exercised the way a user's project uses it (through pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixture_serves_and_resets_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_create(mockawx):
            api = httpx.Client(base_url=mockawx.url, auth=mockawx.auth)
            response = api.post("/api/v2/workflow_job_templates/", json={"name": "made in test one"})
            assert response.status_code == 201

        def test_state_was_reset(mockawx):
            api = httpx.Client(base_url=mockawx.url, headers=mockawx.headers)
            assert api.get("/api/v2/workflow_job_templates/").json()["count"] == 0
            assert mockawx.url.startswith("http://127.0.0.1:")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result.assert_outcomes(passed=2)


def test_clock_and_outcomes_drive_a_workflow(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_denied_gate_fails_the_workflow(mockawx):
            api = httpx.Client(base_url=mockawx.url, auth=mockawx.auth)
            wf = api.post("/api/v2/workflow_job_templates/", json={"name": "gated"}).json()
            node = api.post(f"/api/v2/workflow_job_templates/{wf['id']}/workflow_nodes/", json={"identifier": "gate"}).json()
            api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", json={"name": "Gate"})
            api.post("/_mockawx/outcomes/", json={"match": {"node_identifier": "gate"}, "results": [{"status": "failed"}]})
            job = api.post(f"/api/v2/workflow_job_templates/{wf['id']}/launch/", json={}).json()
            assert job["status"] == "pending"
            mockawx.clock.advance(5)
            done = api.get(f"/api/v2/workflow_jobs/{job['id']}/").json()
            assert (done["status"], done["failed"]) == ("failed", True)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result.assert_outcomes(passed=1)


def test_server_side_exception_fails_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_boom(mockawx, monkeypatch):
            from mockawx.resources import _registry

            def broken(call):
                raise RuntimeError("handler exploded")

            monkeypatch.setitem(_registry.HANDLERS, "api_ping_list", broken)
            response = httpx.get(mockawx.url + "/api/v2/ping/")
            assert response.status_code == 500
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result.assert_outcomes(errors=1, passed=1)
    result.stdout.fnmatch_lines(["*RuntimeError: handler exploded*"])


def test_seed_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def mockawx_seed():
            return "demo"
        """
    )
    pytester.makepyfile(
        """
        import httpx

        def test_demo_objects(mockawx):
            api = httpx.Client(base_url=mockawx.url, auth=mockawx.auth)
            names = [o["name"] for o in api.get("/api/v2/organizations/?page_size=50").json()["results"]]
            assert "Default" in names
            assert api.get("/api/v2/job_templates/?name=Demo%20Job%20Template").json()["count"] == 1
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result.assert_outcomes(passed=1)


def test_handle_scripts_outcomes_and_logs_requests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_fails_then_succeeds_on_relaunch(mockawx):
            api = httpx.Client(base_url=mockawx.url, auth=mockawx.auth)
            wf = api.post("/api/v2/workflow_job_templates/", json={"name": "flaky"}).json()
            node = api.post(f"/api/v2/workflow_job_templates/{wf['id']}/workflow_nodes/", json={"identifier": "gate"}).json()
            api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", json={"name": "Gate"})
            mockawx.script({"node_identifier": "gate"}, "failed", "successful")
            first = api.post(f"/api/v2/workflow_job_templates/{wf['id']}/launch/", json={}).json()
            mockawx.run_until_idle()
            assert api.get(f"/api/v2/workflow_jobs/{first['id']}/").json()["status"] == "failed"
            again = api.post(f"/api/v2/workflow_jobs/{first['id']}/relaunch/", json={}).json()
            mockawx.run_until_idle()
            assert api.get(f"/api/v2/workflow_jobs/{again['id']}/").json()["status"] == "successful"
            assert ("POST", f"/api/v2/workflow_jobs/{first['id']}/relaunch/", 201) in [
                (r["method"], r["path"], r["status"]) for r in mockawx.requests
            ]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:xdist", "-p", "no:hypothesispytest", "-p", "no:anyio")
    result.assert_outcomes(passed=1)
