"""Reading a file for an importer: the size and type gate (privacy.uploads), UTF-8 text and
JSON, each refusal as ImportProblems with file, line and column."""

import hashlib
import json

from django.utils.translation import gettext as _

from medborgarlofte.privacy import uploads

from .problems import ImportProblems


def read_file(file, limits: uploads.Limits | None = None, *, error=ImportProblems):
    """(bytes, name) of a file given to a command ("-" is standard input); a file over the
    limit is refused by its size before it is read."""
    try:
        return uploads.read_path(file, limits)
    except uploads.UploadRefused as exc:
        raise error.refused(exc) from None
    except OSError as exc:
        raise error.single(
            str(file),
            None,
            None,
            _("cannot read the file (%(error)s)") % {"error": exc.strerror or exc},
        ) from None


def check_file(data: bytes, name: str, kinds, limits=None, *, error=ImportProblems) -> str:
    """The file's kind judged by its content (one of `kinds`); the gate's refusal as `error`."""
    try:
        return uploads.check_upload(data, name, kinds=set(kinds), limits=limits)
    except uploads.UploadRefused as exc:
        raise error.refused(exc) from None


def decode_text(data: bytes, name: str, *, error=ImportProblems) -> str:
    """UTF-8 text (a BOM is removed); other bytes answer with line and column."""
    if not data.strip():
        raise error.single(name, 1, None, _("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise error.single(
            name,
            line,
            column,
            _("the file is not UTF-8 (byte 0x%(byte)02X); save it as UTF-8 and try again")
            % {"byte": data[exc.start]},
        ) from None
    if not text.strip():  # only a BOM, or Unicode spaces and separators
        raise error.single(name, 1, None, _("the file is empty"))
    return text


def load_json(text: str, name: str, *, error=ImportProblems):
    """json.loads, with every way it fails as `error`: a syntax error, nesting too deep for
    the parser, or an integer with more digits than Python converts."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error.single(
            name, exc.lineno, exc.colno, _("not valid JSON: %(error)s") % {"error": exc.msg}
        ) from None
    except RecursionError:
        raise error.single(name, None, None, _("the JSON is nested too deeply")) from None
    except ValueError:
        raise error.single(
            name, None, None, _("the JSON has a number with too many digits")
        ) from None


def sha256_of(data: bytes) -> str:
    """The file's SHA-256 (an import run remembers it; importing it again changes nothing)."""
    return hashlib.sha256(data).hexdigest()
