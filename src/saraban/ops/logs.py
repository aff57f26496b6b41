"""Structured logs: one JSON object per line (``SARABAN_LOG_FORMAT=json``), for a log collector.

Fields: ``time`` (ISO 8601, Asia/Bangkok), ``level``, ``logger``, ``message``, ``pid``, ``exc`` when an
exception is logged, and the fields of an access-log line (``method``, ``path``, ``status``, ``ms``,
``bytes``, ``remote``).  The access line carries the path without its query string: a search for a secret
letter's words must not land in a log file.  Saraban's own code logs identifiers, never a letter's subject
or text (a test registers and routes a ลับ letter with logging at DEBUG and finds none of its words).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "M": "ms", "B": "bytes", "h": "remote"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, BANGKOK).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            out["message"] = "request"
            for atom, name in ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    out[name] = int(value) if name in ("status", "ms", "bytes") and str(value).isdigit() else value
        else:
            out["message"] = record.getMessage()
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def gunicorn_logconfig(level: str = "INFO") -> dict[str, Any]:
    """gunicorn's own error and access logs through the JSON formatter (``logconfig_dict``)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "saraban.ops.logs.JsonFormatter"}},
        "handlers": {"console": handler},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
