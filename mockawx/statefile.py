"""``mockawx serve --state FILE``: the state kept in a JSON file that survives restarts.

Every successful write request is saved before its answer leaves (so what a client saw
acknowledged is on disk), and a background thread saves what the event ticker changes
within ``interval`` seconds. Saving writes a temporary file next to the target, fsyncs it
and renames it over the target, so a process killed mid-write leaves the last complete
state. A file that is not a mockawx state is refused, never replaced.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import typing as t

from .errors import MockAWXError
from .persist import FORMAT, dump_state, load_state

if t.TYPE_CHECKING:
    from .runtime import Runtime

__all__ = ["StateFile", "StateFileError", "SavingMiddleware"]

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TEMP_SUFFIX = ".tmp"


class StateFileError(MockAWXError):
    """Raise when a state file cannot be used; the file is left as it was."""


class StateFile:
    """Load ``path`` into a runtime on start, and save the runtime's state back atomically."""

    def __init__(self, path: str | os.PathLike[str], runtime: Runtime, *, interval: float = 0.2) -> None:
        self.path = os.path.abspath(os.fspath(path))
        self.runtime = runtime
        self.interval = interval
        self.saves = 0
        self._write_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._events_seen: t.Any = None

    def load(self) -> bool:
        """Load the file into the runtime; ``False`` when there is none yet (a fresh start)."""
        self._remove_leftovers()
        if not os.path.exists(self.path):
            directory = os.path.dirname(self.path)
            if not os.path.isdir(directory):
                raise StateFileError(f"cannot keep the state in {self.path}: the directory {directory} does not exist")
            return False
        try:
            with open(self.path, "rb") as handle:
                text = handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self._refuse(f"it cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise self._refuse(f"it is not JSON ({exc}); it may be damaged") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise self._refuse(f"it is not a mockawx state (format {found!r}, expected {FORMAT!r})")
        try:
            load_state(self.runtime, data)
        except MockAWXError as exc:
            raise self._refuse(str(exc)) from None
        self._events_seen = self._events_fingerprint()
        return True

    def _remove_leftovers(self) -> None:
        """Temporary files of a process killed mid-write: never complete, never needed."""
        directory, name = os.path.split(self.path)
        try:
            entries = os.listdir(directory)
        except OSError:
            return
        for entry in entries:
            if entry.startswith(f".{name}.") and entry.endswith(TEMP_SUFFIX):
                try:
                    os.unlink(os.path.join(directory, entry))
                except OSError:
                    pass

    def _refuse(self, why: str) -> StateFileError:
        return StateFileError(
            f"refusing to use the state file {self.path}: {why}. The file was left untouched; "
            "move it away or pass another --state file."
        )

    def save(self) -> None:
        """Write the current state: temporary file, fsync, rename over the target, fsync the directory."""
        with self._write_lock:
            with self.runtime.store.lock:
                data = dump_state(self.runtime)
                self._events_seen = self._events_fingerprint()
            payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
            directory, name = os.path.split(self.path)
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=TEMP_SUFFIX, dir=directory)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.path)
            except BaseException:
                if os.path.exists(temp):
                    os.unlink(temp)
                raise
            _fsync_directory(directory)
            self.saves += 1

    def _events_fingerprint(self) -> tuple[int, t.Any]:
        # every event run pops the queue's head (unique sequence number), so this changes
        events = self.runtime.store.meta.get("events") or []
        return (len(events), events[0][1] if events else None)

    def start(self) -> None:
        """Save now, then keep saving what the event ticker changes, every ``interval`` seconds."""
        self.save()
        self._thread = threading.Thread(target=self._loop, name="mockawx-statefile", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background saver and write the final state."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.save()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            with self.runtime.store.lock:
                changed = self._events_fingerprint() != self._events_seen
            if changed:
                try:
                    self.save()
                except OSError as exc:  # keep serving; the next change retries
                    self.runtime.handler_errors.append(exc)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class SavingMiddleware:
    """WSGI wrapper: after a successful write request, save the state before answering."""

    def __init__(self, app: t.Callable[..., t.Iterable[bytes]], state: StateFile) -> None:
        self.app = app
        self.state = state

    def __call__(self, environ: dict[str, t.Any], start_response: t.Callable[..., t.Any]) -> t.Iterable[bytes]:
        status: list[int] = []

        def recording_start_response(code: str, headers: t.Any, exc_info: t.Any = None) -> t.Any:
            status.append(int(code.split(" ", 1)[0]))
            return start_response(code, headers, exc_info) if exc_info else start_response(code, headers)

        body = self.app(environ, recording_start_response)
        if environ.get("REQUEST_METHOD") in UNSAFE and status and status[0] < 400:
            self.state.save()
        return body
