"""How `newsdesk serve` logs: text for people, or one JSON object a line for log shippers."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Fields a log call may add with `extra=`; the request log adds them all.
EXTRA_FIELDS = ("request_id", "method", "route", "status", "ms")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, pid, message and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in EXTRA_FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def log_config(log_format: str) -> dict[str, Any]:
    """uvicorn's `log_config`, applied in every worker: newsdesk's and uvicorn's lines to stderr
    in one format; uvicorn's access log is off, the request log replaces it."""
    if log_format not in FORMATS:
        raise ValueError(f"log format ({log_format}) must be one of {', '.join(FORMATS)}")
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": TEXT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "chosen",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"chosen": formatter},
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "newsdesk": {"level": "INFO"},
            "uvicorn": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }
