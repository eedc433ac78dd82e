"""Att göra (issue 14, item 4): what waits for each user, and the opt-in daily e-mail."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from conftest import make_user
from medborgarlofte.accounts.models import UserSettings
from medborgarlofte.accounts.user_settings import set_todo_digest
from medborgarlofte.followup import services
from medborgarlofte.followup.todo import send_todo_digests, todo_for
from medborgarlofte.incidents import services as incident_services
from medborgarlofte.lagesbild.models import Lagesbild

D = datetime.date


def _kinds(user, today):
    return [item.kind for item in todo_for(user, today)]


def test_a_follow_up_past_its_due_date_waits_until_published(published, coordinator, police):
    items = [i for i in todo_for(coordinator, D(2024, 5, 20)) if i.kind == "followup"]
    assert len(items) == 1 and items[0].overdue and "2024-05-14" in items[0].text
    assert items[0].url == reverse("followup:followup", args=["0642", 2024, "t1"])
    followup, _cleared = services.save_followup(
        published, coordinator, "t1", statuses={}, narratives={}
    )
    services.approve_followup(followup, coordinator, "municipality")
    # the police see the coordinator's approval waiting for theirs; the coordinator does not
    assert "approve" in _kinds(police, D(2024, 5, 20))
    assert "approve" not in _kinds(coordinator, D(2024, 5, 20))
    services.approve_followup(followup, police, "police")
    assert "publish" in _kinds(coordinator, D(2024, 5, 20))
    services.publish_followup(followup, coordinator)
    kinds = _kinds(coordinator, D(2024, 5, 20))
    assert "followup" not in kinds and "publish" not in kinds


def test_a_follow_up_shows_two_weeks_before_it_is_due(published, coordinator):
    assert "followup" not in _kinds(coordinator, D(2024, 3, 15))
    soon = [i for i in todo_for(coordinator, D(2024, 5, 2)) if i.kind == "followup"]
    assert soon and not soon[0].overdue


def test_a_meeting_action_past_its_date_until_closed(published, coordinator, mullsjo):
    meeting = incident_services.record_meeting(
        coordinator,
        mullsjo,
        2024,
        10,
        date=D(2024, 3, 7),
        participants=["samordnare"],
        decisions="",
    )
    action = incident_services.add_action(
        coordinator, meeting, text="Byt lampor", due=D(2024, 3, 20)
    )
    assert "action" not in _kinds(coordinator, D(2024, 3, 20))
    assert "action" in _kinds(coordinator, D(2024, 3, 21))
    incident_services.close_action(coordinator, action)
    assert "action" not in _kinds(coordinator, D(2024, 3, 21))


def test_the_coordinator_sees_est_reporters_without_a_report_this_week(db, coordinator, police):
    make_user("rapportor", [("0642", "reporter")])
    today = datetime.date.today()
    items = [i for i in todo_for(coordinator, today) if i.kind == "reporters"]
    assert len(items) == 1 and items[0].text.startswith("1 ")
    assert "rapportor" not in items[0].text  # a count, never names
    assert "reporters" not in _kinds(police, today)


def test_a_missing_lagesbild_for_the_coming_period(db, coordinator, mullsjo):
    assert "lagesbild" in _kinds(coordinator, D(2024, 10, 1))
    Lagesbild.objects.create(
        municipality=mullsjo,
        title="Lägesbild 2025",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 9, 30),
        promise_year=2025,
        status=Lagesbild.Status.APPROVED,
    )
    assert "lagesbild" not in _kinds(coordinator, D(2024, 10, 1))
    assert "lagesbild" in _kinds(coordinator, D(2026, 1, 10))


def test_readers_and_other_kommuner_see_nothing(published, reader, other_coordinator):
    assert todo_for(reader, D(2024, 5, 20)) == []
    assert all(i.municipality.code == "0680" for i in todo_for(other_coordinator, D(2024, 5, 20)))


def test_the_page_lists_the_items_and_the_header_counts_them(client, published, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("followup:todo"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("followup:todo") in body
    assert response.context["count"] == len(todo_for(coordinator))
    assert 'class="badge"' in body or response.context["count"] == 0


def _digests():
    return [m for m in mail.outbox if reverse("followup:todo") in m.body]


def test_the_digest_is_opt_in_and_sent_once_a_day(client, published, coordinator, police):
    day = D(2024, 5, 20)
    assert send_todo_digests(day) == []
    client.force_login(coordinator)
    client.post(reverse("followup:todo-digest"), {"todo_digest": "on"})
    assert UserSettings.objects.get(user=coordinator).todo_digest
    sent = send_todo_digests(day)
    assert [u for u, _n in sent] == [coordinator]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [coordinator.email]
    assert "2024-05-14" in mail.outbox[0].body
    assert police.get_username() not in mail.outbox[0].body
    assert send_todo_digests(day) == []  # once a day
    call_command("send_reminders", today="2024-05-20", days=0)
    assert len(_digests()) == 1  # the cron job sends it too, but not twice a day
    send_todo_digests(day + datetime.timedelta(days=1))
    assert len(_digests()) == 2
    client.post(reverse("followup:todo-digest"), {})
    assert not UserSettings.objects.get(user=coordinator).todo_digest
    assert send_todo_digests(day + datetime.timedelta(days=2)) == []


def test_no_digest_on_an_empty_day(db, reader):
    set_todo_digest(reader, True)
    assert send_todo_digests(D(2024, 5, 20)) == []
    assert mail.outbox == []
