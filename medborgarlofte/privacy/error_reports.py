"""Error reports never carry police-only text.

With DEBUG off, a 500 is logged by `django.request` (the log, and the mail to ADMINS
through AdminEmailHandler). Django's report holds the exception message, the request's
GET and POST and, in its HTML form (and on DEBUG's technical page), the local variables
of every frame: a crash while the police read an intelligence summary would copy the
text into a mail to the operators, who are not police.

So every police-only text loaded in a request is *withheld* (lagesbild registers each
intelligence summary and frozen police section when it is loaded; the form that writes
one registers the posted text), and the reporter (settings.DEFAULT_EXCEPTION_REPORTER)
and a filter on the `django.request` logger mask each word of six or more characters
of those texts, in every form the report may show it (as is, JSON-escaped, as UTF-8
bytes). Masking too much in an error report is harmless; the text itself never leaves.
The list is per request (reset when a request starts).
"""

import contextvars
import json
import logging
import re

from django.core.signals import request_started
from django.views.debug import ExceptionReporter

MASK = "********"
_withheld: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "police_only_withheld", default=frozenset()
)
_WORD = re.compile(r"\w[\w-]{4,}\w")


def _forms(word: str) -> set[str]:
    """The word as it may appear in a report: as is, JSON-escaped, as bytes in a repr."""
    return {word, json.dumps(word)[1:-1], str(word.encode("utf-8"))[2:-1]}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def withhold(value) -> None:
    """Keep the words of this text (or of every string in this list/dict) out of error
    reports for the rest of the request."""
    words = {form for text in _strings(value) for w in _WORD.findall(text) for form in _forms(w)}
    if words:
        _withheld.set(_withheld.get() | words)


def reset(**kwargs) -> None:
    _withheld.set(frozenset())


request_started.connect(reset, dispatch_uid="medborgarlofte.privacy.error_reports.reset")


def redact(text: str) -> str:
    words = _withheld.get()
    if not words or not isinstance(text, str):
        return text
    for word in sorted(words, key=len, reverse=True):
        if word in text:
            text = text.replace(word, MASK)
    return text


def _redact_items(items) -> list:
    return [(key, redact(str(value))) for key, value in items]


class PoliceOnlyExceptionReporter(ExceptionReporter):
    """Django's reporter (mail to ADMINS, DEBUG's technical page) with withheld words
    masked in the exception, the frames' variables, GET and POST."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not _withheld.get():
            return data
        for frame in data.get("frames", []):
            frame["vars"] = _redact_items(frame.get("vars", []))
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = redact(str(frame["exc_cause"]))
        for key in ("exception_value", "exception_notes", "unicode_hint"):
            if key in data:
                data[key] = redact(data[key])
        if data.get("template_info"):
            data["template_info"] = {
                **data["template_info"],
                "message": redact(str(data["template_info"].get("message", ""))),
            }
        for key in ("filtered_POST_items", "request_GET_items"):
            if key in data:
                data[key] = _redact_items(data[key])
        return data


class RedactLogRecord(logging.Filter):
    """On the `django.request` logger: the message and the formatted traceback of a
    record are redacted before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _withheld.get():
            return True
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
