"""Comments between the parties on a draft (accounts/comments.py, privacy/comments.py),
for every document they write together: the agreement version, the lägesbild and the
follow-up. The documents are made as in tests/test_approvals.py."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts import comments
from medborgarlofte.accounts.models import AuditEntry, Comment

from .test_approvals import AGREEMENT, FOLLOWUP, LAGESBILD, users  # noqa: F401

SECRET = "Villkor: ändra texten om grannsamverkan"


@pytest.fixture(params=[AGREEMENT, LAGESBILD, FOLLOWUP], ids=lambda d: d.noun)
def kind(request):
    return request.param


@pytest.fixture
def doc(kind, users):  # noqa: F811
    return kind.make(users)


def _anchor(document) -> str:
    """A part of the document other than the whole (a commitment or a problem)."""
    return comments.anchor_choices(document)[1][0]


# --- Service level ----------------------------------------------------------------------


def test_a_thread_is_written_answered_resolved_and_audited(kind, doc, users):  # noqa: F811
    police, coordinator = users["police"], users["coordinator"]
    first = comments.add(police, doc, SECRET, anchor=_anchor(doc))
    assert first.anchor_kind != "document" and first.anchor_label
    assert comments.open_count(doc) == 1
    reply = comments.add(coordinator, doc, "Ändrat, se ny lydelse.", parent=first)
    assert reply.anchor_ref == first.anchor_ref
    [thread] = comments.threads(doc)
    assert thread["comment"] == first and thread["replies"] == [reply]
    comments.set_resolved(police, doc, first, True)
    assert comments.open_count(doc) == 0
    first.refresh_from_db()
    assert first.resolved_by == police
    actions = list(
        AuditEntry.objects.filter(object_type="comment").values_list("action", flat=True)
    )
    assert sorted(actions) == ["add_comment", "reply_comment", "resolve_comment"]
    # The audit log names the document, never the comment's text.
    assert not AuditEntry.objects.filter(summary__contains="grannsamverkan").exists()


def test_an_answer_opens_a_resolved_thread_again(kind, doc, users):  # noqa: F811
    first = comments.add(users["police"], doc, "Fråga")
    comments.set_resolved(users["police"], doc, first, True)
    comments.add(users["coordinator"], doc, "Ny fråga om samma sak", parent=first)
    assert comments.open_count(doc) == 1


def test_readers_and_other_kommuner_may_not_comment(kind, doc, users, other_coordinator):  # noqa: F811
    with pytest.raises(PermissionDenied):
        comments.add(users["reader"], doc, "Hej")
    with pytest.raises(PermissionDenied):
        comments.add(other_coordinator, doc, "Hej")
    assert not Comment.objects.exists()


def test_an_unknown_anchor_is_refused(kind, doc, users):  # noqa: F811
    with pytest.raises(ValidationError):
        comments.add(users["police"], doc, "Hej", anchor="commitment:finns-inte")


def test_the_to_do_list_shows_threads_waiting_for_the_user(kind, doc, users):  # noqa: F811
    first = comments.add(users["police"], doc, "Kan ni ändra nivån?")
    todo = comments.open_comments_for(users["coordinator"], users["mullsjo"])
    assert [row["comment"] for row in todo] == [first]
    assert todo[0]["url"].endswith(f"#comment-{first.pk}")
    assert comments.open_comments_for(users["police"], users["mullsjo"]) == []
    assert comments.open_comments_for(users["reader"], users["mullsjo"]) == []
    comments.add(users["coordinator"], doc, "Ja", parent=first)
    assert comments.open_comments_for(users["coordinator"], users["mullsjo"]) == []
    assert len(comments.open_comments_for(users["police"], users["mullsjo"])) == 1


# --- Pages ------------------------------------------------------------------------------


def test_the_whole_flow_through_the_pages(kind, doc, users, client):  # noqa: F811
    client.force_login(users["police"])
    page = kind.page(doc)
    url = reverse("privacy:comment", args=[comments.kind_of(doc).kind, doc.pk])
    response = client.post(url, {"action": "add", "anchor": _anchor(doc), "text": SECRET})
    assert response.status_code == 302
    first = Comment.objects.get()
    assert response["Location"] == f"{page}#comment-{first.pk}"
    body = client.get(page).content.decode()
    assert SECRET in body
    assert "1 olöst kommentar" in body

    client.force_login(users["coordinator"])
    response = client.post(url, {"action": "add", "parent": first.pk, "text": "Fixat"})
    assert response.status_code == 302
    assert first.replies.get().text == "Fixat"
    response = client.post(url, {"action": "resolve", "comment": first.pk})
    assert response.status_code == 302
    body = client.get(page).content.decode()
    assert "olöst" not in body

    # The reader sees the document but not the drafting discussion, and may not post.
    client.force_login(users["reader"])
    assert SECRET not in client.get(page).content.decode()
    assert client.post(url, {"action": "add", "text": "Hej"}).status_code == 403


def test_personal_data_in_a_comment_is_stopped(kind, doc, users, client):  # noqa: F811
    client.force_login(users["police"])
    url = reverse("privacy:comment", args=[comments.kind_of(doc).kind, doc.pk])
    response = client.post(url, {"action": "add", "text": "Ring mig på 070-123 45 67"})
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert "telefonnummer" in response.content.decode()


def test_other_kommuner_get_404(kind, doc, users, client, other_coordinator):  # noqa: F811
    client.force_login(other_coordinator)
    url = reverse("privacy:comment", args=[comments.kind_of(doc).kind, doc.pk])
    assert client.post(url, {"action": "add", "text": "Hej"}).status_code == 404
    assert client.post(reverse("privacy:comment", args=["nothing", 1]), {}).status_code == 404


def test_a_published_document_takes_no_new_comments(kind, doc, users):  # noqa: F811
    comments.add(users["police"], doc, "Före publicering")
    kind.approve(doc, users["coordinator"], "municipality")
    kind.approve(doc, users["police"], "police")
    doc.refresh_from_db()
    kind.publish(doc, users["coordinator"])
    doc.refresh_from_db()
    with pytest.raises(ValidationError):
        comments.add(users["police"], doc, "Efter")


def test_comments_are_in_no_export_or_public_page(users, client):  # noqa: F811
    """The agreement: the YAML/JSON export, the DOCX-free exchange document, the public
    pages after publication; the lägesbild: its PDF and JSON."""
    from medborgarlofte.agreements.exchange import export_version_document

    version = AGREEMENT.make(users)
    comments.add(users["police"], version, SECRET, anchor=_anchor(version))
    client.force_login(users["coordinator"])
    for fmt in ("yaml", "json"):
        url = reverse(
            "agreements:download-version", args=[version.agreement_id, version.number, fmt]
        )
        assert SECRET not in client.get(url).content.decode()
    assert SECRET not in json.dumps(export_version_document(version), ensure_ascii=False)

    lagesbild = LAGESBILD.make(users)
    comments.add(users["police"], lagesbild, SECRET)
    assert SECRET in client.get(reverse("lagesbild:document", args=[lagesbild.pk])).content.decode()
    export = client.get(reverse("lagesbild:export", args=[lagesbild.pk]))
    assert SECRET not in export.content.decode()
    pdf = client.get(reverse("lagesbild:document-pdf", args=[lagesbild.pk]))
    assert pdf.status_code == 200
    assert SECRET.encode() not in pdf.content

    # Published: the public pages of the kommun do not carry the comments.
    AGREEMENT.approve(version, users["coordinator"], "municipality")
    AGREEMENT.approve(version, users["police"], "police")
    version.refresh_from_db()
    AGREEMENT.publish(version, users["coordinator"])
    client.logout()
    for name, args in [
        ("publicsite:municipality", [users["mullsjo"].code]),
    ]:
        response = client.get(reverse(name, args=args), follow=True)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
