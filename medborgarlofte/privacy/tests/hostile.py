"""Hostile files made in memory for the upload tests (nothing big is committed)."""

import io
import struct
import zipfile
import zlib

import openpyxl

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def workbook(rows=(("kommunkod", "antal"), ("0642", 7))) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def hand_zip(parts) -> bytes:
    """A ZIP built by hand, so a part may declare any size: parts are
    (name, packed bytes, declared unpacked size, CRC-32), all deflated."""
    body, central = b"", b""
    for name, packed, size, crc in parts:
        encoded = name.encode()
        offset = len(body)
        fields = (8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields) + encoded + packed
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    count = len(parts)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    return body + central + end


def parts_of(data: bytes, replace=None, add=()) -> list:
    """The parts of a real workbook for hand_zip, some replaced, some added."""
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        plain = [(info.filename, archive.read(info)) for info in archive.infolist()]
    plain = [(name, replace.get(name, content)) for name, content in plain] + list(add)
    return [(name, deflate(content), len(content), zlib.crc32(content)) for name, content in plain]


def zeros_part(name: str, size: int, declared: int | None = None):
    """`size` zero bytes deflated without building them: one deflated MiB repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(b"\x00" * MB) + packer.flush(zlib.Z_SYNC_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(b"\x00" * MB, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    return (name, block * (size // MB) + final, size if declared is None else declared, crc)


LAUGHS = (  # ten to the ninth "lol"s from a few hundred bytes
    "<!DOCTYPE worksheet [\n"
    + '<!ENTITY lol1 "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(2, 10))
    + "]>",
    "&lol9;",
)
XXE = ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")


def entity_workbook(attack, encoding="utf-8") -> bytes:
    """A workbook whose sheet declares the attack's DTD and uses its entity in cell A1."""
    dtd, reference = attack
    data = workbook([("placeholder",)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    declaration = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
    hostile = declaration + dtd + sheet.replace("placeholder", reference)
    return hand_zip(parts_of(data, replace={"xl/worksheets/sheet1.xml": hostile.encode(encoding)}))


def zip_bomb() -> bytes:
    """A valid workbook whose sheet is 200 MB of zeros: about 200 kB on the wire."""
    parts = [p for p in parts_of(workbook()) if p[0] != "xl/worksheets/sheet1.xml"]
    return hand_zip([*parts, zeros_part("xl/worksheets/sheet1.xml", 200 * MB)])
