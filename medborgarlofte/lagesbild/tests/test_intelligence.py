"""The police intelligence summary never reaches anyone but the police.

Every lägesbild output (pages, fragments, PDFs, the JSON export, frozen versions, the
public chain, the agreement pages and the API) is rendered for coordinator, reader,
other_coordinator and anonymous, and searched for a marker string in the summary.
As police the marker appears, and the read is in the audit log.
"""

import subprocess

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry

from .conftest import MARKER

PERSONAS = ["coordinator", "reader", "other_coordinator", "anonymous"]


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _outputs(lb, version):
    return [
        reverse("lagesbild:municipality", args=["0642"]),
        reverse("lagesbild:intelligence", args=["0642"]),
        reverse("lagesbild:document", args=[lb.pk]),
        reverse("lagesbild:export", args=[lb.pk]),
        reverse("lagesbild:version", args=[lb.pk, version.number]),
        reverse("agreements:audit-log", args=["0642"]),
        reverse("lagesbild_public:chain", args=["0642", 2024]),
        "/kommun/0642/",
        "/api/v1/agreements/",
    ]


PDFS = ["lagesbild:document-pdf", "lagesbild:version-pdf"]


@pytest.fixture
def login(client, request):
    def _login(persona):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return _login


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_shows_intelligence_to_anyone_but_the_police(
    lagesbild, frozen, login, persona, tmp_path
):
    client = login(persona)
    if persona in {"coordinator", "reader"}:  # they do see the document itself
        page = client.get(reverse("lagesbild:document", args=[lagesbild.pk]))
        assert page.status_code == 200
        assert "Narkotika i centrum" in page.content.decode()
    assert MARKER in frozen.police_sections[0]["text"]  # the frozen copy holds it
    assert MARKER not in str(frozen.content)
    for url in _outputs(lagesbild, frozen):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.encode() not in body, url
    args = {"lagesbild:document-pdf": [lagesbild.pk], "lagesbild:version-pdf": [lagesbild.pk, 1]}
    for name in PDFS:
        response = client.get(reverse(name, args=args[name]))
        if response.status_code == 200:
            assert MARKER not in _pdf_text(response.content, tmp_path), name
    assert (
        not AuditEntry.objects.filter(action="read_intelligence")
        .exclude(actor_label="kommunpolis")
        .exists()
    )


def test_it_shows_intelligence_to_the_police_and_logs_every_read(
    lagesbild, frozen, client, police, tmp_path
):
    client.force_login(police)
    before = AuditEntry.objects.filter(action="read_intelligence").count()
    for url in [
        reverse("lagesbild:intelligence", args=["0642"]),
        reverse("lagesbild:document", args=[lagesbild.pk]),
        reverse("lagesbild:version", args=[lagesbild.pk, frozen.number]),
    ]:
        response = client.get(url)
        assert MARKER in response.content.decode(), url
    reads = AuditEntry.objects.filter(action="read_intelligence").order_by("id")
    assert reads.count() == before + 3
    last = reads.last()
    assert last.actor == police
    assert last.municipality.code == "0642"
    assert reverse("lagesbild:version", args=[lagesbild.pk, frozen.number]) in last.summary
    # the ordinary PDF leaves the police section out; exported with a reason, it is in
    pdf = client.get(reverse("lagesbild:document-pdf", args=[lagesbild.pk]))
    assert MARKER not in _pdf_text(pdf.content, tmp_path)
    assert reads.count() == before + 3
    url = reverse("lagesbild:document-pdf", args=[lagesbild.pk])
    pdf = client.get(url, {"syfte": "meeting"})
    assert MARKER in _pdf_text(pdf.content, tmp_path)
    assert reads.count() == before + 4
    assert reads.last().after == {"purpose": "pdf", "page": url, "reason": "meeting"}
    # the export never carries it, not even for the police
    export = client.get(reverse("lagesbild:export", args=[lagesbild.pk]))
    assert MARKER not in export.content.decode()


def test_it_never_writes_the_intelligence_text_into_the_audit_log(lagesbild, frozen):
    for entry in AuditEntry.objects.all():
        assert MARKER not in f"{entry.summary} {entry.before} {entry.after}"
