"""Reading documents: encodings, sizes and the YAML features that are refused."""

import json
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from medborgarlofte.agreements.exchange import DocumentError, load_document, loading
from medborgarlofte.agreements.importing import import_agreement_document

from .fixtures.documents import full, minimal, row_counts


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_bytes(data: bytes, name: str):
    return import_agreement_document(load_document(data, name=name), name=name)


@pytest.fixture
def existing(db):
    """An agreement already in the database, for the same kommun and period as the bad files."""
    return import_agreement_document(full())


def refused(data: bytes, name: str) -> DocumentError:
    before = row_counts()
    with pytest.raises(DocumentError) as info:
        import_bytes(data, name)
    assert row_counts() == before
    return info.value


def test_it_loads_yaml_and_json_to_the_same_document():
    as_yaml = yaml.safe_dump(minimal(), allow_unicode=True).encode()
    as_json = json.dumps(minimal(), ensure_ascii=False).encode()
    assert load_document(as_yaml, name="a.yaml") == load_document(as_json, name="a.json")
    assert load_document(as_json, name="no-extension") == minimal()


def test_it_refuses_non_utf8_naming_offset_and_line(existing):
    error = refused(read_fixture("latin1.yaml"), "latin1.yaml")
    text = str(error)
    assert text.startswith("latin1.yaml: ")
    assert "0xf6" in text
    offset = read_fixture("latin1.yaml").index(b"\xf6")
    assert f"byte offset {offset}" in text
    assert error.errors[0].line == 3


def test_it_refuses_a_50_mb_file_before_parsing(existing, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(loading, "_load_yaml", no_parsing)
    monkeypatch.setattr(loading, "_load_json", no_parsing)
    data = b"format: medborgarlofte/1\n" + b"x" * (50 * 1024 * 1024)
    error = refused(data, "huge.yaml")  # the parsers above raise if they are reached
    assert "at most 2097152 bytes" in str(error)
    assert str(len(data)) in str(error)


def test_it_accepts_a_file_just_under_the_limit(settings):
    settings.MAX_AGREEMENT_UPLOAD_BYTES = 300
    data = json.dumps(minimal()).encode()
    assert len(data) < 600
    with pytest.raises(DocumentError, match="at most 300 bytes"):
        load_document(data, name="a.json")
    settings.MAX_AGREEMENT_UPLOAD_BYTES = len(data)
    assert load_document(data, name="a.json") == minimal()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("format: !!python/object/apply:os.system ['true']\n", "explicit YAML tags"),
        ("format: !!str medborgarlofte/1\n", "explicit YAML tags"),
        ("format: ! medborgarlofte/1\n", "explicit YAML tags"),
        ("parties: !!python/name:os.system\n", "explicit YAML tags"),
        ("x: !custom {a: 1}\n", "explicit YAML tags"),
        ("a: &a 1\nb: *a\n", "anchors and aliases"),
        ("a: &a [1]\n", "anchors and aliases"),
        ("base: {x: 1}\nother:\n  <<: {x: 2}\n", "merge keys"),
        ("a: 1\na: 2\n", 'duplicate key "a"'),
    ],
)
def test_it_refuses_tags_anchors_merges_and_duplicates(existing, text, problem):
    error = refused(text.encode(), "x.yaml")
    assert problem in str(error)
    assert error.errors[0].line is not None


def test_it_refuses_python_tags_from_a_file(existing):
    error = refused(read_fixture("python-tag.yaml"), "python-tag.yaml")
    assert "tag:yaml.org,2002:python/object/apply:os.system" in str(error)
    assert error.errors[0].line == 3


def test_it_refuses_billion_laughs_at_the_first_anchor(existing):
    # Line 3 is the first anchor: the loader stopped there, before any alias expanded.
    error = refused(read_fixture("billion-laughs.yaml"), "billion-laughs.yaml")
    assert "anchors and aliases" in str(error)
    assert error.errors[0].line == 3


def test_it_refuses_several_documents(existing):
    error = refused(read_fixture("two-documents.yaml"), "two-documents.yaml")
    assert "only one YAML document" in str(error)
    assert error.errors[0].line == 3


def test_it_reports_yaml_syntax_errors_with_line_and_column(existing):
    error = refused(read_fixture("syntax-error.yaml"), "syntax-error.yaml")
    assert str(error).startswith("syntax-error.yaml: YAML error at line 5, column")
    assert error.errors[0].line == 5


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"format": "medborgarlofte/1",\n "municipality": }', "JSON error at line 2"),
        ('{"a": 1, "a": 2}', 'duplicate key "a"'),
        ('{"a": NaN}', "NaN is not a number JSON allows"),
        ('{"a": Infinity}', "Infinity is not a number JSON allows"),
        ("[1, 2]", "expected a map (key: value) at the top level, got a list"),
    ],
)
def test_it_refuses_bad_json(existing, text, expected):
    assert expected in str(refused(text.encode(), "x.json"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "the document is empty"),
        ("# only a comment\n", "the document is empty"),
        ("- a\n- b\n", "got a list"),
        ("just a string\n", "got a string"),
        ("null\n", "got null"),
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ("a: " + "9" * 5000 + "\n", "digits"),
    ],
)
def test_it_refuses_documents_that_are_not_maps(existing, text, expected):
    assert expected in str(refused(text.encode(), "x.yaml"))


def test_it_accepts_a_utf8_bom_and_unicode():
    data = "\ufeffformat: medborgarlofte/1\ntitle: Medborgarlöfte Åre – ÄÖ\n".encode()
    assert load_document(data, name="x.yml")["title"] == "Medborgarlöfte Åre – ÄÖ"


def test_it_detects_json_by_content_and_says_so():
    with pytest.raises(DocumentError, match="JSON error at line 1"):
        load_document(b'  {"format": "medborgarlofte/1",}', name="upload")
