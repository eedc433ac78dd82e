"""`medborgarlofte import_agreement FILE [--dry-run]`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from medborgarlofte.agreements import models as m
from medborgarlofte.agreements.exchange import dump_document, export_version_document

from .fixtures.documents import full, row_counts


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "agreements"
MULLSJO = EXAMPLES / "mullsjo-2024.yaml"


def run(*args) -> str:
    out = StringIO()
    call_command("import_agreement", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def document_file(tmp_path):
    path = tmp_path / "mullsjo.yaml"
    path.write_text(dump_document(full_canonical()), encoding="utf-8")
    return path


def full_canonical():
    doc = full()
    doc["sections"][0]["commitments"][1]["ref"] = "s1-c2"
    doc["sections"][1]["commitments"][0]["ref"] = "s2-c1"
    return doc


@pytest.mark.django_db
def test_it_imports_and_prints_a_summary(document_file):
    output = run(str(document_file))
    assert "Mullsjö (0642) 2024-01-01 – 2025-12-31: new agreement with draft version 1." in output
    assert "commitments: 3" in output
    assert "Not linked to statistics: Ett påhittat brott." in output
    assert export_version_document(m.AgreementVersion.objects.get()) == full_canonical()
    assert "unchanged" in run(str(document_file))


@pytest.mark.django_db
def test_a_dry_run_prints_the_summary_and_saves_nothing(document_file):
    before = row_counts()
    output = run(str(document_file), "--dry-run")
    assert output.startswith("Dry run: nothing was saved.\n")
    assert "new agreement with draft version 1" in output
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture, expected",
    [
        (
            "undeclared-owner.yaml",
            "undeclared-owner.yaml: sections[0].commitments[1].owners[1]: "
            'unknown party "polis" (declared parties: polisen, kommunen)',
        ),
        ("latin1.yaml", "latin1.yaml: not UTF-8"),
        ("billion-laughs.yaml", "billion-laughs.yaml: YAML error at line 3"),
        ("python-tag.yaml", "explicit YAML tags"),
        ("nested-typo.json", 'indicators[0].traget: unknown key "traget"'),
    ],
)
def test_it_fails_with_the_errors_and_changes_nothing(fixture, expected):
    run(str(FIXTURES / "valid.yaml"))
    before = row_counts()
    with pytest.raises(CommandError) as info:
        run(str(FIXTURES / fixture))
    assert expected in str(info.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_it_refuses_a_large_file_without_reading_it(tmp_path, settings):
    settings.MAX_AGREEMENT_UPLOAD_BYTES = 1000
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 1001)
    with pytest.raises(CommandError, match="big.yaml: the file is 1001 bytes; at most 1000"):
        run(str(path))


@pytest.mark.django_db
def test_it_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "saknas.yaml"))


@pytest.mark.django_db
def test_it_exits_non_zero_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("format: medborgarlofte/2\n", encoding="utf-8")
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as info:
        execute_from_command_line(["medborgarlofte", "import_agreement", str(path)])
    assert info.value.code != 0
    err = capsys.readouterr().err
    assert 'bad.yaml: format: unsupported format "medborgarlofte/2"' in err
    assert "bad.yaml: municipality: required key is missing" in err


@pytest.mark.django_db
def test_it_imports_mullsjo_2024(mullsjo_document):
    output = run(str(MULLSJO))
    assert "Mullsjö (0642) 2024-01-01 – 2024-12-31: new agreement with draft version 1." in output
    assert "Sections: 4, commitments: 19" in output
    assert "crime categories: 7." in output
    version = m.AgreementVersion.objects.get(municipality__code="0642")
    exported = export_version_document(version)
    assert exported["title"] == mullsjo_document.get("title", exported["title"])
    assert [c["ref"] for s in exported["sections"] for c in s["commitments"]] == [
        c["ref"] for s in mullsjo_document["sections"] for c in s["commitments"]
    ]
    before = row_counts()
    assert "unchanged" in run(str(MULLSJO))
    assert row_counts() == before
