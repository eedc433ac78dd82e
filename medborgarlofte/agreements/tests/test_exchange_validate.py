"""Validation: every rule of the format, each error with its path; nothing is written."""

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from medborgarlofte.agreements.exchange import (
    DocumentError,
    DocumentIssue,
    load_document,
    validate_document,
)
from medborgarlofte.agreements.importing import import_agreement_document

from .fixtures.documents import full, minimal, row_counts


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def existing(db):
    return import_agreement_document(full())


def refuse(doc, name="doc.yaml") -> list[DocumentIssue]:
    before = row_counts()
    with pytest.raises(DocumentError) as info:
        import_agreement_document(doc, name=name)
    assert row_counts() == before
    return info.value.errors


def paths(issues) -> list[str]:
    return [issue.path for issue in issues]


def message_at(issues, path) -> str:
    found = [issue.message for issue in issues if issue.path == path]
    assert found, f"no error at {path}: {issues}"
    return found[0]


def set_in(doc, path, value):
    """set_in(doc, ["sections", 0, "heading"], "x"); value DELETE removes the key."""
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


class _Delete:
    def __repr__(self) -> str:  # a stable test id (pytest-xdist compares them across workers)
        return "DELETE"


DELETE = _Delete()

CASES = [
    # (where, value, expected path, words in the message)
    (["format"], "medborgarlofte/2", "format", 'unsupported format "medborgarlofte/2"'),
    (["format"], 1, "format", "got an integer"),
    (["format"], DELETE, "format", "required key is missing"),
    (["municipality"], 642, "municipality", 'quoted string of four digits (e.g. "0642")'),
    (["municipality"], "642", "municipality", "expected four digits"),
    (["municipality"], "9999", "municipality", 'unknown kommun code "9999"'),
    (["municipality"], DELETE, "municipality", "required key is missing"),
    (["title"], True, "title", "expected a string, got a boolean (true)"),
    (["title"], "", "title", "must not be empty"),
    (["title"], "x" * 301, "title", "too long: 301 characters, at most 300"),
    (["police_area"], None, "police_area", "expected a string, got null"),
    (["introduction"], "a\x00b", "introduction", "NUL"),
    (["period"], "2024", "period", "expected a map, got a string"),
    (["period"], DELETE, "period", "required key is missing"),
    (["period", "start"], DELETE, "period.start", "required key is missing"),
    (["period", "start"], "2024-13-01", "period.start", '"2024-13-01" is not a valid date'),
    (["period", "start"], "1/1/2024", "period.start", "expected an ISO date (YYYY-MM-DD)"),
    (["period", "start"], 20240101, "period.start", "expected an ISO date"),
    (["period", "start"], datetime.datetime(2024, 1, 1, 12), "period.start", "a date and time"),
    (["period", "end"], "2023-12-31", "period.end", "ends (2023-12-31) before it starts"),
    (["period", "ending"], "2025-01-01", "period.ending", 'unknown key "ending"'),
    (["parties"], [], "parties", "at least 1 item"),
    (["parties"], {"polisen": "police"}, "parties", "expected a list, got a map"),
    (
        ["parties", 1, "key"],
        "polisen",
        "parties[1].key",
        'duplicate key "polisen" (already used at parties[0].key)',
    ),
    (["parties", 1, "key"], "Mullsjö kommun", "parties[1].key", "not a valid key"),
    (
        ["parties", 0, "kind"],
        "polis",
        "parties[0].kind",
        '"polis" is not allowed; expected one of: police, municipality, other',
    ),
    (["parties", 0, "name"], DELETE, "parties[0].name", "required key is missing"),
    (["parties", 0, "nmae"], "x", "parties[0].nmae", 'did you mean "name"'),
    (["signed", "date"], "15 februari 2024", "signed.date", "ISO date"),
    (
        ["signed", "signatories", 1, "party"],
        "kommun",
        "signed.signatories[1].party",
        'unknown party "kommun" (declared parties: polisen, kommunen)',
    ),
    (["signed", "signatories", 0, "role"], 3, "signed.signatories[0].role", "got an integer (3)"),
    (["signed", "signed_by"], "x", "signed.signed_by", "unknown key"),
    (["basis", 0, "kind"], "statistics", "basis[0].kind", "crime_statistics"),
    (
        ["basis", 0, "years", 1],
        "2022",
        "basis[0].years[1]",
        "expected a year (integer), got a string",
    ),
    (["basis", 0, "years", 1], True, "basis[0].years[1]", "got a boolean"),
    (["basis", 0, "years", 1], 22, "basis[0].years[1]", "not a year between 1900 and 2100"),
    (["basis", 0, "years"], 2022, "basis[0].years", "expected a list"),
    (["focus_areas", 1, "key"], "unga", "focus_areas[1].key", "duplicate key"),
    (["focus_areas", 0, "title"], DELETE, "focus_areas[0].title", "required key is missing"),
    (["crime_categories"], "Skadegörelse", "crime_categories", "expected a list"),
    (
        ["crime_categories", 1],
        "  skadegörelse ",
        "crime_categories[1]",
        "listed twice (also at crime_categories[0])",
    ),
    (["crime_categories", 1], 7, "crime_categories[1]", "expected a string"),
    (["sections"], DELETE, "sections", "required key is missing"),
    (["sections", 0, "heading"], DELETE, "sections[0].heading", "required key is missing"),
    (
        ["sections", 0, "focus_area"],
        "ungdom",
        "sections[0].focus_area",
        'unknown focus area "ungdom" (declared focus areas: unga, trafik)',
    ),
    (["sections", 0, "commitments"], [], "sections[0].commitments", "at least 1 item"),
    (["sections", 0, "commitment"], [], "sections[0].commitment", 'did you mean "commitments"'),
    (
        ["sections", 0, "commitments", 1, "owners"],
        [],
        "sections[0].commitments[1].owners",
        "at least 1 item",
    ),
    (
        ["sections", 0, "commitments", 1, "owners"],
        "polisen",
        "sections[0].commitments[1].owners",
        "expected a list, got a string",
    ),
    (
        ["sections", 0, "commitments", 1, "owners"],
        ["polisen", "polisen"],
        "sections[0].commitments[1].owners[1]",
        'party "polisen" is listed twice',
    ),
    (
        ["sections", 1, "commitments", 0, "owners", 0],
        "polis",
        "sections[1].commitments[0].owners[0]",
        'unknown party "polis" (declared parties: polisen, kommunen)',
    ),
    (
        ["sections", 0, "commitments", 1, "text"],
        DELETE,
        "sections[0].commitments[1].text",
        "required key is missing",
    ),
    (
        ["sections", 0, "commitments", 1, "text"],
        12,
        "sections[0].commitments[1].text",
        "expected a string, got an integer (12)",
    ),
    (
        ["sections", 0, "commitments", 1, "level"],
        "strategisk",
        "sections[0].commitments[1].level",
        "strategic, tactical, operational",
    ),
    (
        ["sections", 0, "commitments", 1, "cadence"],
        "varje vecka",
        "sections[0].commitments[1].cadence",
        "weekly",
    ),
    (
        ["sections", 0, "commitments", 1, "ref"],
        "sspf",
        "sections[0].commitments[1].ref",
        'duplicate ref "sspf" (already used at sections[0].commitments[0].ref)',
    ),
    (
        ["sections", 0, "commitments", 1, "ref"],
        5,
        "sections[0].commitments[1].ref",
        "expected a string",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "kind"],
        "outcome",
        "sections[0].commitments[0].indicators[0].kind",
        "output, process, effect",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "baseline"],
        "4",
        "sections[0].commitments[0].indicators[0].baseline",
        "expected a number, got a string",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "baseline"],
        True,
        "sections[0].commitments[0].indicators[0].baseline",
        "expected a number, got a boolean",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "target"],
        float("nan"),
        "sections[0].commitments[0].indicators[0].target",
        "finite",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "target"],
        float("inf"),
        "sections[0].commitments[0].indicators[0].target",
        "finite",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "target"],
        2**60,
        "sections[0].commitments[0].indicators[0].target",
        "too large",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "direction"],
        "up",
        "sections[0].commitments[0].indicators[0].direction",
        "increase, decrease",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "source"],
        "brå",
        "sections[0].commitments[0].indicators[0].source",
        'expected "manual" or one of crime_statistics:',
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "source"],
        "survey:",
        "sections[0].commitments[0].indicators[0].source",
        "not a source",
    ),
    (
        ["sections", 0, "commitments", 0, "indicators", 0, "traget"],
        5,
        "sections[0].commitments[0].indicators[0].traget",
        'did you mean "target"',
    ),
    (["effects"], ["a"], "effects", "expected a string, got a list"),
    (["follow_up"], "tertial", "follow_up", "expected a map"),
    (
        ["follow_up", "schedule"],
        "monthly",
        "follow_up.schedule",
        "tertial, quarter, half_year, year, kvartal, halvår",
    ),
    (["follow_up", "schedule"], ["2024-05-01", "maj"], "follow_up.schedule[1]", "ISO date"),
    (["follow_up", "schedule"], 4, "follow_up.schedule", "a list of ISO dates or one of"),
    (["follow_up", "when"], "x", "follow_up.when", "unknown key"),
    (["extensions"], ["a"], "extensions", "expected a map, got a list"),
    (["extensions", "x"], {"y": [1, float("nan")]}, "extensions.x.y[1]", "finite"),
    (["extensions", "x"], {1: "a"}, "extensions.x.1", "a string key"),
    (["extensions", "x"], 1e300, "extensions.x", "cannot be kept exactly"),
    (["extensionz"], {}, "extensionz", 'did you mean "extensions"'),
    (["Title"], "x", "Title", 'did you mean "title"'),
]


@pytest.mark.parametrize(
    "where, value, path, words",
    CASES,
    ids=[".".join(map(str, c[0])) + f"={c[1]!r}"[:40] for c in CASES],
)
def test_it_names_the_path_of_each_error(existing, where, value, path, words):
    doc = set_in(full(), where, value)
    issues = refuse(doc)
    assert words in message_at(issues, path)


def test_it_accepts_the_full_and_the_minimal_document(db):
    assert validate_document(full()) == []
    assert validate_document(minimal()) == []


def test_it_accepts_yaml_dates_and_integral_floats(db):
    doc = set_in(full(), ["period", "start"], datetime.date(2024, 1, 1))
    doc["sections"][0]["commitments"][0]["indicators"][0]["baseline"] = 4.0
    assert validate_document(doc) == []


def test_it_collects_all_errors_not_only_the_first(existing):
    doc = full()
    doc["municipality"] = 642
    doc["period"]["end"] = "2020-01-01"
    doc["sections"][0]["commitments"][0]["ownerz"] = ["polisen"]
    doc["sections"][1]["commitments"][0]["owners"] = ["polis"]
    doc["extensions"] = "none"
    issues = refuse(doc)
    assert paths(issues) == [
        "municipality",
        "period.end",
        "sections[0].commitments[0].ownerz",
        "sections[1].commitments[0].owners[0]",
        "extensions",
    ]


def test_it_refuses_a_non_mapping_document(db):
    assert paths(validate_document(["format"])) == [""]
    assert "expected a map, got a list" in validate_document(["format"])[0].message


def test_it_formats_errors_with_file_and_path(existing):
    data = (FIXTURES / "undeclared-owner.yaml").read_bytes()
    doc = load_document(data, name="mullsjo.yaml")
    before = row_counts()
    with pytest.raises(DocumentError) as info:
        import_agreement_document(doc, name="mullsjo.yaml")
    assert row_counts() == before
    assert str(info.value) == (
        "mullsjo.yaml: sections[0].commitments[1].owners[1]: unknown party "
        '"polis" (declared parties: polisen, kommunen)'
    )


def test_it_finds_a_nested_typo_in_json(existing):
    data = (FIXTURES / "nested-typo.json").read_bytes()
    issues = refuse(load_document(data, name="nested-typo.json"))
    assert paths(issues) == ["sections[0].commitments[0].indicators[0].traget"]
    assert 'did you mean "target"' in issues[0].message


def test_it_refuses_an_unquoted_yaml_kommun_code(existing):
    # YAML 1.1 reads 0642 as the octal number 418.
    doc = load_document(b"format: medborgarlofte/1\nmunicipality: 0642\n", name="x.yaml")
    issues = validate_document(doc)
    assert "got an integer (418)" in message_at(issues, "municipality")
    assert {"period", "parties", "sections"} <= set(paths(issues))


def test_it_keeps_anything_json_like_under_extensions(db):
    doc = full(extensions={"a": {"b": [1, 2.5, None, True, "å", {"c": []}]}, "": {}, "x-y": 0})
    assert validate_document(doc) == []


def test_it_speaks_swedish_by_default(existing):
    """The messages are translated when they are made (not at import time) and keep
    the file name, the path and the values."""
    data = (FIXTURES / "undeclared-owner.yaml").read_bytes()
    doc = load_document(data, name="mullsjo.yaml")
    with pytest.raises(DocumentError) as english:
        import_agreement_document(doc, name="mullsjo.yaml")
    with translation.override("sv"), pytest.raises(DocumentError) as swedish:
        import_agreement_document(doc, name="mullsjo.yaml")
    text = str(swedish.value)
    assert text != str(english.value)
    assert text.startswith("mullsjo.yaml: sections[0].commitments[1].owners[1]: ")
    assert '"polis"' in text and "polisen, kommunen" in text
    assert "unknown" not in text and "declared" not in text
