"""A document's problems: each issue has a path in the document, a message and, for syntax
errors, a line; DocumentError carries them all. describe() and join() word the messages."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DocumentIssue:
    path: str  # e.g. "sections[1].commitments[3].owners[0]"; "" for the whole document
    message: str
    line: int | None = None  # 1-based, for syntax errors

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict:
        data = {"path": self.path, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data


class DocumentError(Exception):
    """A document that cannot be used; nothing was changed."""

    def __init__(self, errors: list[DocumentIssue], name: str = ""):
        self.errors = list(errors)
        self.name = name
        super().__init__(str(self))

    @classmethod
    def single(cls, name: str, path: str, message: str) -> "DocumentError":
        return cls([DocumentIssue(path, message)], name)

    def __str__(self) -> str:
        prefix = f"{self.name}: " if self.name else ""
        return "\n".join(prefix + str(issue) for issue in self.errors)


def fail(name: str, message: str, *, path: str = "", line: int | None = None):
    raise DocumentError([DocumentIssue(path, message, line)], name)


def describe(value) -> str:
    """What kind of value this is, for error messages."""
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("a boolean (%(value)s)") % {"value": "true" if value else "false"}
    if isinstance(value, int):
        return _("an integer (%(value)s)") % {"value": value}
    if isinstance(value, float):
        return _("a number (%(value)s)") % {"value": value}
    if isinstance(value, str):
        return _("a string")
    if isinstance(value, datetime.datetime):
        return _("a date and time")
    if isinstance(value, datetime.date):
        return _("a date")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a map")
    return type(value).__name__


def join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)
