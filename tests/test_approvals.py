"""The two-party approval (accounts/approvals.py), path by path, for every document that
uses it: the agreement version, the lägesbild and the follow-up.

Each document is described once (how to make a draft, edit it, add an item to it,
publish it and show it); every test runs for all three.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts import approvals
from medborgarlofte.accounts.models import AuditEntry


@dataclass
class Document:
    noun: str
    make: Callable  # (users) -> a draft document
    approve: Callable  # (doc, user, party_kind) -> ...
    withdraw: Callable  # (doc, user, party_kind) -> None
    edit: Callable  # (doc, user) -> approvals cleared
    add_item: Callable  # (doc, user) -> approvals cleared, as the add service reports it
    publish: Callable  # (doc, user) -> None, after both have approved
    page: Callable  # (doc) -> URL of the document's page
    approve_url: Callable  # (doc) -> URL the fragment posts to
    agreed_status: str  # the status once both have approved


# --- Agreements -----------------------------------------------------------------------


def _agreement_draft(users):
    from medborgarlofte.agreements.importing import import_agreement_document

    return import_agreement_document(users["document"], user=users["coordinator"]).version


def _agreement_approve(version, user, kind):
    from medborgarlofte.agreements import services

    services.approve_agreement(version, user, kind)


def _agreement_withdraw(version, user, kind):
    from medborgarlofte.agreements import services

    services.withdraw_approval(version, user, kind)


def _agreement_edit(version, user):
    from medborgarlofte.agreements import services

    return services.update_version_details(version, user, title="Ny titel").approvals_cleared


def _agreement_add(version, user):
    from medborgarlofte.agreements import services

    return services.add_focus_area(version, user, key="nytt", title="Nytt").approvals_cleared


def _agreement_publish(version, user):
    from medborgarlofte.agreements import services

    services.publish_agreement(version, user)


AGREEMENT = Document(
    noun="agreement",
    make=_agreement_draft,
    approve=_agreement_approve,
    withdraw=_agreement_withdraw,
    edit=_agreement_edit,
    add_item=_agreement_add,
    publish=_agreement_publish,
    page=lambda v: reverse("agreements:version", args=[v.agreement_id, v.number]),
    approve_url=lambda v: reverse("agreements:approve", args=[v.agreement_id, v.number]),
    agreed_status="agreed",
)


# --- Lägesbild ------------------------------------------------------------------------


def _lagesbild_draft(users):
    from medborgarlofte.lagesbild import services

    lagesbild = services.create_lagesbild(
        users["mullsjo"],
        users["coordinator"],
        title="Lägesbild Mullsjö 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        promise_year=2024,
    )
    services.add_problem(lagesbild, users["coordinator"], title="Klotter vid stationen")
    lagesbild.refresh_from_db()
    return lagesbild


def _lagesbild_approve(lagesbild, user, kind):
    from medborgarlofte.lagesbild import services

    services.approve_lagesbild(lagesbild, user, kind)


def _lagesbild_withdraw(lagesbild, user, kind):
    from medborgarlofte.lagesbild import services

    services.withdraw_approval(lagesbild, user, kind)


def _lagesbild_edit(lagesbild, user):
    from medborgarlofte.lagesbild import services

    return services.update_lagesbild(lagesbild, user, analysis="Ny analys.")


def _lagesbild_add(lagesbild, user):
    from medborgarlofte.lagesbild import services

    return services.add_problem(lagesbild, user, title="Skadegörelse").approvals_cleared


LAGESBILD = Document(
    noun="lagesbild",
    make=_lagesbild_draft,
    approve=_lagesbild_approve,
    withdraw=_lagesbild_withdraw,
    edit=_lagesbild_edit,
    add_item=_lagesbild_add,
    publish=lambda lagesbild, user: None,  # the approval that completes both freezes it
    page=lambda lb: reverse("lagesbild:document", args=[lb.pk]),
    approve_url=lambda lb: reverse("lagesbild:approve", args=[lb.pk]),
    agreed_status="approved",
)


# --- Follow-up ------------------------------------------------------------------------


def _followup_draft(users):
    from medborgarlofte.agreements import services as agreement_services
    from medborgarlofte.followup import services

    version = _agreement_draft(users)
    agreement_services.approve_agreement(version, users["coordinator"], "municipality")
    agreement_services.approve_agreement(version, users["police"], "police")
    agreement_services.publish_agreement(version, users["coordinator"])
    followup, _cleared = services.save_followup(
        version.agreement,
        users["coordinator"],
        "t1",
        statuses={"m24-01": ("done", "")},
        narratives={},
    )
    return followup


def _followup_approve(followup, user, kind):
    from medborgarlofte.followup import services

    services.approve_followup(followup, user, kind)


def _followup_withdraw(followup, user, kind):
    from medborgarlofte.followup import services

    services.withdraw_approval(followup, user, kind)


def _followup_edit(followup, user):
    from medborgarlofte.followup import services

    _f, cleared = services.save_followup(
        followup.agreement,
        user,
        followup.period,
        statuses={"m24-01": ("ongoing", "")},
        narratives={},
    )
    return cleared


def _followup_add(followup, user):
    # A follow-up has no items of its own: adding a status is saving it.
    from medborgarlofte.followup import services

    _f, cleared = services.save_followup(
        followup.agreement,
        user,
        followup.period,
        statuses={"m24-02": ("ongoing", "")},
        narratives={},
    )
    return cleared


def _followup_publish(followup, user):
    from medborgarlofte.followup import services

    services.publish_followup(followup, user)


def _followup_url(name, followup):
    agreement = followup.agreement
    return reverse(name, args=[agreement.municipality.code, agreement.year, followup.period])


FOLLOWUP = Document(
    noun="followup",
    make=_followup_draft,
    approve=_followup_approve,
    withdraw=_followup_withdraw,
    edit=_followup_edit,
    add_item=_followup_add,
    publish=_followup_publish,
    page=lambda f: _followup_url("followup:followup", f),
    approve_url=lambda f: _followup_url("followup:approve-followup", f),
    agreed_status="agreed",
)


@pytest.fixture(params=[AGREEMENT, LAGESBILD, FOLLOWUP], ids=lambda d: d.noun)
def kind(request):
    return request.param


@pytest.fixture
def users(mullsjo, coordinator, police, reader, mullsjo_document, settings, tmp_path):
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    return {
        "mullsjo": mullsjo,
        "coordinator": coordinator,
        "police": police,
        "reader": reader,
        "document": mullsjo_document,
    }


@pytest.fixture
def doc(kind, users):
    return kind.make(users)


def _fresh(document):
    document.refresh_from_db()
    return document


def _actions(document) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type=document._meta.model_name, object_id=str(document.pk)
        ).values_list("action", flat=True)
    )


def _approve_both(kind, document, users):
    kind.approve(document, users["coordinator"], "municipality")
    kind.approve(document, users["police"], "police")
    return _fresh(document)


# --- Service level ----------------------------------------------------------------------


def test_an_approval_is_recorded_and_audited(kind, doc, users):
    kind.approve(doc, users["coordinator"], "municipality")
    doc = _fresh(doc)
    assert approvals.approved_kinds(doc) == {"municipality"}
    assert doc.approvals.get().user == users["coordinator"]
    assert doc.status == "draft"
    assert not approvals.both_approved(doc)
    entry = AuditEntry.objects.get(action=f"approve_{kind.noun}", object_id=str(doc.pk))
    assert entry.after == {"party": "municipality"}
    assert entry.actor == users["coordinator"]
    assert f"agree_{kind.noun}" not in _actions(doc)


def test_both_approved_is_audited_once_and_sets_the_status(kind, doc, users):
    doc = _approve_both(kind, doc, users)
    assert approvals.both_approved(doc)
    assert doc.status == kind.agreed_status
    assert _actions(doc).count(f"agree_{kind.noun}") == 1
    assert _actions(doc).count(f"approve_{kind.noun}") == 2


def test_a_party_approves_only_once(kind, doc, users):
    kind.approve(doc, users["coordinator"], "municipality")
    with pytest.raises(ValidationError):
        kind.approve(doc, users["coordinator"], "municipality")
    assert _fresh(doc).approvals.count() == 1


def test_withdrawing_removes_the_approval_and_is_audited(kind, doc, users):
    kind.approve(doc, users["police"], "police")
    kind.withdraw(doc, users["police"], "police")
    doc = _fresh(doc)
    assert doc.approvals.count() == 0
    assert doc.status == "draft"
    entry = AuditEntry.objects.get(action=f"withdraw_{kind.noun}_approval", object_id=str(doc.pk))
    assert entry.before == {"party": "police"}


# Both approvals freeze the lägesbild (its publication): see the test after publication.
@pytest.mark.parametrize("kind", [AGREEMENT, FOLLOWUP], ids=lambda d: d.noun)
def test_withdrawing_after_both_approved_sets_the_document_back_to_draft(kind, doc, users):
    doc = _approve_both(kind, doc, users)
    kind.withdraw(doc, users["coordinator"], "municipality")
    doc = _fresh(doc)
    assert doc.status == "draft"
    assert approvals.approved_kinds(doc) == {"police"}
    with pytest.raises(ValidationError):
        kind.publish(doc, users["coordinator"])


def test_withdrawing_nothing_is_refused(kind, doc, users):
    with pytest.raises(ValidationError):
        kind.withdraw(doc, users["police"], "police")


def test_an_edit_clears_the_approvals_and_says_so(kind, doc, users):
    kind.approve(doc, users["police"], "police")
    cleared = kind.edit(doc, users["coordinator"])
    doc = _fresh(doc)
    assert cleared == 1
    assert doc.approvals.count() == 0
    assert doc.status == "draft"
    entry = AuditEntry.objects.get(action=f"clear_{kind.noun}_approvals", object_id=str(doc.pk))
    assert entry.before == {"parties": ["police"]}
    assert kind.edit(doc, users["coordinator"]) == 0  # nothing left to clear
    assert _actions(doc).count(f"clear_{kind.noun}_approvals") == 1


def test_adding_an_item_clears_the_approvals_and_says_so(kind, doc, users):
    kind.approve(doc, users["coordinator"], "municipality")
    assert kind.add_item(doc, users["coordinator"]) == 1
    assert _fresh(doc).approvals.count() == 0


def test_an_edit_after_both_approved_clears_both(kind, doc, users):
    doc = _approve_both(kind, doc, users)
    assert kind.edit(doc, users["coordinator"]) == 2
    doc = _fresh(doc)
    assert doc.status == "draft"
    assert not approvals.both_approved(doc)


@pytest.mark.parametrize(
    ("who", "party_kind"),
    [("coordinator", "police"), ("police", "municipality"), ("reader", None), ("police", "other")],
)
def test_approving_for_a_party_one_does_not_speak_for_is_refused(kind, doc, users, who, party_kind):
    with pytest.raises(PermissionDenied):
        kind.approve(doc, users[who], party_kind)
    assert _fresh(doc).approvals.count() == 0


def test_withdrawing_another_partys_approval_is_refused(kind, doc, users):
    kind.approve(doc, users["police"], "police")
    with pytest.raises(PermissionDenied):
        kind.withdraw(doc, users["coordinator"], "police")
    assert approvals.approved_kinds(_fresh(doc)) == {"police"}


def test_withdrawing_after_publication_is_refused(kind, doc, users):
    doc = _approve_both(kind, doc, users)
    kind.publish(doc, users["coordinator"])
    doc = _fresh(doc)
    assert doc.approvals_final
    with pytest.raises(ValidationError):
        kind.withdraw(doc, users["police"], "police")
    assert approvals.both_approved(_fresh(doc))
    assert f"withdraw_{kind.noun}_approval" not in _actions(doc)


# --- The fragment and the views ---------------------------------------------------------


def test_the_page_shows_the_approval_fragment(kind, doc, users, client):
    kind.approve(doc, users["police"], "police")
    client.force_login(users["police"])
    page = client.get(kind.page(doc)).content.decode()
    assert 'id="approvals"' in page
    assert f'action="{kind.approve_url(doc)}"' in page
    assert '<input type="hidden" name="party_kind" value="police">' in page
    assert 'value="withdraw"' in page  # the police have approved: they may withdraw
    client.force_login(users["coordinator"])
    page = client.get(kind.page(doc)).content.decode()
    assert '<input type="hidden" name="party_kind" value="municipality">' in page
    assert 'value="withdraw"' not in page


def test_the_view_approves_and_withdraws_with_party_kind(kind, doc, users, client):
    client.force_login(users["coordinator"])
    response = client.post(
        kind.approve_url(doc), {"party_kind": "municipality", "action": "approve"}, follow=True
    )
    assert response.status_code == 200
    assert approvals.approved_kinds(_fresh(doc)) == {"municipality"}
    response = client.post(
        kind.approve_url(doc), {"party_kind": "municipality", "action": "withdraw"}, follow=True
    )
    assert response.status_code == 200
    assert _fresh(doc).approvals.count() == 0


def test_the_view_answers_403_for_a_party_the_user_does_not_speak_for(kind, doc, users, client):
    client.force_login(users["coordinator"])
    response = client.post(kind.approve_url(doc), {"party_kind": "police", "action": "approve"})
    assert response.status_code == 403
    assert _fresh(doc).approvals.count() == 0


def test_the_view_shows_a_state_error_as_a_message(kind, doc, users, client):
    client.force_login(users["police"])
    response = client.post(
        kind.approve_url(doc), {"party_kind": "police", "action": "withdraw"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain  # back to the page, with the message
    page = response.content.decode()
    assert "nothing to withdraw" in page or "inget godkännande att dra tillbaka" in page
