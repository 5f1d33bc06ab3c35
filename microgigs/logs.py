"""Log lines as JSON (MICROGIGS_LOG_FORMAT=json), each carrying what it happened in.

`what` is set for the work a line is logged from: an HTTP request's id (http/observe.py, also
sent back as X-Request-Id) or a Reflex event's id, its handler and a hash of the tab's token
(state/event_observer.py, never the token itself: it names a tab's state). A context variable
carries it into the worker threads the work hops to (asyncio.to_thread and Starlette's thread
pool copy the context).

The default stays Python's plain text: nothing is changed unless json is asked for.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import IO

from microgigs.settings import get_settings

# The loggers given the JSON format: the root (ours and every library's that propagate) and
# granian's own two, which do not propagate (its messages and the access log).
LOGGERS = ("", "_granian", "granian.access")

what: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("microgigs_log_context", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, exception, and the context."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        line.update(what.get() or {})
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(stream: IO[str] | None = None) -> logging.Handler | None:
    """With MICROGIGS_LOG_FORMAT=json, write every log line as JSON (to stderr, or `stream`);
    returns the handler it added to the root logger. Called once when the app starts (a
    lifespan task, after the server set up its own loggers); a second call changes nothing."""
    if get_settings().log_format.strip().lower() != "json":
        return None
    formatter = JsonFormatter()
    root = logging.getLogger()
    for name in LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    if any(getattr(handler, "microgigs_json", False) for handler in root.handlers):
        return None
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.microgigs_json = True  # marks ours: configure is not to add a second one
    root.addHandler(handler)  # levels stay as they were: only the format changes
    return handler
