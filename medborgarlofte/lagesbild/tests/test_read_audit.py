"""Every read of police-only material is logged with who, when (UTC), what and why.

Why is taken from the page (reading the summaries, working on the lägesbild, reading a
frozen version); only the PDF export with the police section asks for a reason. The
entries are append-only, and only the kommun's police users see them in the audit log.
"""

from datetime import UTC

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from medborgarlofte.accounts.models import AuditEntry

from .conftest import MARKER

READS = AuditEntry.objects.filter(action="read_intelligence").order_by("id")


@pytest.fixture
def english(client):
    client.cookies["medborgarlofte_language"] = "en"
    return client


def test_each_page_records_why_it_showed_the_text(english, lagesbild, frozen, police):
    client = english
    client.force_login(police)
    pages = {
        "summaries": reverse("lagesbild:intelligence", args=["0642"]),
        "lagesbild": reverse("lagesbild:document", args=[lagesbild.pk]),
        "version": reverse("lagesbild:version", args=[lagesbild.pk, frozen.number]),
    }
    for purpose, url in pages.items():
        before = READS.count()
        assert MARKER in client.get(url).content.decode()
        assert READS.count() == before + 1
        entry = READS.last()
        assert entry.actor == police and entry.actor_label == "kommunpolis"
        assert entry.at.utcoffset().total_seconds() == 0 and entry.at.tzinfo is not None
        assert entry.after == {"purpose": purpose, "page": url}
        assert entry.object_type in {"intelligencesummary", "lagesbildversion"}
    entry = READS.last()
    assert (entry.object_type, entry.object_id) == ("lagesbildversion", str(frozen.pk))
    assert entry.at.astimezone(UTC) == entry.at
    log = client.get(reverse("agreements:audit-log", args=["0642"])).content.decode()
    assert "Reading a frozen version of the situational picture" in log
    assert "Reading the intelligence summaries" in log


def test_the_ordinary_pdf_leaves_the_police_section_out(client, lagesbild, frozen, police):
    client.force_login(police)
    before = READS.count()
    for url in [
        reverse("lagesbild:document-pdf", args=[lagesbild.pk]),
        reverse("lagesbild:version-pdf", args=[lagesbild.pk, frozen.number]),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert READS.count() == before  # nothing read, nothing logged


def test_an_export_with_the_police_section_asks_why(english, lagesbild, frozen, police):
    client = english
    client.force_login(police)
    page = client.get(reverse("lagesbild:version", args=[lagesbild.pk, frozen.number]))
    assert 'name="syfte"' in page.content.decode()  # the form next to the police section
    url = reverse("lagesbild:version-pdf", args=[lagesbild.pk, frozen.number])
    before = READS.count()
    refused = client.get(url, {"syfte": "other"})  # "other" needs a written reason
    assert refused.status_code == 302 and refused["Location"].endswith("#intelligence")
    assert READS.count() == before
    response = client.get(url, {"syfte": "other", "motivering": "Begäran från åklagare"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = READS.last()
    assert READS.count() == before + 1
    assert entry.after == {
        "purpose": "pdf",
        "page": url,
        "reason": "other",
        "note": "Begäran från åklagare",
    }
    with translation.override("en"):  # `why` is read in the reader's language
        why = entry.why
    assert why == "PDF export with the police section: Other (write why) – Begäran från åklagare"
    log = client.get(reverse("agreements:audit-log", args=["0642"])).content.decode()
    assert "Begäran från åklagare" in log


def test_only_the_police_see_the_reads_in_the_audit_log(
    client, lagesbild, frozen, police, coordinator
):
    client.force_login(police)
    client.get(reverse("lagesbild:intelligence", args=["0642"]))
    client.force_login(coordinator)
    log = client.get(reverse("agreements:audit-log", args=["0642"])).content.decode()
    assert "approve_lagesbild" in log  # the coordinator does see the rest of the log
    for action in ["read_intelligence", "create_intelligence", "update_intelligence"]:
        assert action not in log
    client.force_login(police)
    log = client.get(reverse("agreements:audit-log", args=["0642"])).content.decode()
    assert "read_intelligence" in log and "create_intelligence" in log


def test_read_entries_cannot_be_changed_or_removed(client, lagesbild, police):
    """The ORM guard (accounts.models) holds on SQLite and PostgreSQL alike: the suite
    runs on both (docs/development.md)."""
    client.force_login(police)
    client.get(reverse("lagesbild:intelligence", args=["0642"]))
    entry = READS.last()
    snapshot = (entry.actor_id, entry.at, entry.summary, entry.after)
    entry.after = {"purpose": "nothing to see"}
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        READS.filter(pk=entry.pk).update(summary="")
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["after"])
    with pytest.raises(PermissionError):
        READS.filter(actor=police).delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.at, entry.summary, entry.after) == snapshot
