"""Prints how many cases the fuzz ran (``make fuzz`` shows it under the failures)."""

from __future__ import annotations

import sys
import typing as t


def pytest_terminal_summary(terminalreporter: t.Any) -> None:
    module = sys.modules.get("test_schemathesis")
    cases = getattr(module, "CASES", None)
    if cases:
        terminalreporter.write_sep("-", "schemathesis")
        terminalreporter.write_line(f"fuzz: {sum(cases.values())} cases ran over {len(cases)} operations")
