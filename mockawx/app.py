"""The WSGI application: route from the spec, authenticate, dispatch, render."""

from __future__ import annotations

import json
import time
import typing as t

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import resources
from .auth import authenticate
from .errors import ApiError, HtmlNotFound, MethodNotAllowed, MockAWXError, NotAuthenticated
from .resources._registry import HANDLERS
from .runtime import Runtime
from .spec import Operation
from .web.call import Call, Reply
from .web.options import options_body

__all__ = ["MockAWX"]

METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
REQUEST_LOG_LIMIT = 1000
_ = resources  # importing the package registers every handler


class MockAWX:
    """A WSGI app serving the AWX API from one ``Runtime``."""

    def __init__(self, runtime: Runtime, *, strict: bool = True) -> None:
        self.runtime = runtime
        self.url_map = Map(
            [Rule(_rule_path(path), endpoint=path) for path in runtime.spec.by_path],
            strict_slashes=False,
            merge_slashes=False,
        )
        if strict:
            check_handlers(runtime)

    def __call__(self, environ: dict[str, t.Any], start_response: t.Any) -> t.Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        """Answer one request; an unexpected exception is kept for the test to re-raise."""
        started = time.perf_counter()
        try:
            # one request at a time: authentication and rendering read the store too
            with self.runtime.store.lock:
                response = self._dispatch(request)
        except Exception as exc:  # noqa: BLE001 - a bug must still answer, and be reported
            self.runtime.handler_errors.append(exc)
            response = Response(json.dumps({"detail": "Internal server error."}), 500, content_type="application/json")
        if response.mimetype == "application/json" or "Allow" in response.headers:
            # Django's own pages (HTML 404, redirects) come without the API's headers
            response.headers["X-API-Product-Name"] = "AWX"
            response.headers["X-API-Node"] = self.runtime.settings.node_name
            response.headers["X-API-Time"] = f"{time.perf_counter() - started:.3f}s"
        self._log(request, response)
        return response

    def _log(self, request: Request, response: Response) -> None:
        log = self.runtime.request_log
        log.append({"method": request.method, "path": request.full_path.rstrip("?"), "status": response.status_code})
        if len(log) > REQUEST_LOG_LIMIT:
            del log[: len(log) - REQUEST_LOG_LIMIT]

    def _dispatch(self, request: Request) -> Response:
        matched = self._match(request)
        if isinstance(matched, Response):
            return matched
        path, params = matched
        operations = self.runtime.spec.by_path[path]
        allow = [m for m in METHOD_ORDER if m in operations or m in ("HEAD", "OPTIONS")]
        if "GET" not in operations:
            allow.remove("HEAD")
        try:
            response = self._operate(request, operations, params, allow)
        except ApiError as exc:
            response = exc.get_response()
        except HtmlNotFound as exc:
            return exc.get_response()
        except HTTPException as exc:
            response = exc.get_response()
        response.headers.setdefault("Allow", ", ".join(allow))
        return response

    def _match(self, request: Request) -> tuple[str, dict[str, str]] | Response:
        adapter = self.url_map.bind("localhost")
        path = request.path
        try:
            endpoint, params = adapter.match(path, method="GET")
            if path.endswith("/"):
                return str(endpoint), dict(params)
        except HTTPException:
            pass
        if not path.endswith("/"):
            try:
                adapter.match(path + "/", method="GET")
            except HTTPException:
                pass
            else:
                query = request.query_string.decode("latin-1")
                location = path + "/" + (f"?{query}" if query else "")
                return Response("", 301, headers={"Location": location}, content_type="text/html; charset=utf-8")
        # AWX answers a URL that matches no route with Django's HTML page, under /api/ too
        return HtmlNotFound().get_response()

    def _operate(self, request: Request, operations: dict[str, Operation], params: dict[str, str], allow: list[str]) -> Response:
        runtime = self.runtime
        method = "GET" if request.method == "HEAD" else request.method
        operation = operations.get(method) or next(iter(operations.values()))
        user = None
        if not operation.public or request.headers.get("Authorization"):
            user = authenticate(request, runtime.store, runtime.clock)
            if user is None and not operation.public:
                raise NotAuthenticated()
        if request.method == "OPTIONS":
            reply = Reply(200, options_body(runtime, operations, user, params))
        elif method not in operations:
            raise MethodNotAllowed(request.method, allow)
        else:
            reply = self._call(request, operation, params, user)
        return self._render(request, reply, user)

    def _call(self, request: Request, operation: Operation, params: dict[str, str], user: t.Any) -> Reply:
        runtime = self.runtime
        call = Call(request, operation, params, runtime.store, runtime.clock, runtime, runtime.access, user, runtime.settings.max_body_bytes)
        handler = HANDLERS[operation.operation_id]
        with runtime.store.transaction():
            result = handler(call)
        return result if isinstance(result, Reply) else Reply(200, result)

    def _render(self, request: Request, reply: Reply, user: t.Any) -> Response:
        if reply.body is None:
            payload = ""
        elif isinstance(reply.body, str) and reply.content_type != "application/json":
            payload = reply.body
        else:
            payload = json.dumps(reply.body)
        response = Response(payload, reply.status, content_type=reply.content_type)
        if reply.body is None:
            response.headers.remove("Content-Type")
        for name, value in reply.headers.items():
            if name.lower() == "set-cookie":
                for cookie in value.split("\n"):
                    response.headers.add("Set-Cookie", cookie)
            else:
                response.headers[name] = value
        if user is not None:
            response.headers["X-API-Product-Version"] = self.runtime.settings.version
        if request.method == "HEAD":
            response.set_data(b"")
        return response


def _rule_path(path: str) -> str:
    return path.replace("{", "<").replace("}", ">")


def check_handlers(runtime: Runtime) -> None:
    """Fail unless every spec operation has a handler and every handler an operation."""
    operation_ids = set(runtime.spec.by_id)
    missing = sorted(operation_ids - set(HANDLERS))
    extra = sorted(set(HANDLERS) - operation_ids)
    if missing or extra:
        raise MockAWXError(
            "the spec and the handlers disagree: "
            f"operations without a handler: {missing or 'none'}; handlers without an operation: {extra or 'none'}"
        )
