"""The input-safety gate: every file the product accepts passes here before a parser sees it.

    kind = check_upload(data, name, kinds={"csv", "xlsx"}, limits=web_limits())
    rows = xlsx_rows(data, name, limits=limits)        # or csv_rows(lines, name, …)

- The type comes from the content, never from the name: XLSX is a ZIP archive holding
  `[Content_Types].xml` and `xl/workbook.xml`; CSV, JSON and YAML are UTF-8 text without NUL
  bytes; PDF, PNG, JPEG, GIF and WebP are recognised by their magic bytes. A name whose
  extension says another family (a CSV named `.xlsx`) is refused too.
- Sizes are checked before anything is parsed (`Limits`: the web forms' limits are smaller
  than the command line's; docs/formats/uploads.md, settings in docs/deploy.md).
- An XLSX workbook is checked before openpyxl opens it: number of parts, declared unpacked
  size, compression ratio of every large part, the real unpacked size of every part
  (streamed, with a cap), no ZIP inside the ZIP, and no DTD (`<!DOCTYPE`, the carrier of
  "billion laughs" and external-entity attacks) in any XML part. openpyxl then parses with
  defusedxml as a second line of defence.
- Tables are read with a limit on rows and columns.

Every refusal is an `UploadRefused` (a ValueError) with a translated message, the file name
and, where it helps, a line and column; each importer turns it into its own error type.
`upload_forms.py` keeps an oversized web upload from filling memory or disk and answers it
with a form error.
"""

import codecs
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

TABLE_KINDS = frozenset({"csv", "xlsx"})
EVIDENCE_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
SHORT_NAMES = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "yaml": "YAML",
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "webp": "WebP",
}

XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
XLSX_MAX_PARTS = 1000
XLSX_MAX_RATIO = 100  # unpacked : packed, for parts larger than XLSX_RATIO_FROM
XLSX_RATIO_FROM = 1024 * 1024
MAX_COLUMNS = 500
CHUNK = 1024 * 1024

# Magic bytes at offset 0 → kind. Formats we accept, then formats we name when refusing.
_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
]
_BINARY_SIGNATURES = [
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
    (b"\xce\xfa\xed\xfe", "program"),
    (b"\x1f\x8b", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"\xfd7zXZ\x00", "archive"),
    (b"\x28\xb5\x2f\xfd", "archive"),
]
_EXTENSION_FAMILY = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
    ".json": "text",
    ".yaml": "text",
    ".yml": "text",
}


class UploadRefused(ValueError):
    """A file the gate refuses; nothing has been read into the database."""

    def __init__(self, name: str, message: str, *, line: int | None = None, column=None):
        self.name = name
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        """`file, line 3, column 7: message`, as every importer's problems read."""
        from medborgarlofte.importing.problems import Problem

        return str(Problem(self.name, self.line, self.column, self.message))


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_uncompressed: int


def web_limits() -> Limits:
    """Limits for files uploaded through a web form."""
    return Limits(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_rows=settings.UPLOAD_MAX_ROWS,
        max_uncompressed=settings.UPLOAD_MAX_UNCOMPRESSED_BYTES,
    )


def command_limits() -> Limits:
    """Limits for files given to a command (an operator's file, e.g. national statistics)."""
    return Limits(
        max_bytes=settings.IMPORT_MAX_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_uncompressed=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
    )


def with_max_bytes(limits: Limits | None, max_bytes: int) -> Limits:
    return replace(limits or command_limits(), max_bytes=max_bytes)


def size_message(size: int, limit: int) -> str:
    return _("the file is %(size)s bytes; at most %(limit)s bytes are accepted") % {
        "size": size,
        "limit": limit,
    }


# --- Reading with a cap ------------------------------------------------------------------


def read_path(file, limits: Limits | None = None) -> tuple[bytes, str]:
    """(bytes, name) of a file given to a command, or of standard input for "-"; a file
    larger than the limit is refused by its size before it is read. OSError passes."""
    import sys

    limits = limits or command_limits()
    path = Path(file)
    if str(file) == "-":
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
    else:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise UploadRefused(path.name, size_message(size, limits.max_bytes))
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise UploadRefused(path.name, size_message(len(data), limits.max_bytes))
    return data, path.name


def read_upload(upload, limits: Limits) -> bytes:
    """The bytes of an uploaded file, refusing one above the limit without reading it all."""
    size = getattr(upload, "size", None)
    if getattr(upload, "oversized", False) or (size is not None and size > limits.max_bytes):
        raise UploadRefused(upload.name, size_message(size, limits.max_bytes))
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise UploadRefused(upload.name, size_message(len(data), limits.max_bytes))
    return data


# --- The gate ----------------------------------------------------------------------------


def check_upload(data: bytes, name: str, *, kinds, limits: Limits | None = None) -> str:
    """The kind of the file (one of `kinds`: csv, json, yaml, xlsx, pdf, png, jpeg, gif, webp)
    judged by its content; UploadRefused when it is too large, of another kind, or hostile."""
    limits = limits or command_limits()
    kinds = frozenset(kinds)
    if len(data) > limits.max_bytes:
        raise UploadRefused(name, size_message(len(data), limits.max_bytes))
    found = sniff(data)
    if found == "pdf" and "pdf" in kinds:
        check_pdf(data, name, limits)
        return found
    if found in EVIDENCE_KINDS and found in kinds:
        return found
    if found == "zip" and "xlsx" in kinds:
        _check_extension(name, "xlsx", _("an XLSX workbook"))
        check_xlsx(data, name, limits)
        return "xlsx"
    if found == "text" and kinds & {"csv", "json", "yaml"}:
        _check_extension(name, "text", _("text"))
        check_text(data, name)
        return _text_kind(data, kinds)
    raise _wrong_kind(data, name, found, kinds)


def sniff(data: bytes) -> str:
    """What the content is: a kind of EVIDENCE_KINDS, "zip", "ole", "program", "archive",
    "utf16", "binary" (a NUL byte) or "text"."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if b"\x00" not in data:
        return "text"
    for magic, kind in _BINARY_SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf16"
    return "binary"


def _text_kind(data: bytes, kinds) -> str:
    if "json" in kinds and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    for kind in ("csv", "yaml", "json"):
        if kind in kinds:
            return kind
    raise AssertionError(kinds)


def _describe(found: str) -> str:
    return {
        "zip": _("a ZIP archive that is not an XLSX workbook"),
        "text": _("text"),
        "pdf": _("a PDF document"),
        "png": _("a PNG image"),
        "jpeg": _("a JPEG image"),
        "gif": _("a GIF image"),
        "webp": _("a WebP image"),
        "program": _("a program (an executable file)"),
        "archive": _("a compressed archive"),
        "binary": _("binary data"),
    }[found]


def _wrong_kind(data: bytes, name: str, found: str, kinds) -> UploadRefused:
    if found == "ole":
        return UploadRefused(
            name,
            _(
                "this is an old Excel file (.xls) or a password-protected workbook; save it "
                "as .xlsx without a password, or as CSV UTF-8"
            ),
        )
    if found == "utf16":
        return UploadRefused(name, _("the file is UTF-16 text; save it as UTF-8"))
    if found == "zip" and _is_xlsx(data):
        found_text = _("an XLSX workbook")
    elif found == "binary":
        line, column = _position(data, data.index(b"\x00"))
        return UploadRefused(
            name,
            _("the file is not text: it contains a NUL byte"),
            line=line,
            column=column,
        )
    else:
        found_text = _describe(found)
    accepted = ", ".join(SHORT_NAMES[k] for k in SHORT_NAMES if k in kinds)
    return UploadRefused(
        name,
        _("the content is %(found)s; accepted here: %(accepted)s")
        % {"found": found_text, "accepted": accepted},
    )


def _check_extension(name: str, family: str, found_text: str) -> None:
    extension = Path(name).suffix.lower()
    if _EXTENSION_FAMILY.get(extension, family) != family:
        raise UploadRefused(
            name,
            _("the name ends in %(extension)s, but the content is %(found)s")
            % {"extension": extension, "found": found_text},
        )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of an offset."""
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def check_text(data: bytes, name: str) -> None:
    """UTF-8 (a BOM allowed), checked in chunks so a large file is not copied whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(data[start : start + CHUNK], final=start + CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            offset = start - pending + exc.start
            line, column = _position(data, offset)
            raise UploadRefused(
                name,
                _(
                    "not UTF-8: invalid byte 0x%(byte)02x at byte offset %(offset)d (line "
                    "%(line)d, column %(column)d); save the file as UTF-8"
                )
                % {"byte": data[offset], "offset": offset, "line": line, "column": column},
                line=line,
                column=column,
            ) from None


# --- XLSX ----------------------------------------------------------------------------------


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False
    return all(part in names for part in XLSX_REQUIRED_PARTS)


# --- PDF: no active content ------------------------------------------------------------
# An evidence PDF is opened by the other party and by the council: one that runs script,
# launches a program, submits a form or carries files inside it is refused (security
# finding 7, issue 11). PDF names may hide letters as #xx ("/J#61vaScript"), and
# dictionaries may sit in compressed object streams, so names are decoded and every
# Flate stream is inflated (within the unpacked-size limit) before looking.

PDF_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"SubmitForm",
        b"ImportData",
        b"XFA",
    }
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.DOTALL)
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_active_name(data: bytes) -> bytes | None:
    for match in _PDF_NAME.finditer(data):
        name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in PDF_ACTIVE_NAMES:
            return name
    return None


def check_pdf(data: bytes, name: str, limits: Limits) -> None:
    found = _pdf_active_name(data)
    budget = limits.max_uncompressed
    for stream in _PDF_STREAM.finditer(data):
        if found is not None:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream.group(1), budget + 1)
        except zlib.error:
            continue  # not Flate (an image, a font): nothing to read names from
        budget -= len(inflated)
        if budget < 0:
            raise UploadRefused(name, _("the PDF unpacks to more than the allowed size"))
        found = _pdf_active_name(inflated)
    if found is not None:
        raise UploadRefused(
            name,
            _(
                "the PDF contains active content (%(what)s): scripts, programs, forms that "
                "send data or attached files are not accepted. Print it to a new PDF and "
                "upload that."
            )
            % {"what": found.decode("latin-1")},
        )


def check_xlsx(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a ZIP that is not a workbook, a zip bomb or XML with a DTD, before openpyxl."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UploadRefused(
            name, _("the XLSX workbook is damaged: %(error)s") % {"error": exc}
        ) from None
    if len(parts) > XLSX_MAX_PARTS:
        raise UploadRefused(
            name,
            _("the XLSX workbook has %(count)s parts; at most %(limit)s are accepted")
            % {"count": len(parts), "limit": XLSX_MAX_PARTS},
        )
    names = [part.filename for part in parts]
    if not all(required in names for required in XLSX_REQUIRED_PARTS):
        raise UploadRefused(
            name,
            _("the content is %(found)s; accepted here: %(accepted)s")
            % {"found": _describe("zip"), "accepted": "XLSX"},
        )
    if len(set(names)) != len(names):
        raise UploadRefused(name, _("the XLSX workbook has two parts with the same name"))
    _check_declared_sizes(parts, name, limits)
    for part in parts:
        _check_part(data, part, name)


def _check_declared_sizes(parts, name: str, limits: Limits) -> None:
    for part in parts:
        if part.flag_bits & 0x1 or part.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise UploadRefused(
                name,
                _("the part %(part)s is encrypted or uses an unknown compression")
                % {"part": part.filename},
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            raise UploadRefused(
                name,
                _(
                    "the part %(part)s is compressed %(ratio)d:1; more than %(limit)d:1 is "
                    "refused as a possible zip bomb"
                )
                % {"part": part.filename, "ratio": ratio, "limit": XLSX_MAX_RATIO},
            )
    total = sum(part.file_size for part in parts)
    if total > limits.max_uncompressed:
        raise UploadRefused(
            name,
            _("the XLSX workbook unpacks to %(size)s bytes; at most %(limit)s bytes are accepted")
            % {"size": total, "limit": limits.max_uncompressed},
        )


def _check_part(data: bytes, part: zipfile.ZipInfo, name: str) -> None:
    """Stream the part with a cap: no more than declared, the right CRC, no nested ZIP,
    no DTD in XML."""
    prolog = _XmlProlog(part.filename) if part.filename.endswith((".xml", ".rels")) else None
    produced, crc, first = 0, 0, True
    for chunk in _unpacked_chunks(data, part, name):
        if first and chunk[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            raise UploadRefused(
                name,
                _("the part %(part)s is itself a ZIP archive; embedded files are not accepted")
                % {"part": part.filename},
            )
        first = False
        produced += len(chunk)
        crc = zlib.crc32(chunk, crc)
        if prolog is not None and prolog.feed(chunk, name):
            prolog = None
    if produced != part.file_size or crc != part.CRC:
        raise UploadRefused(
            name,
            _("the XLSX workbook is damaged: %(error)s")
            % {"error": _("the part %(part)s fails its checksum") % {"part": part.filename}},
        )


def _unpacked_chunks(data: bytes, part: zipfile.ZipInfo, name: str):
    header = data[part.header_offset : part.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise UploadRefused(
            name,
            _("the XLSX workbook is damaged: %(error)s")
            % {"error": _("the part %(part)s is missing") % {"part": part.filename}},
        )
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = part.header_offset + 30 + name_length + extra_length
    packed = memoryview(data)[start : start + part.compress_size]
    if part.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(packed), CHUNK):
            yield bytes(packed[offset : offset + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for offset in range(0, len(packed), CHUNK):
            feed = packed[offset : offset + CHUNK]
            while True:
                out = inflater.decompress(feed, CHUNK)
                produced += len(out)
                if produced > part.file_size:
                    raise UploadRefused(
                        name,
                        _("the part %(part)s unpacks to more than the %(size)s bytes it declares")
                        % {"part": part.filename, "size": part.file_size},
                    )
                if out:
                    yield out
                feed = inflater.unconsumed_tail
                if inflater.eof or (not feed and not out):
                    break
            if inflater.eof:
                return
    except zlib.error as exc:
        raise UploadRefused(
            name, _("the XLSX workbook is damaged: %(error)s") % {"error": exc}
        ) from None


class _PrologDone(Exception):
    pass


class _XmlProlog:
    """Parses an XML part only up to its root element: a DTD can only come before it."""

    def __init__(self, part: str):
        self.part = part
        self.doctype = False
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root

    def _doctype(self, *args):
        self.doctype = True
        raise _PrologDone

    def _root(self, *args):
        raise _PrologDone

    def feed(self, chunk: bytes, name: str) -> bool:
        """True when the prolog is over (stop feeding); UploadRefused on a DTD."""
        try:
            self.parser.Parse(chunk, False)
        except _PrologDone:
            if self.doctype:
                raise UploadRefused(
                    name,
                    _(
                        "the part %(part)s declares a DTD (<!DOCTYPE>), which workbooks never "
                        "need; it is refused as a possible XML entity attack"
                    )
                    % {"part": self.part},
                ) from None
            return True
        except expat.ExpatError:
            return True  # not well-formed: openpyxl (with defusedxml) refuses it if it matters
        return False


# --- Rows ----------------------------------------------------------------------------------


def _too_many_rows(name: str, limits: Limits) -> UploadRefused:
    return UploadRefused(
        name,
        _("the file has more than %(limit)s rows; split it into smaller files")
        % {"limit": limits.max_rows},
        line=limits.max_rows + 2,
    )


def _too_wide(name: str, line: int, width: int) -> UploadRefused:
    return UploadRefused(
        name,
        _("%(count)s columns; at most %(limit)s are accepted")
        % {"count": width, "limit": MAX_COLUMNS},
        line=line,
    )


def csv_rows(reader, name: str, *, limits: Limits | None = None) -> list[list[str]]:
    """Every row of a csv.reader, at most limits.max_rows after the header and MAX_COLUMNS
    wide; a malformed row (e.g. a field over the csv module's limit) is refused with its line."""
    import csv

    limits = limits or command_limits()
    rows = []
    try:
        for row in reader:
            if len(rows) > limits.max_rows:
                raise _too_many_rows(name, limits)
            if len(row) > MAX_COLUMNS:
                raise _too_wide(name, reader.line_num, len(row))
            rows.append(row)
    except csv.Error as exc:
        raise UploadRefused(name, str(exc), line=reader.line_num) from None
    return rows


def xlsx_rows(data: bytes, name: str, *, limits: Limits | None = None, active=False) -> list:
    """The values of the first (or the active) sheet, row by row, trailing empty cells
    dropped; at most limits.max_rows after the header and MAX_COLUMNS wide. Call after
    check_upload said "xlsx"."""
    from openpyxl import load_workbook

    limits = limits or command_limits()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _unreadable(name, exc) from None
    try:
        sheet = book.active if active else (book.worksheets or [None])[0]
        if sheet is None:
            raise UploadRefused(name, _("the workbook has no sheet"))
        if (sheet.max_column or 0) > MAX_COLUMNS:
            sheet.reset_dimensions()  # a bogus size: do not pad every row to it
        rows = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(rows) > limits.max_rows:
                raise _too_many_rows(name, limits)
            row = _trimmed(values)
            if len(row) > MAX_COLUMNS:
                raise _too_wide(name, line, len(row))
            rows.append(row)
        return rows
    except UploadRefused:
        raise
    except Exception as exc:  # a sheet that breaks while it is read
        raise _unreadable(name, exc) from None
    finally:
        book.close()


def _trimmed(values) -> tuple:
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return tuple(values[:end])


def _unreadable(name: str, exc: Exception) -> UploadRefused:
    return UploadRefused(name, _("not a readable XLSX workbook: %(error)s") % {"error": exc})
