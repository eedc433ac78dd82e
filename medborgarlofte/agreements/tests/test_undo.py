"""Undo a delete in the agreement editor (accounts/undo.py, services.restore_deleted)."""

import pytest
from django.urls import reverse

from medborgarlofte.accounts import undo
from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Indicator


@pytest.fixture
def draft(db, coordinator, mullsjo_document):
    return import_agreement_document(mullsjo_document, user=coordinator).version


def _url(name, version, *args):
    return reverse(f"agreements:{name}", args=[version.agreement_id, version.number, *args])


def _indicator(coordinator, draft):
    commitment = draft.commitments.order_by("position", "pk")[1]
    for title in ("Antal trygghetsvandringar", "Andel som känner sig trygga"):
        services.add_indicator(commitment, coordinator, title=title, kind="output", unit="st")
    return commitment, commitment.indicators.get(title="Antal trygghetsvandringar")


def test_a_deleted_indicator_comes_back_in_its_place_and_clears_approvals(
    client, coordinator, police, draft
):
    commitment, indicator = _indicator(coordinator, draft)
    client.force_login(coordinator)
    response = client.post(_url("delete-indicator", draft, indicator.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#c{commitment.pk}")
    assert not Indicator.objects.filter(title="Antal trygghetsvandringar").exists()
    page = client.get(_url("version", draft)).content.decode()
    assert 'class="undo-bar' in page and "Antal trygghetsvandringar" in page
    assert "Ångra" in page

    services.approve_agreement(draft, police)
    assert draft.approvals.count() == 1
    response = client.post(_url("undo-delete", draft))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#c{commitment.pk}")
    assert [i.title for i in commitment.indicators.all()] == [
        "Antal trygghetsvandringar",
        "Andel som känner sig trygga",
    ]
    restored = commitment.indicators.get(title="Antal trygghetsvandringar")
    assert (restored.kind, restored.unit) == ("output", "st")
    assert draft.approvals.count() == 0  # restoring is an edit like any other
    entry = AuditEntry.objects.get(action="restore_indicator")
    assert entry.actor == coordinator and entry.object_id == str(restored.pk)
    page = client.get(_url("version", draft)).content.decode()
    assert 'class="undo-bar' not in page  # once only
    client.post(_url("undo-delete", draft))
    assert commitment.indicators.count() == 2


def test_a_deleted_commitment_comes_back_with_its_owners_and_indicators(client, coordinator, draft):
    commitment, _indicator_row = _indicator(coordinator, draft)
    section, ref, text = commitment.section, commitment.ref, commitment.text
    owners = [p.pk for p in commitment.owner_parties()]
    order = list(section.commitments.values_list("ref", flat=True))
    client.force_login(coordinator)
    client.post(_url("update-commitment", draft, commitment.pk), {"action": "delete"})
    assert not draft.commitments.filter(ref=ref).exists()
    client.post(_url("undo-delete", draft))
    restored = draft.commitments.get(ref=ref)
    assert restored.text == text and restored.section == section
    assert [p.pk for p in restored.owner_parties()] == owners
    assert restored.indicators.count() == 2
    assert list(section.commitments.values_list("ref", flat=True)) == order


def test_a_deleted_focus_area_and_crime_category_come_back(client, coordinator, draft):
    area = services.add_focus_area(draft, coordinator, key="trygghet", title="Trygghet")
    section = draft.sections.first()
    section.focus_area = area
    section.save()
    client.force_login(coordinator)
    client.post(_url("delete-focus-area", draft, area.pk))
    assert not draft.focus_areas.filter(key="trygghet").exists()
    client.post(_url("undo-delete", draft))
    restored = draft.focus_areas.get(key="trygghet")
    section.refresh_from_db()
    assert restored.title == "Trygghet" and section.focus_area == restored

    category = services.add_crime_category(draft, coordinator, name="Skadegörelse")
    client.post(_url("delete-crime-category", draft, category.pk))
    assert not draft.crime_categories.filter(name="Skadegörelse").exists()
    client.post(_url("undo-delete", draft))
    assert draft.crime_categories.filter(name="Skadegörelse").count() == 1


def test_undo_is_refused_once_the_window_is_over(client, coordinator, draft, settings):
    _commitment, indicator = _indicator(coordinator, draft)
    client.force_login(coordinator)
    client.post(_url("delete-indicator", draft, indicator.pk))
    session = client.session
    entry = session[undo.SESSION_KEY]
    entry["at"] = "2000-01-01T00:00:00+00:00"
    session[undo.SESSION_KEY] = entry
    session.save()
    response = client.post(_url("undo-delete", draft), follow=True)
    assert "inget att ångra" in response.content.decode()
    assert not Indicator.objects.filter(title="Antal trygghetsvandringar").exists()


def test_another_user_cannot_undo_my_delete(client, coordinator, police, draft):
    _commitment, indicator = _indicator(coordinator, draft)
    client.force_login(coordinator)
    client.post(_url("delete-indicator", draft, indicator.pk))
    client.force_login(police)  # a new session: the snapshot stays with its author
    client.post(_url("undo-delete", draft))
    assert not Indicator.objects.filter(title="Antal trygghetsvandringar").exists()
