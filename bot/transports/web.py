"""`python -m bot web`: the editors' review page (aiohttp), on 127.0.0.1 by default.

Pages: the list of missed questions with counts and examples, one question's detail, and forms
to resolve (link to an entry) or ignore it. Signing in needs RUNLOCAL_EDITOR_TOKEN; the guards
are in `web_security`. `/healthz` answers monitors without signing in. SIGHUP reloads content.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from aiohttp import web

from bot.content.holder import ContentHolder
from bot.content.problems import ContentError
from bot.handlers.commands import commands
from bot.reload import ReloadHandle, install_reload_signal
from bot.render import html
from bot.settings import Settings, SettingsError
from bot.store import MissStore, Question, UnknownQuestionError
from bot.store.records import STATUSES
from bot.store.review import resolution_problem
from bot.transports.web_security import (
    COOKIE,
    SESSION_SECONDS,
    SESSIONS_KEY,
    Session,
    Sessions,
    add_security_headers,
    check_form,
    current_session,
    forbidden,
    is_loopback,
    make_guard,
    same_origin,
    see_other,
    token_matches,
)

log = logging.getLogger(__name__)

MIN_TOKEN_LENGTH = 16
STORE_KEY = web.AppKey("store", MissStore)
HOLDER_KEY = web.AppKey("holder", ContentHolder)
TOKEN_KEY = web.AppKey("token", str)
RELOAD_KEY = web.AppKey("reload", ReloadHandle)


class WebConfigError(ValueError):
    """The page cannot start as configured (no token, a token too short)."""


def editor_token(settings: Settings) -> str:
    """The configured token; raise WebConfigError with what to do if it is missing or weak."""
    token = settings.editor_token.get_secret_value() if settings.editor_token else ""
    if not token:
        raise WebConfigError(
            "RUNLOCAL_EDITOR_TOKEN is not set. The review page shows what users typed, so it"
            " needs a token: set RUNLOCAL_EDITOR_TOKEN to a long random string, e.g. the output"
            ' of `python -c "import secrets; print(secrets.token_urlsafe(32))"`.'
        )
    if len(token) < MIN_TOKEN_LENGTH:
        raise WebConfigError(
            f"RUNLOCAL_EDITOR_TOKEN is {len(token)} characters; use at least {MIN_TOKEN_LENGTH}."
        )
    return token


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def _entry_ids(holder: ContentHolder) -> list[str]:
    snapshot = holder.snapshot
    kinds = (snapshot.glossary, snapshot.errors, snapshot.quick)
    catalogs = (snapshot.models, snapshot.hardware, snapshot.tools)
    return sorted({entry_id for kind in (*kinds, *catalogs) for entry_id in kind})


def _csrf(request: web.Request) -> str:
    session: Session | None = current_session(request)
    return session.csrf if session else ""


def _question_id(request: web.Request) -> int:
    try:
        return int(request.match_info["id"])
    except ValueError:
        raise web.HTTPNotFound() from None


async def _question(request: web.Request) -> Question:
    try:
        return await asyncio.to_thread(request.app[STORE_KEY].question, _question_id(request))
    except UnknownQuestionError:
        raise web.HTTPNotFound(
            text=html.error_page(404, "No such question."), content_type="text/html"
        ) from None


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers its own check, 503 otherwise. No sign-in needed."""
    try:
        check = await asyncio.to_thread(request.app[STORE_KEY].check)
    except Exception:
        log.exception("health check: the database cannot be read")
        check = "unreadable"
    if check != "ok":
        return web.json_response({"status": "error", "database": check}, status=503)
    return web.json_response({"status": "ok"})


async def stylesheet(request: web.Request) -> web.Response:
    return web.Response(text=html.STYLESHEET, content_type="text/css")


async def login_form(request: web.Request) -> web.Response:
    return _html(html.login_page())


async def login(request: web.Request) -> web.StreamResponse:
    """Check the token; on success start a session and go to the list."""
    if not same_origin(request):
        return forbidden("Sign in from this page (origin check failed).")
    form = await request.post()
    if not token_matches(str(form.get("token", "")), request.app[TOKEN_KEY]):
        await asyncio.sleep(0.5)  # slows guessing; the token is long anyway
        return _html(html.login_page("That is not the editor token."), status=403)
    sessions = request.app[SESSIONS_KEY]
    sessions.drop(request.cookies.get(COOKIE))
    session_id, _ = sessions.create()
    response = see_other("/")
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="Strict",
        secure=request.secure,
        path="/",
    )
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    _, refused = await check_form(request)
    if refused:
        return refused
    request.app[SESSIONS_KEY].drop(request.cookies.get(COOKIE))
    response = see_other("/login")
    response.del_cookie(COOKIE, path="/")
    return response


async def question_list(request: web.Request) -> web.Response:
    """The list, most asked first; `?status=` (default open) and `?command=` filter it."""
    status = request.query.get("status", "open")
    status = status if status in STATUSES else None
    known = sorted({command.kind for command in commands().values()})
    command = request.query.get("command") or None
    command = command if command in known else None
    questions = await asyncio.to_thread(
        request.app[STORE_KEY].questions, command, status, None, 500
    )
    csrf = _csrf(request)
    return _html(html.list_page(questions, csrf, status, command, known))


async def question_detail(request: web.Request) -> web.Response:
    question = await _question(request)
    holder = request.app[HOLDER_KEY]
    flash = request.query.get("done")
    return _html(html.detail_page(question, _csrf(request), _entry_ids(holder), flash))


async def resolve(request: web.Request) -> web.StreamResponse:
    """Link the question to an entry, after checking the bot would then answer with it."""
    form, refused = await check_form(request)
    if refused:
        return refused
    question = await _question(request)
    entry_id = form.get("entry", "").strip()
    holder = request.app[HOLDER_KEY]
    problem = await resolution_problem(holder.snapshot, question, entry_id)
    if problem:
        page = html.detail_page(question, _csrf(request), _entry_ids(holder), error=problem)
        return _html(page, status=400)
    await asyncio.to_thread(request.app[STORE_KEY].resolve, question.id, entry_id)
    return see_other(f"/q/{question.id}?done=resolved")


async def ignore(request: web.Request) -> web.StreamResponse:
    return await _change_status(request, "ignored")


async def reopen(request: web.Request) -> web.StreamResponse:
    return await _change_status(request, "reopened")


async def _change_status(request: web.Request, done: str) -> web.StreamResponse:
    _, refused = await check_form(request)
    if refused:
        return refused
    question = await _question(request)
    store = request.app[STORE_KEY]
    change = store.ignore if done == "ignored" else store.reopen
    await asyncio.to_thread(change, question.id)
    return see_other(f"/q/{question.id}?done={done}")


def create_app(
    token: str, store: MissStore, holder: ContentHolder, bound_host: str = "127.0.0.1"
) -> web.Application:
    """The review application; `token` must already have passed `editor_token`."""
    sessions = Sessions()
    app = web.Application(middlewares=[make_guard(bound_host)], client_max_size=64_000)
    app[STORE_KEY], app[HOLDER_KEY], app[SESSIONS_KEY], app[TOKEN_KEY] = (
        store,
        holder,
        sessions,
        token,
    )
    app.on_response_prepare.append(add_security_headers)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/style.css", stylesheet)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", question_list)
    app.router.add_get("/q/{id}", question_detail)
    app.router.add_post("/q/{id}/resolve", resolve)
    app.router.add_post("/q/{id}/ignore", ignore)
    app.router.add_post("/q/{id}/reopen", reopen)
    return app


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "web", help="serve the editors' review page", description=__doc__
    )
    parser.add_argument("--host", help="address to bind (default 127.0.0.1, RUNLOCAL_WEB_HOST)")
    parser.add_argument("--port", type=int, help="port (default 8080, RUNLOCAL_WEB_PORT)")
    parser.add_argument("--content", type=Path, help="content folder (default: bundled)")
    parser.set_defaults(func=run_web)


def run_web(args: argparse.Namespace) -> int:
    """Serve until interrupted. Exit 2 without a usable token or content."""
    try:
        settings = Settings.from_env(
            content_dir=args.content, web_host=args.host, web_port=args.port
        )
        token = editor_token(settings)
        holder = ContentHolder(settings.content_dir)
    except (SettingsError, WebConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ContentError as error:
        print(f"error: {error}\nRun `python -m bot validate` for details.", file=sys.stderr)
        return 2
    store = MissStore(settings.database_path)
    app = create_app(token, store, holder, settings.web_host)

    async def start_reload(app: web.Application) -> None:
        app[RELOAD_KEY] = install_reload_signal(holder, settings.data_dir, "web")

    async def stop_reload(app: web.Application) -> None:
        app[RELOAD_KEY].close()

    app.on_startup.append(start_reload)
    app.on_cleanup.append(stop_reload)
    if not is_loopback(settings.web_host):
        log.warning("binding to %s: put it behind HTTPS before exposing it", settings.web_host)
    log.info(
        "review page on http://%s:%s/ (sign in with the editor token)",
        settings.web_host,
        settings.web_port,
    )
    web.run_app(app, host=settings.web_host, port=settings.web_port, print=None)
    store.close()
    return 0
