"""Structured JSON logging. Log records never carry message text or personal values.

Only an allow-list of ``extra`` keys (identifiers, codes, timings) is written; anything
else passed as ``extra`` is dropped, so a careless call cannot leak a message.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ALLOWED_EXTRA = frozenset(
    {
        "conversation_id",
        "message_id",
        "stage",
        "verdict",
        "reason",
        "status",
        "method",
        "path",
        "latency_ms",
        "channel",
        "source",
        "error_type",
        "events",
        "findings",
        "escalated",
        "revision",
    }
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.msg if isinstance(record.msg, str) else type(record.msg).__name__,
        }
        for key in ALLOWED_EXTRA:
            if key in record.__dict__:
                data[key] = record.__dict__[key]
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type only: messages may quote input.
            data["exc_type"] = record.exc_info[0].__name__
        return json.dumps(data, default=str)


def configure_logging(level: str = "INFO", *, log_dir: Path | None = None) -> None:
    """Send JSON logs to stderr and, if ``log_dir`` is given, to a rotating file."""
    root = logging.getLogger("trustdesk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    formatter = JsonFormatter()
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(formatter)
    root.addHandler(stream)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(
            log_dir / "trustdesk.log", maxBytes=10_000_000, backupCount=5, encoding="utf-8"
        )
        fh.setFormatter(formatter)
        root.addHandler(fh)
    root.propagate = False
