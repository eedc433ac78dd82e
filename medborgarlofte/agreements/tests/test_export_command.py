"""`medborgarlofte export_agreement KOMMUNKOD YEAR [--format yaml|json] [--version N]`."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from medborgarlofte.agreements import models as m
from medborgarlofte.agreements.exchange import load_document
from medborgarlofte.agreements.importing import import_agreement_document

from .fixtures.documents import full, minimal


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


def export(*args) -> str:
    out = StringIO()
    call_command("export_agreement", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_versions(db):
    first = import_agreement_document(full()).version
    first.status = m.Status.PUBLISHED
    first.save()
    second = import_agreement_document(full(effects="Andra versionen.")).version
    return first, second


def test_it_writes_the_latest_version_as_yaml(two_versions):
    text = export("0642", "2024")
    assert text.startswith("format: medborgarlofte/1\nmunicipality: '0642'\n")
    assert "  start: 2024-01-01\n" in text  # ISO dates, unquoted
    assert "Mullsjö" in text and "\\u" not in text
    assert yaml.safe_load(text)["effects"] == "Andra versionen."
    doc = load_document(text.encode(), name="x.yaml")
    assert import_agreement_document(doc).action == "unchanged"


def test_it_writes_json_and_older_versions(two_versions):
    text = export("0642", "2024", "--format", "json", "--version", "1")
    doc = json.loads(text)
    assert doc["effects"] == "Ökad trygghet."
    assert '"Mullsjö kommun"' in text  # ensure_ascii=False
    assert text.startswith('{\n  "format": "medborgarlofte/1",\n  "municipality": "0642",\n')
    assert list(doc) == [
        "format",
        "municipality",
        "title",
        "police_area",
        "period",
        "parties",
        "signed",
        "introduction",
        "basis",
        "focus_areas",
        "crime_categories",
        "sections",
        "effects",
        "follow_up",
        "extensions",
    ]
    assert list(doc["sections"][0]["commitments"][0]) == [
        "text",
        "owners",
        "level",
        "cadence",
        "indicators",
        "ref",
    ]
    assert doc["sections"][0]["commitments"][0]["indicators"][0]["baseline"] == 4
    assert "4.0" not in text


def test_it_leaves_out_empty_optional_keys(db):
    import_agreement_document(minimal())
    doc = json.loads(export("0642", "2024", "--format", "json"))
    assert list(doc) == ["format", "municipality", "title", "period", "parties", "sections"]
    assert doc["sections"][0]["commitments"][0] == {
        "text": "Genomföra trygghetsvandringar.",
        "owners": ["kommunen"],
        "ref": "s1-c1",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["9999", "2024"], 'unknown kommun code "9999"'),
        (["0642", "2031"], "Mullsjö has no agreement whose period starts in 2031"),
        (["0643", "2024"], "Habo has no agreement whose period starts in 2024"),
        (["0642", "2024", "--version", "7"], "Mullsjö 2024 has no version 7"),
    ],
)
def test_it_fails_clearly_for_unknown_kommun_year_or_version(two_versions, args, message):
    with pytest.raises(CommandError, match=message):
        export(*args)
