"""The agreement's follow-up plan edited in the browser (issue 14, items 2 and 5): the
same approval rules as commitments, and the rhythm saved is the one follow-up uses —
the periods of the year page, the due dates of the to-do list and the reminders."""

import datetime

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import nextyear
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.forms import DetailsForm
from medborgarlofte.followup import periods
from medborgarlofte.followup.reminders import pending_reminders
from medborgarlofte.followup.todo import todo_for

D = datetime.date


def _details(version, **changes):
    data = {
        "details-title": version.title,
        "details-police_area": version.police_area,
        "details-introduction": version.introduction,
        "details-effects": version.effects,
        "details-follow_up_text": version.follow_up_text,
        "details-signed_date": version.signed_date.isoformat() if version.signed_date else "",
    }
    data.update({f"details-{name}": value for name, value in changes.items()})
    return data


def _update_url(version):
    return reverse("agreements:update-details", args=[version.agreement_id, version.number])


def _editor(version):
    return reverse("agreements:version", args=[version.agreement_id, version.number])


@pytest.fixture
def next_draft(published, coordinator, police):
    """Mullsjö 2025, copied from the published 2024 promise, approved by the police."""
    draft = nextyear.copy_agreement(published, coordinator, start_year=2025)
    agreement_services.approve_agreement(draft, police, "police")
    return draft


def test_the_editor_offers_the_rhythm_of_the_plan(client, coordinator, next_draft):
    client.force_login(coordinator)
    page = client.get(_editor(next_draft)).content.decode()
    assert 'name="details-follow_up_rhythm"' in page
    assert 'name="details-follow_up_dates"' in page
    assert "Per tertial" in page  # the plan of Mullsjö says tertial
    assert DetailsForm(instance=next_draft).fields["follow_up_rhythm"].initial == "tertial"


def test_changing_the_rhythm_clears_approvals_and_says_so(client, coordinator, next_draft):
    client.force_login(coordinator)
    response = client.post(
        _update_url(next_draft), _details(next_draft, follow_up_rhythm="quarter"), follow=True
    )
    assert response.status_code == 200
    next_draft.refresh_from_db()
    assert next_draft.follow_up_schedule == "quarter"
    assert next_draft.approvals.count() == 0
    assert "godkännande" in response.content.decode().lower()  # the warning of cleared approvals
    entry = AuditEntry.objects.filter(action="update_agreement_details").latest("pk")
    assert entry.before["follow_up_schedule"] == "tertial"
    assert entry.after["follow_up_schedule"] == "quarter"


def test_saving_the_same_rhythm_changes_nothing(client, coordinator, police, next_draft):
    client.force_login(coordinator)
    client.post(_update_url(next_draft), _details(next_draft, follow_up_rhythm="tertial"))
    assert list(next_draft.approvals.values_list("party_kind", flat=True)) == ["police"]


def test_dates_of_our_own_choosing_are_stored_and_checked(client, coordinator, next_draft):
    client.force_login(coordinator)
    url = _update_url(next_draft)
    bad = client.post(
        url, _details(next_draft, follow_up_rhythm="dates", follow_up_dates="2024-06-15\nsnart")
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "snart" in text and "2024-06-15" in text  # not a date; outside 2025
    empty = client.post(url, _details(next_draft, follow_up_rhythm="dates", follow_up_dates=""))
    assert empty.status_code == 200
    next_draft.refresh_from_db()
    assert next_draft.follow_up_schedule == "tertial"
    assert next_draft.approvals.count() == 1  # nothing saved, nothing cleared

    client.post(
        url,
        _details(next_draft, follow_up_rhythm="dates", follow_up_dates="2025-11-30\n2025-06-15"),
    )
    next_draft.refresh_from_db()
    assert next_draft.follow_up_schedule == ["2025-06-15", "2025-11-30"]
    assert next_draft.approvals.count() == 0
    page = client.get(_editor(next_draft)).content.decode()
    assert "15 juni 2025" in page and "30 november 2025" in page


def test_a_published_plan_drives_the_periods_the_to_do_list_and_the_reminders(
    client, coordinator, police, next_draft
):
    client.force_login(coordinator)
    client.post(_update_url(next_draft), _details(next_draft, follow_up_rhythm="half_year"))
    next_draft.refresh_from_db()
    agreement_services.approve_agreement(next_draft, coordinator, "municipality")
    agreement_services.approve_agreement(next_draft, police, "police")
    next_draft.refresh_from_db()
    agreement_services.publish_agreement(next_draft, coordinator)
    agreement = next_draft.agreement

    assert periods.rhythm_for(agreement).keys() == ["h1", "h2", "year"]
    page = client.get(reverse("followup:year", args=["0642", 2025])).content.decode()
    assert reverse("followup:followup", args=["0642", 2025, "h1"]) in page
    assert reverse("followup:followup", args=["0642", 2025, "t1"]) not in page

    # The first half year ends 30 June: due 14 July. Not yet on 1 June, soon on 5 July,
    # overdue on 20 July; never a tertial.
    def followups(day):
        return [i for i in todo_for(coordinator, day) if i.kind == "followup"]

    assert followups(D(2025, 6, 1)) == []
    soon = followups(D(2025, 7, 5))
    assert len(soon) == 1 and not soon[0].overdue and "2025-07-14" in soon[0].text
    assert "halvår" in soon[0].text.lower()
    assert soon[0].url == reverse("followup:followup", args=["0642", 2025, "h1"])
    late = followups(D(2025, 7, 20))
    assert len(late) == 1 and late[0].overdue
    assert client.get(late[0].url).status_code == 200
    due = {r.key for r in pending_reminders(D(2025, 7, 5)) if r.kind == "due"}
    assert "due:h1" in due and not any(key.startswith("due:t") for key in due)


def test_the_to_do_list_follows_dates_of_the_plan(client, coordinator, police, next_draft):
    client.force_login(coordinator)
    client.post(
        _update_url(next_draft),
        _details(next_draft, follow_up_rhythm="dates", follow_up_dates="2025-03-15\n2025-10-01"),
    )
    next_draft.refresh_from_db()
    agreement_services.approve_agreement(next_draft, coordinator, "municipality")
    agreement_services.approve_agreement(next_draft, police, "police")
    next_draft.refresh_from_db()
    agreement_services.publish_agreement(next_draft, coordinator)

    items = [
        i
        for i in todo_for(coordinator, D(2025, 3, 20))
        if i.kind == "followup" and "/2025/" in i.url  # 2024's are overdue too
    ]
    assert len(items) == 1 and items[0].overdue and "2025-03-15" in items[0].text
    assert items[0].url == reverse("followup:followup", args=["0642", 2025, "d1"])
    assert client.get(items[0].url).status_code == 200


def test_a_two_year_agreement_lists_the_second_years_follow_ups(
    client, coordinator, police, published
):
    draft = nextyear.copy_agreement(published, coordinator, start_year=2025, end_year=2026)
    agreement_services.update_version_details(draft, coordinator, follow_up_schedule="quarter")
    agreement_services.approve_agreement(draft, coordinator, "municipality")
    agreement_services.approve_agreement(draft, police, "police")
    draft.refresh_from_db()
    agreement_services.publish_agreement(draft, coordinator)
    items = [i for i in todo_for(coordinator, D(2026, 4, 10)) if i.kind == "followup"]
    urls = {i.url for i in items}
    assert reverse("followup:followup", args=["0642", 2026, "q1"]) in urls
    assert any("2026" in i.text for i in items)
    client.force_login(coordinator)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_later_years_follow_up_links_to_its_own_year(client, coordinator, police, published):
    """A draft 'q1-2026' of a 2025–2026 agreement: the approval to-do and the comment
    threads link to …/2026/q1/ (a key with its year is no URL part)."""
    from medborgarlofte.accounts import comments
    from medborgarlofte.followup import services

    draft = nextyear.copy_agreement(published, coordinator, start_year=2025, end_year=2026)
    agreement_services.update_version_details(draft, coordinator, follow_up_schedule="quarter")
    agreement_services.approve_agreement(draft, coordinator, "municipality")
    agreement_services.approve_agreement(draft, police, "police")
    draft.refresh_from_db()
    agreement_services.publish_agreement(draft, coordinator)
    followup, _cleared = services.save_followup(
        draft.agreement, coordinator, "q1-2026", statuses={}, narratives={}
    )
    services.approve_followup(followup, coordinator, "municipality")
    url = reverse("followup:followup", args=["0642", 2026, "q1"])
    approvals = [i for i in todo_for(police, D(2026, 4, 1)) if i.kind == "approve"]
    assert [i.url for i in approvals] == [url]
    assert "2026" in approvals[0].text
    assert comments.kind_of(followup).url(followup) == url
    client.force_login(police)
    assert client.get(url).status_code == 200
