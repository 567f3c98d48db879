"""
Structured log lines: one JSON object per line, for a log collector to index.

Every line has time, level, logger and message; fields passed with `extra=` (job_id,
kind, status, duration_ms, status_code, path, ...) become keys of their own. Django's
`request` attribute (on django.request errors) is reduced to method and path, never the
query string, body, cookies or user.
"""
import datetime as dt
import json
import logging

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as a single-line JSON object."""

    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key == "request" or key.startswith("_"):
                continue
            entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) \
                else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
