"""``/api/login/``: the CSRF-protected form login that gives an ``awx_sessionid`` session."""

from __future__ import annotations

import datetime as dt
import email.utils
import hmac
import html

from ..auth import CSRF_COOKIE, SESSION_COOKIE, check_password, new_secret
from ..web.call import Call, Reply
from ._registry import handles

__all__ = ["SESSION_SECONDS", "login_form", "login"]

SESSION_SECONDS = 1800
HTML = "text/html; charset=utf-8"
DEFAULT_NEXT = "/api/"
CSRF_PAGE_HEAD = (
    "\n<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\">\n"
    "  <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n  <title>403 Forbidden</title>\n  <style type=\"text/css\">\n"
    "    html * { padding:0; margin:0; }\n    body * { padding:10px 20px; }\n    body * * { padding:0; }\n"
    "    body { font:small sans-serif; background:#eee; color:#000; }\n    body>div { border-bottom:1px solid #ddd; }\n"
    "    h1 { font-weight:normal; margin-bottom:.4em; }\n    h1 span { font-size:60%; color:#666; font-weight:normal; }\n"
    "    #info { background:#f6f6f6; }\n    #info ul { margin: 0.5em 4em; }\n    #info p, #summary p { padding-top:10px; }\n"
    "    #summary { background: #ffc; }\n    #explanation { background:#eee; border-bottom: 0px none; }\n  </style>\n</head>\n"
    "<body>\n<div id=\"summary\">\n  <h1>Forbidden <span>(403)</span></h1>\n  <p>CSRF verification failed. Request aborted.</p>\n\n\n"
)
CSRF_NO_COOKIE = (
    "  <p>You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is "
    "required for security reasons, to ensure that your browser is not being hijacked by third parties.</p>\n"
    "  <p>If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for "
    "\u201csame-origin\u201d requests.</p>\n"
)
CSRF_PAGE_TAIL = (
    "\n</div>\n\n<div id=\"explanation\">\n  <p><small>More information is available with DEBUG=True.</small></p>\n</div>\n\n"
    "</body>\n</html>\n"
)


def _cookie(call: Call, name: str, value: str, *, max_age: int | None = None) -> str:
    """A Set-Cookie value in Django's attribute order; ``Secure`` only over https (see the clients' notes)."""
    parts = [f"{name}={value}"]
    if max_age is not None:
        expires = call.clock.now() + dt.timedelta(seconds=max_age)
        parts += [f"expires={email.utils.format_datetime(expires.astimezone(dt.timezone.utc), usegmt=True)}", "HttpOnly", f"Max-Age={max_age}"]
    parts += ["Path=/", "SameSite=Lax"]
    if call.request.scheme == "https":
        parts.append("Secure")
    return "; ".join(parts)


def _form_page(token: str, next_url: str, error: bool) -> str:
    message = "<p class=\"errornote\">Please enter a correct username and password. Note that both fields may be case-sensitive.</p>\n" if error else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Log in | AWX REST API</title></head>\n<body>\n"
        f"{message}<form action=\"/api/login/\" method=\"post\">\n"
        f"<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{html.escape(token)}\">\n"
        "<label for=\"id_username\">Username:</label> <input type=\"text\" name=\"username\" id=\"id_username\" required>\n"
        "<label for=\"id_password\">Password:</label> <input type=\"password\" name=\"password\" id=\"id_password\" required>\n"
        f"<input type=\"hidden\" name=\"next\" value=\"{html.escape(next_url)}\">\n"
        "<input type=\"submit\" value=\"Log In\">\n</form>\n</body>\n</html>\n"
    )


def _safe_next(raw: str | None) -> str:
    """Only a local path is followed after login (anything else goes to the API root)."""
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return DEFAULT_NEXT


def _csrf_failure(cookie_missing: bool) -> Reply:
    page = CSRF_PAGE_HEAD + (CSRF_NO_COOKIE if cookie_missing else "") + CSRF_PAGE_TAIL
    return Reply(403, page, content_type=HTML)


@handles("api_login_read")
def login_form(call: Call) -> Reply:
    """The login page; it sets the CSRF cookie the form post needs."""
    token = call.request.cookies.get(CSRF_COOKIE) or new_secret(32)
    page = _form_page(token, _safe_next(call.query.get("next")), error=False)
    return Reply(200, page, {"Set-Cookie": _cookie(call, CSRF_COOKIE, token)}, content_type=HTML)


@handles("api_login_create")
def login(call: Call) -> Reply:
    """Check CSRF, then the credentials; 302 to ``next`` with a new session, or the form again with 401."""
    cookie = call.request.cookies.get(CSRF_COOKIE, "")
    form = call.request.form
    sent = form.get("csrfmiddlewaretoken") or call.request.headers.get("X-CSRFToken", "")
    if not cookie:
        return _csrf_failure(cookie_missing=True)
    if not sent or not hmac.compare_digest(sent, cookie):
        return _csrf_failure(cookie_missing=False)
    next_url = _safe_next(form.get("next") or call.query.get("next"))
    store = call.store
    user = store.first("users", "username", form.get("username", ""))
    password = form.get("password", "")
    if user is None or not user.get("is_active", True) or not check_password(user.get("password_digest"), password):
        if user is None:
            check_password(None, password)
        return Reply(401, _form_page(cookie, next_url, error=True), content_type=HTML)
    session_id = new_secret(32)
    store.meta["sessions"] = {**store.meta.get("sessions", {}), session_id: user["id"]}
    store.update("users", user["id"], {"last_login": call.clock.now()})
    cookies = [
        _cookie(call, "userLoggedIn", "true"),
        _cookie(call, CSRF_COOKIE, new_secret(32)),
        _cookie(call, SESSION_COOKIE, session_id, max_age=SESSION_SECONDS),
    ]
    headers = {
        "Location": next_url,
        "Set-Cookie": "\n".join(cookies),
        "X-API-Session-Cookie-Name": SESSION_COOKIE,
        "Session-Timeout": str(SESSION_SECONDS),
    }
    return Reply(302, "", headers, content_type=HTML)
