"""The input-safety gate (privacy/uploads.py): type by content, limits, hostile workbooks.

Every hostile file is made in memory by hostile.py, small (a 200 MB zip bomb is a
200 kB byte string); nothing big is committed. The entry points' own tests are in
tests/test_upload_gate.py.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from medborgarlofte.privacy import uploads
from medborgarlofte.privacy.uploads import (
    EVIDENCE_KINDS,
    TABLE_KINDS,
    Limits,
    UploadRefused,
    check_upload,
    csv_rows,
    read_path,
    read_upload,
    xlsx_rows,
)

from . import hostile
from .hostile import (
    ELF,
    EXE,
    LAUGHS,
    MB,
    OLE,
    PNG,
    XXE,
    entity_workbook,
    hand_zip,
    parts_of,
    workbook,
    zeros_part,
)

LIMITS = Limits(max_bytes=10 * MB, max_rows=1000, max_uncompressed=100 * MB)


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English message ids (the Swedish ones are in the catalogue)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return hostile.zip_bomb()


def refused(data, name="fil.csv", kinds=TABLE_KINDS, limits=LIMITS) -> UploadRefused:
    with pytest.raises(UploadRefused) as info:
        check_upload(data, name, kinds=kinds, limits=limits)
    assert info.value.name == name
    assert str(info.value).startswith(name)
    return info.value


# --- Type by content -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kinds", "expected"),
    [
        (b"kommunkod;antal\n0642;7\n", "statistik.csv", TABLE_KINDS, "csv"),
        ("\ufeffkommun;antal\nMullsjö;7\n".encode(), "utan-ändelse", TABLE_KINDS, "csv"),
        (b"", "tom.csv", TABLE_KINDS, "csv"),
        (b'  [{"id": 1}]', "svar.json", {"csv", "json"}, "json"),
        (b"kommunkod,ar\n0642,2024\n", "folk.json", {"csv", "json"}, "csv"),
        (b"format: medborgarlofte/1\n", "avtal.yaml", {"json", "yaml"}, "yaml"),
        (b'{"format": 1}', "request.json", {"json", "yaml"}, "json"),
        (b"%PDF-1.7\n", "underlag.pdf", EVIDENCE_KINDS, "pdf"),
        (PNG, "foto.pdf", EVIDENCE_KINDS, "png"),  # evidence: the name is ignored
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "bild", EVIDENCE_KINDS, "jpeg"),
        (b"GIF89a\x01\x00", "x.gif", EVIDENCE_KINDS, "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "x.webp", EVIDENCE_KINDS, "webp"),
    ],
)
def test_it_tells_the_kind_by_content(data, name, kinds, expected):
    assert check_upload(data, name, kinds=kinds, limits=LIMITS) == expected


def test_a_workbook_is_an_xlsx_whatever_its_name():
    data = workbook()
    assert check_upload(data, "export.xlsx", kinds=TABLE_KINDS, limits=LIMITS) == "xlsx"
    assert check_upload(data, "export", kinds=TABLE_KINDS, limits=LIMITS) == "xlsx"
    assert check_upload(data, "export.XLSM", kinds=TABLE_KINDS, limits=LIMITS) == "xlsx"


@pytest.mark.parametrize(
    ("data", "name", "kinds", "words"),
    [
        (EXE, "statistik.csv", TABLE_KINDS, "a program (an executable file)"),
        (ELF, "statistik.xlsx", TABLE_KINDS, "a program (an executable file)"),
        (EXE, "underlag.pdf", EVIDENCE_KINDS, "a program (an executable file)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "data.csv", TABLE_KINDS, "a compressed archive"),
        (OLE, "gammal.xls", TABLE_KINDS, "old Excel file (.xls)"),
        (b"%PDF-1.4\n", "tabell.csv", TABLE_KINDS, "the content is a PDF document"),
        (PNG, "avtal.yaml", {"json", "yaml"}, "the content is a PNG image"),
        (b"<html><script>", "underlag.pdf", EVIDENCE_KINDS, "the content is text"),
        (b"a;b\n1;2\n", "tabell.xlsx", TABLE_KINDS, "ends in .xlsx, but the content is text"),
        (workbook(), "tabell.csv", TABLE_KINDS, "ends in .csv, but the content is an XLSX"),
        (workbook(), "avtal.yaml", {"json", "yaml"}, "the content is an XLSX workbook"),
        ("a;b\n".encode("utf-16"), "tabell.csv", TABLE_KINDS, "UTF-16"),
        (b"a;b\n1;\x002\n", "tabell.csv", TABLE_KINDS, "contains a NUL byte"),
    ],
)
def test_it_refuses_a_file_of_another_kind_naming_the_file(data, name, kinds, words):
    assert words in str(refused(data, name, kinds))


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("README.txt", "hej")
    assert "a ZIP archive that is not an XLSX workbook" in str(refused(out.getvalue(), "a.xlsx"))


def test_it_names_line_column_and_offset_of_a_byte_that_is_not_utf8():
    error = refused("kommun;antal\nHabo;3\nMullsj\xf6;7\n".encode("latin-1"))
    assert (error.line, error.column) == (3, 7)
    assert "0xf6" in error.message and "byte offset 26" in error.message


@pytest.mark.parametrize("offset", [uploads.CHUNK - 1, uploads.CHUNK, uploads.CHUNK + 1])
def test_utf8_is_checked_across_chunk_boundaries(offset):
    """A character split between two chunks is fine; a bad byte is found at its offset."""
    good = b"x" * (uploads.CHUNK - 1) + "ö".encode() + b"\n" * 4
    assert check_upload(good, "a.csv", kinds=TABLE_KINDS, limits=LIMITS) == "csv"
    bad = bytearray(b"x" * (uploads.CHUNK + 8))
    bad[offset] = 0xFF
    assert f"byte offset {offset}" in refused(bytes(bad)).message


# --- Size ------------------------------------------------------------------------------


def test_it_refuses_a_file_over_the_size_limit_and_accepts_one_at_it():
    limits = Limits(max_bytes=100, max_rows=10, max_uncompressed=1000)
    assert check_upload(b"a\n" * 50, "a.csv", kinds=TABLE_KINDS, limits=limits) == "csv"
    error = refused(b"a\n" * 50 + b"a", "b.csv", limits=limits)
    assert error.message == "the file is 101 bytes; at most 100 bytes are accepted"


def test_a_command_refuses_a_large_file_by_its_size_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "nationell.csv"
    with path.open("wb") as handle:
        handle.truncate(300 * MB)  # sparse: nothing is written
    monkeypatch.setattr(type(path), "open", lambda *a, **k: pytest.fail("the file was read"))
    with pytest.raises(UploadRefused) as info:
        read_path(path, Limits(max_bytes=200 * MB, max_rows=10, max_uncompressed=10))
    assert str(info.value).startswith("nationell.csv: the file is 314572800 bytes")


def test_an_upload_over_the_limit_is_refused_without_reading_it_whole():
    class Upload(SimpleUploadedFile):
        def read(self, size=-1):
            assert 0 < size <= 101, "read without a cap"
            return super().read(size)

    limits = Limits(max_bytes=100, max_rows=10, max_uncompressed=10)
    assert read_upload(Upload("a.pdf", b"x" * 100), limits) == b"x" * 100
    with pytest.raises(UploadRefused, match="a.pdf: the file is 5000 bytes"):
        read_upload(Upload("a.pdf", b"x" * 5000), limits)


# --- Hostile workbooks -------------------------------------------------------------------


def test_the_hand_made_zips_are_valid_workbooks():
    """Guards the helpers: without hostile parts, the gate and openpyxl read them."""
    data = hand_zip(parts_of(workbook()))
    assert check_upload(data, "a.xlsx", kinds=TABLE_KINDS, limits=LIMITS) == "xlsx"
    assert xlsx_rows(data, "a.xlsx", limits=LIMITS) == [("kommunkod", "antal"), ("0642", 7)]
    small = hand_zip([*parts_of(workbook()), zeros_part("xl/media/blank.bin", 2 * MB)])
    with zipfile.ZipFile(io.BytesIO(small)) as archive:
        assert archive.read("xl/media/blank.bin") == b"\x00" * 2 * MB


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(zip_bomb, monkeypatch):
    assert len(zip_bomb) < 300 * 1024
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    error = refused(zip_bomb, "bomb.xlsx")
    assert "xl/worksheets/sheet1.xml is compressed" in error.message
    assert "possible zip bomb" in error.message


def test_the_declared_unpacked_size_is_limited():
    data = workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    limits = replace_limits(max_uncompressed=total - 1)
    error = refused(data, "stor.xlsx", limits=limits)
    assert error.message == (
        f"the XLSX workbook unpacks to {total} bytes; at most {total - 1} bytes are accepted"
    )
    assert check_upload(
        data, "a.xlsx", kinds=TABLE_KINDS, limits=replace_limits(max_uncompressed=total)
    )


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(zip_bomb):
    parts = parts_of(workbook())
    parts = [p for p in parts if p[0] != "xl/worksheets/sheet1.xml"]
    liar = hand_zip([*parts, zeros_part("xl/worksheets/sheet1.xml", 200 * MB, declared=1000)])
    error = refused(liar, "lögn.xlsx")
    assert "sheet1.xml unpacks to more than the 1000 bytes it declares" in error.message


def test_a_workbook_with_too_many_parts_is_refused():
    extra = [(f"xl/media/{i}.txt", b"x") for i in range(uploads.XLSX_MAX_PARTS)]
    error = refused(hand_zip(parts_of(workbook(), add=extra)), "många.xlsx")
    assert f"at most {uploads.XLSX_MAX_PARTS} are accepted" in error.message


def test_a_zip_inside_the_workbook_is_refused():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("x.txt", "x")
    data = hand_zip(parts_of(workbook(), add=[("xl/embeddings/inner.zip", inner.getvalue())]))
    assert "xl/embeddings/inner.zip is itself a ZIP archive" in refused(data, "a.xlsx").message


def test_a_damaged_workbook_is_refused():
    parts = parts_of(workbook())
    name, packed, size, crc = parts[0]
    data = hand_zip([(name, packed, size, crc ^ 1), *parts[1:]])
    assert "fails its checksum" in refused(data, "trasig.xlsx").message
    assert "damaged" in refused(workbook()[:-40], "kort.xlsx").message


def replace_limits(**changes) -> Limits:
    from dataclasses import replace

    return replace(LIMITS, **changes)


@pytest.mark.parametrize("attack", [LAUGHS, XXE], ids=["billion-laughs", "xxe"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_entity_attacks_are_refused_and_nothing_is_read(attack, encoding, monkeypatch):
    data = entity_workbook(attack, encoding)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    error = refused(data, "entiteter.xlsx")
    assert "xl/worksheets/sheet1.xml declares a DTD" in error.message
    assert "root:" not in str(error)


@pytest.mark.parametrize("attack", [LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_openpyxl_refuses_entities_too_as_a_second_line_of_defence(attack):
    """Without the gate, openpyxl parses with defusedxml (a dependency) and refuses."""
    import defusedxml

    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as info:  # openpyxl wraps the parser's exception
        book = openpyxl.load_workbook(io.BytesIO(entity_workbook(attack)), read_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
    chain, error = [], info.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, defusedxml.DefusedXmlException) for e in chain), chain


# --- Rows and columns --------------------------------------------------------------------


def test_the_row_limit_counts_rows_after_the_header_in_csv_and_xlsx():
    import csv

    limits = replace_limits(max_rows=3)
    rows = [("kommunkod", "antal")] + [("0642", n) for n in range(3)]
    assert len(csv_rows(csv.reader(["a,b"] * 4), "a.csv", limits=limits)) == 4
    assert len(xlsx_rows(workbook(rows), "a.xlsx", limits=limits)) == 4
    for error in (
        pytest.raises(UploadRefused, csv_rows, csv.reader(["a,b"] * 5), "b.csv", limits=limits),
        pytest.raises(
            UploadRefused, xlsx_rows, workbook([*rows, ("0643", 1)]), "b.xlsx", limits=limits
        ),
    ):
        assert error.value.message == "the file has more than 3 rows; split it into smaller files"
        assert error.value.line == 5


def test_the_column_limit_names_the_line():
    import csv

    wide = ["a"] * (uploads.MAX_COLUMNS + 1)
    with pytest.raises(UploadRefused) as info:
        csv_rows(csv.reader(["a,b", ",".join(wide)]), "bred.csv", limits=LIMITS)
    assert (info.value.line, info.value.message) == (2, "501 columns; at most 500 are accepted")
    with pytest.raises(UploadRefused) as info:
        xlsx_rows(workbook([("a",), wide]), "bred.xlsx", limits=LIMITS)
    assert info.value.line == 2


def test_a_bogus_sheet_size_does_not_pad_every_row(monkeypatch):
    """A sheet claiming 16 384 columns would make openpyxl build rows that wide."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    widths, get_row = [], ReadOnlyWorksheet._get_row

    def spy(*args, **kwargs):
        row = get_row(*args, **kwargs)
        widths.append(len(row))
        return row

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", spy)
    data = workbook([("kommunkod", "antal"), ("0642", 7)])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    # openpyxl writes '<dimension ref="A1:B2" />', or without the space when lxml is there
    bogus = re.sub(rb'<dimension ref="A1:B2"\s*/>', b'<dimension ref="A1:XFD2" />', sheet)
    assert bogus != sheet
    rows = xlsx_rows(hand_zip(parts_of(data, {"xl/worksheets/sheet1.xml": bogus})), "a.xlsx")
    assert rows == [("kommunkod", "antal"), ("0642", 7)]
    assert widths == [2, 2]


def test_a_csv_field_over_the_csv_modules_limit_is_refused_with_its_line():
    import csv

    lines = ["a,b", "1,2", "3," + "x" * (csv.field_size_limit() + 1)]
    with pytest.raises(UploadRefused) as info:
        csv_rows(csv.reader(lines), "lång.csv", limits=LIMITS)
    assert info.value.line == 3


# --- Settings --------------------------------------------------------------------------


def test_djangos_request_limits_are_set_and_the_upload_handler_is_first():
    assert settings.FILE_UPLOAD_HANDLERS[0] == (
        "medborgarlofte.privacy.upload_forms.LimitedUploadHandler"
    )
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    # The raw API body (an agreement document) fits; nothing much larger is read into memory.
    assert (
        settings.MAX_AGREEMENT_UPLOAD_BYTES
        < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        <= 2 * settings.MAX_AGREEMENT_UPLOAD_BYTES
    )
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 4 * MB
    assert settings.UPLOAD_MAX_BYTES <= settings.IMPORT_MAX_BYTES
    assert settings.UPLOAD_MAX_ROWS <= settings.IMPORT_MAX_ROWS
    assert settings.UPLOAD_MAX_UNCOMPRESSED_BYTES <= settings.IMPORT_MAX_UNCOMPRESSED_BYTES


def test_the_upload_handler_keeps_at_most_the_cap_and_the_field_refuses_the_rest(settings):
    from django.core.exceptions import ValidationError
    from django.test import RequestFactory

    from medborgarlofte.privacy.upload_forms import OversizedUpload, UploadField

    settings.UPLOAD_MAX_BYTES = 1000
    settings.MAX_AGREEMENT_UPLOAD_BYTES = settings.EVIDENCE_MAX_BYTES = 500
    big = SimpleUploadedFile("stor.csv", b"x" * 5000)
    request = RequestFactory().post("/", {"file": big, "csrfmiddlewaretoken": "kept"})
    upload = request.FILES["file"]
    assert isinstance(upload, OversizedUpload)
    assert (upload.size, upload.read()) == (5000, b"")
    assert request.POST["csrfmiddlewaretoken"] == "kept"  # the form still gets its fields
    field = UploadField(max_bytes=1000)
    with pytest.raises(ValidationError) as info:
        field.clean(upload)
    assert info.value.messages == [
        "stor.csv: the file is 5000 bytes; at most 1000 bytes are accepted"
    ]
    small = SimpleUploadedFile("liten.csv", b"x" * 1000)
    kept = RequestFactory().post("/", {"file": small}).FILES["file"]
    assert kept.read() == b"x" * 1000
    assert field.clean(kept) is kept
    with pytest.raises(ValidationError, match="liten.csv: the file is 1000 bytes; at most 999"):
        UploadField(max_bytes=lambda: 999).clean(kept)
