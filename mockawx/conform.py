"""``mockawx conform``: run the contract suite and the scenarios against an AWX, then summarise per endpoint.

The contracts live in the ``contracts/`` folder of a checkout; they are run with pytest in this process, with a
JUnit XML report and the suite's own JSON reports (coverage, drift, per-test results) in ``--report-dir``.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import typing as t

__all__ = ["build_parser", "conform_main", "endpoint_table"]

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The ``conform`` options (pass an existing subparser to fill it in)."""
    parser = parser or argparse.ArgumentParser(prog="mockawx conform", description="Run the AWX contracts against a server.")
    parser.add_argument("--url", required=True, help="base URL of the AWX to check, e.g. https://awx.example.com")
    auth = parser.add_mutually_exclusive_group(required=True)
    auth.add_argument("--token", help="OAuth2 or personal access token")
    auth.add_argument("--username", help="user for HTTP Basic authentication (with --password)")
    parser.add_argument("--password", default=None, help="password for --username")
    parser.add_argument("--insecure", action="store_true", help="do not verify the TLS certificate")
    parser.add_argument("--organization", default=None, help="work inside this existing organization instead of creating one")
    parser.add_argument("--report-dir", default="conform-report", help="where to write report.xml and the JSON reports")
    return parser


def pytest_args(args: argparse.Namespace) -> list[str]:
    """The pytest command line for these options."""
    report = pathlib.Path(args.report_dir).resolve()
    argv = [
        str(CONTRACTS), "--rootdir", str(ROOT), "-p", "no:cacheprovider", "-o", "console_output_style=progress",
        "--awx-url", args.url, "--awx-report-dir", str(report), f"--junitxml={report / 'report.xml'}",
        f"--ignore={CONTRACTS / 'test_golden_replay.py'}", "-q", "-rfE",
        # mockawx (and its pytest plugin) is already imported by the time pytest starts
        "-W", "ignore::pytest.PytestAssertRewriteWarning",
    ]
    if args.token:
        argv += ["--awx-token", args.token]
    else:
        argv += ["--awx-username", args.username, "--awx-password", args.password or ""]
    if args.insecure:
        argv.append("--awx-insecure")
    if args.organization:
        argv += ["--awx-organization", args.organization]
    return argv


def endpoint_table(tests: dict[str, dict[str, t.Any]], operations: dict[str, dict[str, t.Any]]) -> list[tuple[str, int, int, int]]:
    """Rows (endpoint, passed, failed, skipped): a test counts for every operation it called (skipped ones, for their file)."""
    rows: dict[str, list[int]] = {}
    column = {"passed": 0, "failed": 1, "skipped": 2}
    for nodeid, result in tests.items():
        ops = result.get("operations") or []
        keys = [f"{operations[op]['method']} {operations[op]['path']}" for op in ops if op in operations]
        for key in keys or [f"(no call) {nodeid.split('::')[0]}"]:
            rows.setdefault(key, [0, 0, 0])[column.get(result["outcome"], 1)] += 1
    return sorted((key, *counts) for key, counts in rows.items())  # type: ignore[misc]


def print_summary(report_dir: pathlib.Path, out: t.TextIO) -> None:
    """The per-endpoint table, coverage and drift totals from the JSON reports."""
    tests = json.loads((report_dir / "tests.json").read_text())
    covered = json.loads((report_dir / "coverage.json").read_text())
    drifted = json.loads((report_dir / "drift.json").read_text())
    rows = endpoint_table(tests, covered["operations"])
    width = max([len(row[0]) for row in rows] + [8])
    print(f"\n{'endpoint'.ljust(width)}  passed  failed  skipped", file=out)
    for endpoint, passed, failed, skipped in rows:
        print(f"{endpoint.ljust(width)}  {passed:6d}  {failed:6d}  {skipped:7d}", file=out)
    totals = [sum(1 for r in tests.values() if r["outcome"] == o) for o in ("passed", "failed", "skipped")]
    print(f"\ntests: {totals[0]} passed, {totals[1]} failed, {totals[2]} skipped", file=out)
    print(f"operations exercised: {covered['operations_exercised']}/{covered['operations_total']}, "
          f"status codes: {covered['status_pairs_exercised']}/{covered['status_pairs_total']}", file=out)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(drifted["totals"].items())) or "none"
    print(f"drift (distinct findings): {kinds}", file=out)
    print(f"reports: {report_dir / 'report.xml'}, {report_dir / 'coverage.json'}, {report_dir / 'drift.json'}, {report_dir / 'tests.json'}", file=out)


def conform_main(argv: t.Sequence[str] | None = None, out: t.TextIO = sys.stdout) -> int:
    """Run the contracts against ``--url``; print the summary; return pytest's exit code (0 = all passed)."""
    import pytest  # the suite's runner; imported here so ``mockawx serve`` does not need it

    args = build_parser().parse_args(argv)
    if args.username and args.password is None:
        print("mockawx conform: --username needs --password", file=sys.stderr)
        return 2
    if not CONTRACTS.is_dir():
        print(f"mockawx conform: the contract suite is not at {CONTRACTS} (run from a checkout)", file=sys.stderr)
        return 2
    report_dir = pathlib.Path(args.report_dir).resolve()
    code = int(pytest.main(pytest_args(args)))
    if (report_dir / "tests.json").is_file():
        print_summary(report_dir, out)
    return code


if __name__ == "__main__":
    raise SystemExit(conform_main())
