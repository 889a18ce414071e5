"""`python -m bot editor ...`: review what the bot could not answer, and teach it.

list      the open questions, most asked first (filter by command, status, date)
show ID   one question: its spellings, counts, what the bot answered
resolve ID --entry ENTRY_ID   link it to the entry that answers it (checked against content)
ignore ID / reopen ID
export --csv | --json         everything, for a spreadsheet or a script
reload    check the content, then make running bots load it again (SIGHUP)
purge     delete what users typed longer ago than RUNLOCAL_RETENTION_DAYS
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.content.coverage import coverage
from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.reload import signal_running
from bot.settings import Settings, SettingsError
from bot.store import MissStore, Question, UnknownQuestionError
from bot.store.records import STATUSES
from bot.store.review import entry_exists, resolution_problem

LIST_COLUMNS = ("id", "count", "askers", "command", "status", "last_seen", "query")


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "editor",
        help="review unanswered questions and resolve them",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", required=True)

    listing = actions.add_parser("list", help="questions, most asked first")
    listing.add_argument("--command", help="only this command, e.g. define")
    listing.add_argument(
        "--status", choices=[*STATUSES, "all"], default="open", help="default: open"
    )
    listing.add_argument("--since", type=_date, help="last asked on or after, e.g. 2026-11-01")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="one question in full")
    show.add_argument("id", type=int)
    show.set_defaults(func=run_show)

    resolve = actions.add_parser("resolve", help="link a question to the entry that answers it")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--entry", required=True, help="the entry id, e.g. kv-cache")
    resolve.add_argument("--content", type=Path, help="content folder (default: bundled)")
    resolve.add_argument(
        "--force", action="store_true", help="link even if the bot would not answer with it"
    )
    resolve.set_defaults(func=run_resolve)

    for name, helptext in (("ignore", "not worth an entry"), ("reopen", "back to open")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("id", type=int)
        action.set_defaults(func=run_status_change, change=name)

    export = actions.add_parser("export", help="all questions (or feedback) as CSV or JSON")
    form = export.add_mutually_exclusive_group(required=True)
    form.add_argument("--csv", dest="form", action="store_const", const="csv")
    form.add_argument("--json", dest="form", action="store_const", const="json")
    export.add_argument("--feedback", action="store_true", help="export feedback instead")
    export.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    export.set_defaults(func=run_export)

    reload = actions.add_parser("reload", help="check content, then reload running bots")
    reload.add_argument("--content", type=Path, help="content folder (default: bundled)")
    reload.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per bot")
    reload.set_defaults(func=run_reload)

    purge = actions.add_parser("purge", help="delete old rows (RUNLOCAL_RETENTION_DAYS)")
    purge.add_argument("--days", type=int, help="override the retention setting")
    purge.set_defaults(func=run_purge)

    coverage_parser = actions.add_parser(
        "coverage", help="entries per kind against the targets, and entries with missing parts"
    )
    coverage_parser.add_argument("--content", type=Path, help="content folder (default: bundled)")
    coverage_parser.set_defaults(func=run_coverage)

    parser.set_defaults(quiet_logs=True)


def _date(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use a date like 2026-11-01") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(content_dir=getattr(args, "content", None))


def _fail(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _store(settings: Settings) -> MissStore:
    return MissStore(settings.database_path)


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def format_table(questions: list[Question]) -> str:
    """A plain table for a terminal: one question a line, the query cut to fit."""
    rows = [
        (
            str(q.id),
            str(q.count),
            str(q.askers),
            f"/{q.command}",
            q.status,
            q.last_seen,
            _one_line(q.query, 50),
        )
        for q in questions
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(LIST_COLUMNS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(LIST_COLUMNS, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def run_list(args: argparse.Namespace) -> int:
    """Print the questions as a table; exit 0 even when there are none."""
    try:
        settings = _settings(args)
    except SettingsError as error:
        return _fail(str(error))
    status = None if args.status == "all" else args.status
    questions = _store(settings).questions(
        command=args.command, status=status, since=args.since, limit=args.limit
    )
    if not questions:
        print(f"No {'' if status is None else status + ' '}questions.")
        return 0
    print(format_table(questions), end="")
    return 0


def format_question(q: Question) -> str:
    """Every field an editor needs to decide, one per line."""
    answer = f"{q.last_entry_id} (confidence {q.last_confidence:.2f})" if q.last_entry_id else "-"
    lines = [
        f"#{q.id}  /{q.command} {q.option}: {q.query}",
        f"normalised:  {q.normalised}",
        f"status:      {q.status}"
        + (f" -> {q.resolved_entry_id} ({q.resolved_at})" if q.resolved_entry_id else ""),
        f"asked:       {q.count} time(s) by {q.askers} person(s)",
        f"first/last:  {q.first_seen} / {q.last_seen}",
        f"why logged:  {q.reason}",
        f"last answer: {answer}",
        "examples:",
        *(f"  - {example}" for example in q.examples),
    ]
    return "\n".join(lines) + "\n"


def run_show(args: argparse.Namespace) -> int:
    try:
        question = _store(_settings(args)).question(args.id)
    except (SettingsError, UnknownQuestionError) as error:
        return _fail(str(error))
    print(format_question(question), end="")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    """Link the question; exit 1 if the entry does not exist or would not answer it."""
    try:
        settings = _settings(args)
        store = _store(settings)
        question = store.question(args.id)
        snapshot = load_content(settings.content_dir)
    except (SettingsError, UnknownQuestionError) as error:
        return _fail(str(error))
    except ContentError as error:
        return _fail(f"{error}\nFix the content first (`python -m bot validate`).")
    problem = asyncio.run(resolution_problem(snapshot, question, args.entry))
    if problem and not (args.force and entry_exists(snapshot, args.entry)):
        return _fail(problem, code=1)
    if problem:
        print(f"warning: {problem}", file=sys.stderr)
    store.resolve(question.id, args.entry)
    print(f"Resolved #{question.id} ({question.query!r}) -> {args.entry}.")
    print("The bot answers it from the next ask; no reload needed.")
    return 0


def run_status_change(args: argparse.Namespace) -> int:
    try:
        store = _store(_settings(args))
        question = store.ignore(args.id) if args.change == "ignore" else store.reopen(args.id)
    except (SettingsError, UnknownQuestionError) as error:
        return _fail(str(error))
    print(f"#{question.id} ({question.query!r}) is now {question.status}.")
    return 0


def write_export(rows: list[dict[str, Any]], form: str, out: TextIO) -> None:
    """Write rows as CSV (lists joined with ' | ') or as a JSON array."""
    if form == "json":
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    if not rows:
        return
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in row.items()})


def run_export(args: argparse.Namespace) -> int:
    try:
        store = _store(_settings(args))
    except SettingsError as error:
        return _fail(str(error))
    records = store.feedback() if args.feedback else store.questions()
    rows = [record.model_dump(mode="json") for record in records]
    buffer = io.StringIO(newline="")
    write_export(rows, args.form, buffer)
    if args.output:
        args.output.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        print(f"Wrote {len(rows)} rows to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def run_reload(args: argparse.Namespace) -> int:
    """Exit 0 when the content is valid and every running bot reloaded it, 1 otherwise."""
    try:
        settings = _settings(args)
        snapshot = load_content(settings.content_dir)
    except SettingsError as error:
        return _fail(str(error))
    except ContentError as error:
        print(error, file=sys.stderr)
        print("Not reloading: running bots keep their current content.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{count} {kind}" for kind, count in snapshot.counts().items())
    print(f"Content is valid: {counts}.")
    outcomes = signal_running(settings.data_dir, timeout_s=args.timeout)
    if not outcomes:
        print("No running bot found; the content is read at its next start.")
        return 0
    for outcome in outcomes:
        mark = "ok" if outcome.ok else "FAILED"
        print(f"{outcome.name} (pid {outcome.pid}): {mark}: {outcome.message}")
    return 0 if all(o.ok for o in outcomes) else 1


def run_coverage(args: argparse.Namespace) -> int:
    """Print the coverage report; exit 1 when the content does not load."""
    try:
        snapshot = load_content(_settings(args).content_dir)
    except SettingsError as error:
        return _fail(str(error))
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(coverage(snapshot).lines()))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except SettingsError as error:
        return _fail(str(error))
    days = args.days or settings.retention_days
    report = _store(settings).purge(days)
    print(
        f"Purged rows last seen before {report.cutoff} UTC: {report.questions} questions,"
        f" {report.askers} askers, {report.feedback} feedback;"
        f" examples cleared on {report.examples_cleared} resolved questions."
    )
    return 0
