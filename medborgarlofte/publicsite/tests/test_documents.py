"""The promise as a document: PDF and DOCX of the agreement (issue 14, item 8)."""

import io
import subprocess

import pytest
from django.urls import reverse

from medborgarlofte.agreements.models import Commitment, Status

from .builders import make_agreement, make_published, make_version

PHONE = "070-123 45 67"


def pdf_text(body: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def docx_paragraphs(body: bytes):
    import docx

    return docx.Document(io.BytesIO(body)).paragraphs


def public_url(fmt, code="0642", year=2024):
    return reverse("publicsite:agreement-document", args=[code, year, fmt])


@pytest.mark.django_db
def test_the_public_page_links_both_documents(client):
    make_published("0642")
    html = client.get(reverse("publicsite:agreement", args=["0642", 2024])).content.decode()
    assert public_url("pdf") in html
    assert public_url("docx") in html


@pytest.mark.django_db
def test_pdf_carries_every_commitment_and_hides_personal_data(client):
    version = make_published("0642", marker=PHONE)
    response = client.get(public_url("pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="medborgarlofte-0642-2024.pdf"'
    text = pdf_text(response.content)
    commitments = Commitment.objects.filter(version=version)
    assert commitments.count() == 6
    for commitment in commitments:
        assert commitment.text.replace(PHONE, "").strip() in text
    assert "Avsnitt 1 genom att:" in text
    assert "Kommunstyrelsens ordförande" in text
    assert "070-123" not in text


@pytest.mark.django_db
def test_docx_carries_headings_commitments_and_owners(client):
    version = make_published("0642", marker=PHONE)
    response = client.get(public_url("docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    paragraphs = docx_paragraphs(response.content)
    texts = [p.text for p in paragraphs]
    everything = "\n".join(texts)
    headings = [p.text for p in paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert version.title in headings
    for heading in ("Parter", "Löften", "Avsnitt 1 genom att:", "Avsnitt 2 genom att:"):
        assert heading in headings, heading
    for commitment in Commitment.objects.filter(version=version):
        assert commitment.text.replace(PHONE, "").strip() in everything
        for owner in commitment.owners.all():
            assert owner.name in everything
    assert "Bostadsbolaget AB" in everything
    assert "Antal anmälda skadegörelsebrott" in everything
    assert "070-123" not in everything


@pytest.mark.django_db
def test_documents_are_cached_per_version(client, django_assert_max_num_queries):
    make_published("0642")
    first = client.get(public_url("docx")).content
    with django_assert_max_num_queries(3):  # the version lookup only: the body is cached
        assert client.get(public_url("docx")).content == first


@pytest.mark.django_db
def test_a_newer_version_makes_a_new_document(client):
    agreement = make_agreement("0642")
    make_version(agreement, number=1, title="Första versionen")
    assert "Första versionen" in pdf_text(client.get(public_url("pdf")).content)
    make_version(agreement, number=2, title="Andra versionen")
    assert "Andra versionen" in pdf_text(client.get(public_url("pdf")).content)


@pytest.mark.django_db
def test_no_document_for_a_draft(client):
    make_version(make_agreement("0642"), status=Status.DRAFT)
    for fmt in ("pdf", "docx"):
        assert client.get(public_url(fmt)).status_code == 404
        assert client.post(public_url(fmt)).status_code in (403, 405)


@pytest.mark.django_db
def test_staff_download_a_draft_as_documents(client, coordinator, other_coordinator):
    version = make_version(make_agreement("0642"), status=Status.DRAFT, marker="UTKASTMARKÖR")
    url = reverse("agreements:download-version", args=[version.agreement_id, 1, "docx"])
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "UTKASTMARKÖR" in "\n".join(p.text for p in docx_paragraphs(response.content))
    pdf = client.get(reverse("agreements:download-version", args=[version.agreement_id, 1, "pdf"]))
    assert pdf.status_code == 200
    assert "UTKASTMARKÖR" in pdf_text(pdf.content)
    assert pdf["Content-Disposition"] == 'attachment; filename="medborgarlofte-0642-2024-v1.pdf"'
