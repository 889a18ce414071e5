"""HTML for the editors' review page: pure functions from store rows to strings.

Everything that came from a user (queries, examples) or an editor goes through `esc`, so a query
typed as `<script>alert(1)</script>` is shown as those characters, never run. The page carries no
JavaScript at all, and its Content-Security-Policy forbids any.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from bot.store.records import STATUSES, Question

STYLESHEET = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
       color: #1b1b1b; background: #fafafa; }
header { display: flex; justify-content: space-between; align-items: center; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .5rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.examples { margin: 0; padding-left: 1.1rem; }
.query { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.status-open { color: #9a5b00; } .status-resolved { color: #146c2e; }
.status-ignored { color: #666; }
.flash { background: #e7f5ea; border: 1px solid #9fd3ab; padding: .5rem; }
.error { background: #fdecea; border: 1px solid #f1a9a0; padding: .5rem; }
form.inline { display: inline; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
"""

FLASH_MESSAGES = {
    "resolved": "Resolved. The bot answers this question from the next ask.",
    "ignored": "Ignored. It no longer shows in the open list.",
    "reopened": "Reopened.",
}
"""The only messages a redirect can ask for; the page never echoes a query parameter."""


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


def page(title: str, body: str, signed_in: bool = True, csrf: str = "") -> str:
    """A whole document around `body`."""
    sign_out = (
        f'<form class="inline" method="post" action="/logout">{csrf_field(csrf)}'
        '<button type="submit">Sign out</button></form>'
        if signed_in
        else ""
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · RunLocal editors</title>"
        '<link rel="stylesheet" href="/style.css"></head><body>'
        f'<header><h1><a href="/">RunLocal editors</a></h1>{sign_out}</header>'
        f"<main>{body}</main></body></html>\n"
    )


def csrf_field(token: str) -> str:
    """The hidden field every state-changing form carries."""
    return f'<input type="hidden" name="csrf" value="{esc(token)}">' if token else ""


def login_page(error: str | None = None) -> str:
    """The token form. The token is the one in RUNLOCAL_EDITOR_TOKEN."""
    problem = f'<p class="error">{esc(error)}</p>' if error else ""
    body = (
        f"<h2>Sign in</h2>{problem}"
        '<form method="post" action="/login">'
        '<label>Editor token <input type="password" name="token" autocomplete="current-password"'
        " required autofocus></label> "
        '<button type="submit" id="sign-in">Sign in</button></form>'
    )
    return page("Sign in", body, signed_in=False)


def _examples(examples: Iterable[str]) -> str:
    items = "".join(f'<li class="query">{esc(example)}</li>' for example in examples)
    return f'<ul class="examples">{items}</ul>'


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _answer(q: Question) -> str:
    if not q.last_entry_id:
        return "nothing"
    return f"{esc(q.last_entry_id)} ({q.last_confidence:.2f})"


def _filters(status: str | None, command: str | None, commands: Iterable[str]) -> str:
    def option(value: str, chosen: str | None, label: str | None = None) -> str:
        selected = " selected" if value == (chosen or "") else ""
        return f'<option value="{esc(value)}"{selected}>{esc(label or value)}</option>'

    statuses = option("all", status or "all", "all") + "".join(option(s, status) for s in STATUSES)
    names = option("", command, "every command") + "".join(option(c, command) for c in commands)
    return (
        '<form method="get" action="/">'
        f'<label>Status <select name="status">{statuses}</select></label> '
        f'<label>Command <select name="command">{names}</select></label> '
        '<button type="submit">Filter</button></form>'
    )


def list_page(
    questions: list[Question],
    csrf: str,
    status: str | None,
    command: str | None,
    commands: Iterable[str],
) -> str:
    """The review list: most asked first, with counts, examples and what the bot answered."""
    rows = "".join(
        f'<tr id="q-{q.id}"><td class="num">{q.count}</td><td class="num">{q.askers}</td>'
        f"<td>/{esc(q.command)} {esc(q.option)}</td>"
        f'<td><a class="query" href="/q/{q.id}">{esc(q.query)}</a>{_examples(q.examples[1:])}</td>'
        f"<td>{esc(q.reason)}</td><td>{_answer(q)}</td><td>{esc(q.last_seen)}</td>"
        f'<td class="status-{esc(q.status)}">{esc(q.status)}'
        f"{' → ' + esc(q.resolved_entry_id) if q.resolved_entry_id else ''}</td></tr>"
        for q in questions
    )
    table = (
        "<table><thead><tr><th>Asked</th><th>People</th><th>Command</th><th>Question</th>"
        "<th>Why</th><th>Bot answered</th><th>Last asked (UTC)</th><th>Status</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        if questions
        else "<p>Nothing here. Good.</p>"
    )
    body = f"<h2>Questions the bot missed</h2>{_filters(status, command, commands)}{table}"
    return page("Questions", body, csrf=csrf)


def detail_page(
    q: Question,
    csrf: str,
    entry_ids: Iterable[str],
    flash: str | None = None,
    error: str | None = None,
) -> str:
    """One question in full, with the resolve and ignore forms."""
    notice = ""
    if flash in FLASH_MESSAGES:
        notice = f'<p class="flash" role="status">{esc(FLASH_MESSAGES[flash])}</p>'
    if error:
        notice += f'<p class="error" role="alert">{esc(error)}</p>'
    resolved = (
        f" → {esc(q.resolved_entry_id)} ({esc(q.resolved_at)})" if q.resolved_entry_id else ""
    )
    facts = (
        "<dl>"
        f"<dt>Command</dt><dd>/{esc(q.command)} {esc(q.option)}</dd>"
        f'<dt>Normalised</dt><dd class="query">{esc(q.normalised)}</dd>'
        f'<dt>Status</dt><dd id="status" class="status-{esc(q.status)}">'
        f"{esc(q.status)}{resolved}</dd>"
        f"<dt>Asked</dt><dd>{_times(q.count)} by {_people(q.askers)}</dd>"
        f"<dt>First / last</dt><dd>{esc(q.first_seen)} / {esc(q.last_seen)} UTC</dd>"
        f"<dt>Why logged</dt><dd>{esc(q.reason)}</dd>"
        f"<dt>Bot answered</dt><dd>{_answer(q)}</dd>"
        f"<dt>Examples</dt><dd>{_examples(q.examples)}</dd>"
        "</dl>"
    )
    options = "".join(f'<option value="{esc(entry_id)}">' for entry_id in entry_ids)
    forms = (
        f'<h3>Resolve</h3><form method="post" action="/q/{q.id}/resolve">{csrf_field(csrf)}'
        '<label>Entry id <input name="entry" id="entry" list="entry-ids" required'
        ' pattern="[a-z0-9][a-z0-9.+_\\-]*[a-z0-9]" autocomplete="off"></label>'
        f'<datalist id="entry-ids">{options}</datalist> '
        '<button type="submit" id="resolve">Resolve</button></form>'
        f'<h3>Or</h3><form class="inline" method="post" action="/q/{q.id}/ignore">'
        f'{csrf_field(csrf)}<button type="submit" id="ignore">Ignore</button></form> '
        f'<form class="inline" method="post" action="/q/{q.id}/reopen">'
        f'{csrf_field(csrf)}<button type="submit" id="reopen">Reopen</button></form>'
    )
    body = f'<h2 class="query">{esc(q.query)}</h2>{notice}{facts}{forms}'
    return page(f"#{q.id}", body, csrf=csrf)


def error_page(status: int, message: str, signed_in: bool = False) -> str:
    """A short page for 403, 404 and the like."""
    body = f'<h2>{status}</h2><p class="error">{esc(message)}</p><p><a href="/">Back</a></p>'
    return page(str(status), body, signed_in=signed_in)


def list_url(status: str | None, command: str | None) -> str:
    """The list page with these filters, for redirects."""
    query = {k: v for k, v in (("status", status), ("command", command)) if v}
    return "/" + ("?" + urlencode(query) if query else "")
