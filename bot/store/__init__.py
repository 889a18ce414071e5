"""The editors' log: what the bot could not answer, kept in SQLite (sqlite-utils, WAL mode).

`MissStore` is the synchronous store the editor command line and the web page use;
`SqliteMissLog` puts it behind the dispatcher's async `MissLog` protocol, off the event loop.
"""

from bot.store.misses import MissStore, UnknownQuestionError
from bot.store.misslog import SqliteMissLog
from bot.store.records import Feedback, PurgeReport, Question, Status

__all__ = [
    "Feedback",
    "MissStore",
    "PurgeReport",
    "Question",
    "SqliteMissLog",
    "Status",
    "UnknownQuestionError",
]
