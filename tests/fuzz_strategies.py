"""Hypothesis strategies for fuzzing the importers (tests/test_fuzz_importers.py).

Three kinds of input:

- random bytes and random text;
- structured near-valid tables: a valid header (sometimes with a column dropped, added,
  renamed or repeated) and rows whose cells are valid values mixed with wrong dates, huge
  numbers, NaN/inf, empty cells, unicode, BOMs, quotes, delimiters and line breaks, written
  as CSV (any delimiter, broken quoting, CRLF, a BOM, another encoding) or as XLSX (any
  cell type, sometimes with the sheet XML itself damaged);
- structured near-valid JSON/YAML: a valid document with values replaced, keys removed or
  added, lists emptied or repeated, and sometimes the text itself damaged.
"""

import csv
import io
import json
import re
import zipfile

import yaml
from hypothesis import strategies as st

from tests.fuzz_targets import stable_xlsx

NASTY_TEXT = [
    "",
    " ",
    "..",
    "-",
    "–",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "9" * 400,
    "9" * 400 + ",5",
    "9" * 5000,
    "1" + "0" * 30,
    "-1",
    "-0",
    "0,5",
    "1 234,5",
    "1\u00a0234\u202f567",
    "1,2,3",
    "12 34",
    "1e5",
    "1E+999999999",
    "0x10",
    "١٢٣",
    "１２３",
    "²",
    "½",
    "2024",
    "2024-02-30",
    "2024-13-01",
    "2023-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2024M13",
    "2024m03",
    "2024-3",
    "2024-03-01T25:00:00",
    "2024-03-01 7:32:06 +02:00",
    "2024-03-01 7:32:06 +99:00",
    "31/12/2024",
    "29/02/2023",
    "\ufeff0642",
    "0642\u00a0",
    "642",
    "0642",
    "9999",
    "00",
    "T",
    "tot",
    '"',
    '""',
    '"unterminated',
    'a"b',
    ";",
    ",",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\x1f",
    "\u2028",
    "\ufffe",
    "\U0001f4a5",
    "ÅÄÖ åäö",
    "İ",
    "ß",
    "<script>alert(1)</script>",
    "=1+2",
    "True",
    "None",
    "null",
    "[]",
    "{}",
    "A" * 400,
    "x" * 5000,
]
nasty_text = st.sampled_from(NASTY_TEXT)
# What breaks databases and number parsers most often: NUL, overlong text, huge numbers.
DANGEROUS = st.sampled_from(["\x00", "A" * 400, "x" * 5000, "9" * 400, "1e309", "NaN", "-1"])
any_text = st.text(max_size=40)


EDGE_NUMBERS = st.sampled_from(
    [0, -1, 1, 2**15, 2**31, 2**53 + 1, 2**63, 2**64, 10**30, -(10**30)]
    + [float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 0.5, 5e-324]
)


def mutation_of(value) -> st.SearchStrategy:
    """Something a cell or a value could hold instead of `value`."""
    text = str(value)
    return st.one_of(
        DANGEROUS,
        DANGEROUS.map(lambda extra: text + extra),
        nasty_text,
        any_text,
        EDGE_NUMBERS.map(str),
        st.floats().map(str),
        nasty_text.map(lambda extra: text + extra),
        nasty_text.map(lambda extra: extra + text),
        st.sampled_from([f" {text} ", text.upper(), text + text, text * 60, ""]),
    )


@st.composite
def table(draw, header, rows, cell=mutation_of):
    """(header, rows): valid rows of the given table with one to three cells mutated each
    (or none), and sometimes a header column dropped, added, renamed, repeated or swapped."""
    header = list(header)
    mutation = draw(
        st.sampled_from(["none"] * 6 + ["drop", "extra", "repeat", "rename", "case", "swap"])
    )
    order = list(range(len(header)))
    if mutation == "drop" and header:
        del order[draw(st.integers(0, len(order) - 1))]
    elif mutation == "repeat" and header:
        order.append(draw(st.sampled_from(order)))
    elif mutation == "swap" and len(header) > 1:
        i, j = draw(st.permutations(order))[:2]
        order[i], order[j] = order[j], order[i]
    names = [header[i] for i in order]
    if mutation == "rename" and names:
        names[draw(st.integers(0, len(names) - 1))] = draw(nasty_text | any_text)
    elif mutation == "case":
        names = [n.upper() for n in names]
    if mutation == "extra":
        names.append(draw(nasty_text | any_text))
    body = []
    for _ in range(draw(st.integers(0, 6))):
        row = list(draw(st.sampled_from(rows))) if rows else ["" for _ in header]
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
            at = draw(st.integers(0, len(row) - 1))
            row[at] = draw(cell(row[at]))
        row = [row[i] for i in order] + ([draw(nasty_text)] if mutation == "extra" else [])
        width_change = draw(st.sampled_from([0] * 12 + [-1, 1, -len(row)]))
        if width_change < 0:
            row = row[:width_change]
        elif width_change > 0:
            row.append(draw(nasty_text))
        body.append(row)
    return names, body


@st.composite
def delimited(draw, header, rows, delimiters=(";", ","), preamble=()):
    """A near-valid CSV file (bytes) of the table: written by the csv module (quoting
    right) or joined naively (quotes, delimiters and line breaks in cells break the
    structure), with the delimiter sometimes wrong or mixed, any line ending, a BOM,
    another encoding, and now and then damaged bytes."""
    names, body = draw(table(header, rows))
    choices = [*delimiters, "\t", "|"] if draw(st.booleans()) else [delimiters[0]]
    delimiter = draw(st.sampled_from(choices))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = "".join(line + newline for line in preamble)
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows([names, *body])
        text += out.getvalue()
    else:
        separators = st.sampled_from([delimiter, *delimiters])
        text += newline.join(draw(separators).join(row) for row in [names, *body])
    if draw(st.booleans()):
        text = "\ufeff" + text
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["latin-1", "utf-16", "cp1252"]))
    return draw(damaged(text.encode(encoding, errors="replace")))


@st.composite
def damaged(draw, data: bytes, probability=4):
    """Usually the data as it is; sometimes with bytes flipped, cut, repeated or inserted."""
    if draw(st.integers(0, probability)) != 0 or not data:
        return data
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(["flip", "cut", "truncate", "insert", "repeat"]))
        if operation == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif operation == "cut":
            del data[at : at + draw(st.integers(1, 16))]
        elif operation == "truncate":
            del data[at:]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


# --- XLSX ---------------------------------------------------------------------------------

XLSX_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
)


def _xlsx_cell(value):
    return st.one_of(mutation_of(value), mutation_of(value), XLSX_VALUES)


def _clean(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # openpyxl writes with lxml when it is installed (python-docx brings it), which
        # also refuses surrogates and U+FFFE/U+FFFF: characters no XML file can hold.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return _NOT_XML.sub("", value)[:32767]
    return value


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


SHEET = "xl/worksheets/sheet1.xml"
XML_DAMAGE = [
    ('t="n"', 't="d"'),
    ('t="n"', 't="b"'),
    ('t="n"', 't="e"'),
    ('t="n"', 't="s"'),
    ('t="n"', 't="str"'),
    ('t="inlineStr"', 't="n"'),
    ('t="inlineStr"', 't="s"'),
    ("<v>", "<v>abc"),
    ("<v>", "<v>9" + "9" * 400),
    ("<v>", "<v>-"),
    ('r="A2"', 'r="ZZZZ0"'),
    ('r="A2"', 'r="A0"'),
    ('r="A2"', 'r="A99999999"'),
    ('<row r="2"', '<row r="-1"'),
    ('<row r="2"', '<row r="x"'),
    ("<sheetData>", "<sheetData><row><c><v>1</v></c></row>"),
    ("<is>", "<is><r><t>a</t></r>"),
    ("</sheetData>", ""),
]


@st.composite
def workbook(draw, header, rows):
    """A near-valid XLSX file (bytes): any cell type, sometimes damaged XML or zip."""
    from openpyxl import Workbook

    names, body = draw(table(header, rows, cell=_xlsx_cell))
    book = Workbook()
    sheet = book.active
    for row in [names, *body]:
        sheet.append([_clean(value) for value in row])
    if draw(st.integers(0, 9)) == 0:
        book.create_sheet("andra", 0)  # the data is not on the first sheet
    out = io.BytesIO()
    book.save(out)
    data = stable_xlsx(out.getvalue())
    if draw(st.integers(0, 3)) == 0:
        data = _damage_sheet_xml(draw, data)
    return draw(damaged(data, probability=6))


def _damage_sheet_xml(draw, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == SHEET or (name.endswith(".xml") and draw(st.integers(0, 30)) == 0):
                text = content.decode("utf-8")
                for old, new in draw(st.lists(st.sampled_from(XML_DAMAGE), min_size=1, max_size=3)):
                    text = text.replace(old, new, 1)
                if draw(st.integers(0, 5)) == 0:
                    text = text[: draw(st.integers(0, len(text)))]
                content = text.encode("utf-8")
            if draw(st.integers(0, 40)) != 0:  # now and then a part is missing
                target.writestr(name, content)
    return out.getvalue()


# --- JSON and YAML documents --------------------------------------------------------------

NASTY_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 1, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**300]),
    st.integers(),
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 5e-324]),
    nasty_text,
    any_text,
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(any_text, st.integers() | any_text, max_size=3),
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = dict(value)
        if new is _DELETE and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _replaced(value[head], rest, new)
        return copy
    copy = list(value)
    if new is _DELETE and not rest:
        del copy[head]
    else:
        copy[head] = _replaced(value[head], rest, new)
    return copy


_DELETE = object()


def _changes(value) -> st.SearchStrategy:
    """What one mutation does to a node of a document."""
    options = [NASTY_VALUES, st.just(_DELETE)]
    if isinstance(value, str):
        options += [mutation_of(value), mutation_of(value)]
    elif isinstance(value, bool):
        options += [st.sampled_from([0, 1, "true", None])]
    elif isinstance(value, int | float):
        options += [EDGE_NUMBERS, EDGE_NUMBERS, st.just(str(value))]
    elif isinstance(value, list):
        options += [
            st.just([]),
            st.just(value + value),
            st.just(value[1:]),
            NASTY_VALUES.map(lambda extra: [*value, extra]),
        ]
    elif isinstance(value, dict):
        options += [
            st.tuples(nasty_text | any_text, NASTY_VALUES).map(lambda kv: {**value, kv[0]: kv[1]})
        ]
    return st.one_of(options)


@st.composite
def mutated(draw, value):
    """The document with zero to three nodes changed: a value replaced (by something nasty,
    or the same text with something appended), a key or item removed, a list emptied or
    repeated, a key added."""
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3]))):
        path = draw(st.sampled_from(list(_paths(value))))
        node = value
        for step in path:
            node = node[step]
        value = _replaced(value, path, draw(_changes(node)))
        if value is _DELETE:
            value = draw(NASTY_VALUES)
    return value


DEEP = [b"[" * 100_000, b'{"a":' * 50_000, b"- " * 20_000 + b"x", b"1" * 5000, b"-" + b"9" * 5000]


@st.composite
def json_document(draw, templates):
    """A near-valid JSON file (bytes) from one of the template documents."""
    if draw(st.integers(0, 40)) == 0:
        return draw(st.sampled_from(DEEP))
    doc = draw(mutated(draw(st.sampled_from(templates))))
    if draw(st.integers(0, 6)) == 0:
        doc = draw(st.sampled_from([[doc], {"values": doc}, [doc, doc]]))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True, default=str)
    if draw(st.integers(0, 8)) == 0:
        text = "\ufeff" + text
    return draw(damaged(text.encode("utf-8")))


@st.composite
def yaml_document(draw, templates):
    """A near-valid YAML file (bytes) from one of the template documents."""
    if draw(st.integers(0, 40)) == 0:
        return draw(st.sampled_from(DEEP))
    doc = draw(mutated(draw(st.sampled_from(templates))))
    text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), sort_keys=False)
    return draw(damaged(text.encode("utf-8")))


def random_input():
    """Random bytes or random text: what any parser must refuse cleanly."""
    return st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(DEEP),
    )
