"""The agreement editor: edits clear approvals, both parties approve, publishing freezes."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import services
from medborgarlofte.agreements.history import version_history
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Commitment, Status


@pytest.fixture
def draft(db, coordinator, mullsjo_document):
    return import_agreement_document(mullsjo_document, user=coordinator).version


def _commitment_form(commitment, text, owners):
    prefix = f"c{commitment.pk}"
    data = {
        f"{prefix}-text": text,
        f"{prefix}-level": commitment.level,
        f"{prefix}-cadence": commitment.cadence,
        "action": "save",
    }
    data[f"{prefix}-owners"] = [p.pk for p in owners]
    return data


def _editor(version):
    return reverse("agreements:version", args=[version.agreement_id, version.number])


def test_it_shows_the_editor_with_all_19_commitments(client, coordinator, draft):
    client.force_login(coordinator)
    response = client.get(_editor(draft))
    assert response.status_code == 200
    assert response.content.decode().count('class="commitment-text"') == 19
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


def test_it_clears_approvals_when_a_commitment_is_edited(client, coordinator, police, draft):
    services.approve_agreement(draft, police)
    assert draft.approvals.count() == 1
    commitment = draft.commitments.first()
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "agreements:update-commitment", args=[draft.agreement_id, draft.number, commitment.pk]
        ),
        _commitment_form(
            commitment, "Nytt löfte om veckovis lägesbild.", commitment.owner_parties()
        ),
        follow=True,
    )
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert commitment.text == "Nytt löfte om veckovis lägesbild."
    assert draft.approvals.count() == 0
    assert "godkännandena" in response.content.decode() or "approvals" in response.content.decode()
    entry = AuditEntry.objects.filter(action="update_commitment").get()
    assert entry.before["text"] != entry.after["text"]
    assert entry.actor == coordinator


def test_it_keeps_the_commitment_when_the_form_is_invalid(client, coordinator, draft):
    commitment = draft.commitments.first()
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "agreements:update-commitment", args=[draft.agreement_id, draft.number, commitment.pk]
        ),
        _commitment_form(commitment, "", []),
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).text == commitment.text


def test_it_needs_both_parties_before_publishing(coordinator, police, draft):
    services.approve_agreement(draft, coordinator)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    with pytest.raises(ValidationError):
        services.publish_agreement(draft, coordinator)
    services.approve_agreement(draft, police)
    draft.refresh_from_db()
    assert draft.status == Status.AGREED
    services.publish_agreement(draft, police)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_by == police


def test_it_refuses_a_second_approval_for_the_same_party(coordinator, draft):
    services.approve_agreement(draft, coordinator)
    with pytest.raises(ValidationError):
        services.approve_agreement(draft, coordinator)


def test_it_does_not_let_a_reader_approve(reader, draft):
    with pytest.raises(PermissionDenied):
        services.approve_agreement(draft, reader)


def _publish(version, coordinator, police):
    services.approve_agreement(version, coordinator)
    services.approve_agreement(version, police)
    version.refresh_from_db()
    return services.publish_agreement(version, coordinator)


def test_it_freezes_published_versions_and_starts_a_new_one(coordinator, police, draft):
    published = _publish(draft, coordinator, police)
    commitment = published.commitments.first()
    with pytest.raises(ValidationError):
        services.update_commitment(
            commitment, coordinator, text="x", owners=commitment.owner_parties()
        )
    new = services.start_new_version(published.agreement, coordinator)
    assert new.number == 2 and new.status == Status.DRAFT
    assert new.commitments.count() == 19
    assert list(new.commitments.values_list("ref", flat=True)) == list(
        published.commitments.values_list("ref", flat=True)
    )
    with pytest.raises(ValidationError):
        services.start_new_version(published.agreement, coordinator)


def test_it_shows_what_changed_between_versions(client, coordinator, police, draft):
    published = _publish(draft, coordinator, police)
    new = services.start_new_version(published.agreement, coordinator)
    commitment = new.commitments.get(ref=published.commitments.first().ref)
    services.update_commitment(
        commitment,
        coordinator,
        text="Polisen och kommunen ses varje vecka.",
        owners=commitment.owner_parties(),
        level=commitment.level,
        cadence=commitment.cadence,
    )
    history = version_history(published.agreement)
    assert [h["version"].number for h in history] == [2, 1]
    changes = history[0]["changes"]
    assert len(changes) == 1
    assert changes[0].kind == "changed"
    new_text = "".join(s.text for s in changes[0].words if s.kind != "removed")
    assert new_text == "Polisen och kommunen ses varje vecka."
    client.force_login(police)
    page = client.get(reverse("agreements:history", args=[published.agreement_id])).content.decode()
    # the new text, read without the removed words and the hidden "tillagt:" markers
    readable = re.sub(r'<del.*?</del>|<span class="visually-hidden">.*?</span>|<[^>]+>', "", page)
    assert "Polisen och kommunen ses varje vecka." in readable


def test_it_reorders_adds_and_removes_commitments(coordinator, draft):
    section = draft.sections.order_by("position")[1]
    first, second = list(section.commitments.all())[:2]
    services.move_commitment(second, coordinator, "up")
    assert list(section.commitments.all())[:2] == [second, first]
    added = services.add_commitment(
        section,
        coordinator,
        text="Ett nytt löfte.",
        owners=list(draft.parties.all()),
        cadence="monthly",
    )
    assert section.commitments.last() == added
    assert added.ref not in set(
        draft.commitments.exclude(pk=added.pk).values_list("ref", flat=True)
    )
    services.delete_commitment(added, coordinator)
    assert [c.position for c in section.commitments.all()] == list(
        range(section.commitments.count())
    )


def test_it_moves_sections(coordinator, draft):
    sections = list(draft.sections.all())
    services.move_section(sections[2], coordinator, "up")
    assert list(draft.sections.all())[1] == sections[2]
    services.move_section(sections[0], coordinator, "up")  # already first: stays
    assert list(draft.sections.all())[0] == sections[0]


def test_it_swaps_the_editor_in_place_for_htmx(client, coordinator, draft):
    client.force_login(coordinator)
    section = draft.sections.first()
    response = client.post(
        reverse("agreements:update-section", args=[draft.agreement_id, draft.number, section.pk]),
        {"action": "down"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert response.status_code == 200
    assert 'id="editor"' in response.content.decode()
    assert list(draft.sections.all())[1] == section


def test_it_answers_404_for_a_child_of_another_version(client, coordinator, police, draft):
    published = _publish(draft, coordinator, police)
    new = services.start_new_version(published.agreement, coordinator)
    old_commitment = published.commitments.first()
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "agreements:update-commitment", args=[new.agreement_id, new.number, old_commitment.pk]
        ),
        {"action": "delete"},
    )
    assert response.status_code == 404
    assert Commitment.objects.filter(pk=old_commitment.pk).exists()


def test_it_sends_a_reporter_to_incident_reporting(client, db):
    from conftest import make_user

    reporter = make_user("rapportor", [("0642", "reporter")])
    client.force_login(reporter)
    response = client.get(reverse("agreements:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:home")


def test_it_links_every_step_of_the_cycle_from_the_kommun_page(client, coordinator, draft):
    client.force_login(coordinator)
    html = client.get(reverse("agreements:municipality", args=["0642"])).content.decode()
    for name in [
        "crimestats:statistics",
        "surveys:municipality",
        "dialogues:municipality",
        "incidents:review",
        "lagesbild:municipality",
        "followup:municipality",
    ]:
        assert reverse(name, args=["0642"]) in html
