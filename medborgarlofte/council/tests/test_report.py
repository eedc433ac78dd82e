"""The council report (issue 15, item 4): the statutory-status block for a kommun that
has decided nothing, and for the demo's Mullsjö every measure with its status in the
PDF (pdftotext) and the same headings in the DOCX."""

import io
import shutil
import subprocess

import pytest
from django.utils import translation

from medborgarlofte.council import report

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils"
)


def _pdf_text(body: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def _docx(body: bytes):
    import docx

    return docx.Document(io.BytesIO(body))


def _docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return " ".join(" ".join(parts).split())


def _headings(document) -> list[str]:
    return [
        " ".join(p.text.split())
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


@needs_pdftotext
@pytest.mark.django_db
def test_a_kommun_that_has_decided_nothing_gets_plain_answers(mullsjo, coordinator):
    with translation.override("sv"):
        data = report.build(mullsjo)
        status = {row["key"]: row for row in data["status"]}
        assert {k: r["done"] for k, r in status.items()} == {
            "lagesbild": False,
            "actionplan": False,
            "coordinator": True,
            "promise": False,
        }
        assert data["lagesbild"] is None and data["plan"] is None and data["promise"] is None
        pdf = _pdf_text(report.report_pdf(data))
        docx_text = _docx_text(_docx(report.report_docx(data)))
    for text in (pdf, docx_text):
        assert "Ingen beslutad lägesbild." in text
        assert "Ingen beslutad åtgärdsplan." in text
        assert "Ingen publicerad uppföljning av ett medborgarlöfte." in text
        assert "Inget publicerat medborgarlöfte." in text
        assert "1 brottsförebyggande samordnare arbetar i Medborgarlöfte" in text
        assert "Exempeldata" not in text


@pytest.mark.django_db
def test_a_kommun_without_a_coordinator_is_told_so(police):
    from medborgarlofte.kommuner.models import Municipality

    habo = Municipality.objects.get(code="0643")  # only the police hold a role there
    with translation.override("sv"):
        status = {row["key"]: row for row in report.build(habo)["status"]}
    assert status["coordinator"]["done"] is False
    assert status["coordinator"]["answer"] == "Ingen samordnare är utsedd i Medborgarlöfte."


@pytest.mark.django_db
def test_a_draft_plan_is_shown_as_not_decided(plan):
    with translation.override("sv"):
        data = report.build(plan.municipality)
    status = {row["key"]: row for row in data["status"]}
    assert status["actionplan"]["done"] is False
    assert status["actionplan"]["answer"] == (
        "Ingen beslutad åtgärdsplan. Ett utkast håller på att tas fram."
    )
    assert data["plan"]["decided"] is False
    assert [m["status_label"] for m in data["plan"]["measures"]] == ["Ingen uppföljning ännu"]


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, loaded once for the module (conftest.demo_loaded)."""
    from medborgarlofte.kommuner.models import Municipality

    return Municipality.objects.get(code="0642")


@needs_pdftotext
@pytest.mark.slow
def test_the_demo_report_has_every_measure_with_its_status_in_pdf_and_docx(demo):
    from medborgarlofte.actionplans.models import ActionPlan, MeasureStatus

    plan = ActionPlan.objects.get(municipality=demo, status="decided")
    with translation.override("sv"):
        data = report.build(demo)
        pdf_body = report.report_pdf(data)
        document = _docx(report.report_docx(data))
        labels = {s.value: str(s.label) for s in MeasureStatus}
    pdf, docx_text = _pdf_text(pdf_body), _docx_text(document)

    assert all(row["done"] for row in data["status"]), data["status"]
    for text in (pdf, docx_text):
        assert "Exempeldata" in text
        assert "Beslutad av kommunstyrelsen den 27 november 2023, § 152" in text
        assert "Beslutad av kommunfullmäktige den 26 februari 2024, § 12" in text
    measures = list(plan.measures.prefetch_related("followups"))
    assert len(measures) == len(data["plan"]["measures"]) > 0
    followed = 0
    for measure in measures:
        latest = max(
            measure.followups.all(),
            key=lambda f: (f.year, report.TERM_ORDER[f.term]),
            default=None,
        )
        status = labels[latest.status] if latest else "Ingen uppföljning ännu"
        followed += latest is not None
        # the measure's heading is followed by its status
        for text in (pdf, docx_text):
            heading = f"{measure.ref} {' '.join(measure.title.split())}"
            assert heading in text, heading
            after = text[text.index(heading) + len(heading) :]
            assert after.split("Status", 1)[1].lstrip(": ").startswith(status), (heading, status)
    assert followed > 0
    # the medborgarlöfte block shows the latest published follow-up's commitments
    assert data["promise"] is not None
    some = data["promise"]["groups"][0]["commitments"][0]
    assert some["ref"] in pdf and some["ref"] in docx_text
    # the DOCX has the headings of the PDF, in the same order
    headings = _headings(document)
    assert len(headings) > 10
    position = 0
    for heading in headings:
        found = pdf.find(heading, position)
        assert found >= 0, heading
        position = found + len(heading)
