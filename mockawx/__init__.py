"""mockawx: a stateful, in-memory mock of the Ansible AWX API v2, workflows first.

Build an app with ``create_app()`` and serve it with any WSGI server, run ``mockawx serve``,
or use the ``mockawx`` pytest fixture.
"""

from __future__ import annotations

from .app import MockAWX
from .clock import ManualClock, SystemClock
from .errors import ApiError, MockAWXError
from .factory import create_app

__all__ = ["ApiError", "ManualClock", "MockAWX", "MockAWXError", "SystemClock", "create_app"]
