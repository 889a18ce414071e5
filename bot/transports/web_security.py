"""Guards for the editors' web page: token sign-in, sessions, CSRF, Origin and Host checks.

Order of checks on a request (the `guard` middleware):
1. The Host header must name this server (a loopback name when bound to loopback), which
   defeats DNS rebinding.
2. Open paths (`/healthz`, `/login`, `/style.css`) pass.
3. Anything else needs a session cookie from a sign-in with the editor token; without one a GET
   is sent to /login and anything else gets 403.
4. A POST must come from this origin (Origin header, or Referer when a browser sends no Origin)
   and carry the session's CSRF token in its form; `check_form` does this in each handler.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web

from bot.render.html import error_page

COOKIE = "runlocal_editor"
SESSION_SECONDS = 12 * 3600
MAX_SESSIONS = 200
OPEN_PATHS = frozenset({"/healthz", "/login", "/style.css"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cache-Control": "no-store",
}


@dataclass
class Session:
    """One signed-in browser: its CSRF token and when it expires."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    expires: float = field(default_factory=lambda: time.monotonic() + SESSION_SECONDS)


class Sessions:
    """Signed-in sessions, in memory: a restart signs everyone out, which is fine here."""

    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}

    def create(self) -> tuple[str, Session]:
        """A new session id and its session; the oldest are dropped past MAX_SESSIONS."""
        self._expire()
        while len(self._by_id) >= MAX_SESSIONS:
            self._by_id.pop(next(iter(self._by_id)))
        session_id = secrets.token_urlsafe(32)
        self._by_id[session_id] = session = Session()
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id, or None."""
        session = self._by_id.get(session_id or "")
        if session is None or session.expires < time.monotonic():
            return None
        return session

    def drop(self, session_id: str | None) -> None:
        self._by_id.pop(session_id or "", None)

    def _expire(self) -> None:
        now = time.monotonic()
        for session_id in [s for s, v in self._by_id.items() if v.expires < now]:
            del self._by_id[session_id]


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so timing tells an attacker nothing about the token."""
    return hmac.compare_digest(given.encode(), expected.encode())


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1, localhost and the like."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    return (urlsplit(f"//{host_header}").hostname or "").lower()


def same_origin(request: web.Request) -> bool:
    """True when the request's Origin (or, lacking one, its Referer) names this server.

    Host and port are compared, not the scheme: behind a proxy that ends HTTPS the page sees
    http while the browser says https. A missing or "null" origin is refused.
    """
    claimed = request.headers.get("Origin")
    if not claimed or claimed == "null":
        claimed = request.headers.get("Referer")
    if not claimed:
        return False
    parts = urlsplit(claimed)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()


def forbidden(message: str) -> web.Response:
    return web.Response(status=403, text=error_page(403, message), content_type="text/html")


async def check_form(request: web.Request) -> tuple[dict[str, str], web.Response | None]:
    """The posted form, and a 403 response if it fails the Origin or CSRF check."""
    form = {k: str(v) for k, v in (await request.post()).items()}
    if not same_origin(request):
        return form, forbidden("This form must be sent from this page (origin check failed).")
    session = current_session(request)
    if session is None or not token_matches(form.get("csrf", ""), session.csrf):
        return form, forbidden("The form has expired or was not sent from this page. Reload it.")
    return form, None


SESSIONS_KEY = web.AppKey("sessions", Sessions)


def current_session(request: web.Request) -> Session | None:
    """The signed-in session this request belongs to, if any."""
    return request.app[SESSIONS_KEY].get(request.cookies.get(COOKIE))


def see_other(location: str) -> web.Response:
    """A 303 redirect: after a form, the browser GETs `location`."""
    return web.Response(status=303, headers={"Location": location})


def make_guard(bound_host: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """The middleware that enforces checks 1 to 3 above."""
    loopback_only = is_loopback(bound_host)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if loopback_only and not is_loopback(_host_name(request.host)):
            return web.Response(status=421, text="This page answers only on localhost.")
        if request.path in OPEN_PATHS or current_session(request) is not None:
            return await handler(request)
        if request.method in ("GET", "HEAD"):
            return see_other("/login")
        return forbidden("Sign in first.")

    return guard


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Sent with every response, errors included (an `on_response_prepare` hook)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
