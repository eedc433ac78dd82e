"""EST entered once (issue 14, item 6): held weekly meetings count for the commitments
they serve, in compliance, the activity list, the meetings source and the reminders."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from medborgarlofte.followup import indicator_sources, reminders, services
from medborgarlofte.followup.data import build_followup_data
from medborgarlofte.incidents import services as incident_services

D = datetime.date
WEEKLY_REF = "m24-02"  # "veckovis" in the Mullsjö 2024 promise


def _meeting(user, kommun, day, refs=()):
    iso = day.isocalendar()
    return incident_services.record_meeting(
        user,
        kommun,
        iso.year,
        iso.week,
        date=day,
        participants=["samordnare", "kommunpolis"],
        decisions="",
        commitment_refs=refs,
    )


def _commitment(agreement, ref, period="year"):
    data = build_followup_data(agreement, agreement.published_version(), period)
    return next(c for g in data["groups"] for c in g["commitments"] if c["ref"] == ref)


def test_held_meetings_meet_a_weekly_cadence(published, coordinator):
    kommun = published.municipality
    assert _commitment(published, WEEKLY_REF)["cadence"] == "weekly"
    for week in range(10):
        _meeting(coordinator, kommun, D(2024, 1, 4) + datetime.timedelta(weeks=week), [WEEKLY_REF])
    commitment = _commitment(published, WEEKLY_REF)
    assert commitment["activities"]["count"] == 10
    assert commitment["compliance"]["logged"] >= 10
    assert commitment["compliance"]["missed"][:1] != ["2024-W01"]
    # another commitment is not served by these meetings
    assert _commitment(published, "m24-01")["activities"]["count"] == 0


def test_a_meeting_logged_by_hand_as_well_counts_once(published, coordinator):
    _meeting(coordinator, published.municipality, D(2024, 1, 4), [WEEKLY_REF])
    services.log_activity(
        published,
        coordinator,
        commitment_ref=WEEKLY_REF,
        date=D(2024, 1, 4),
        party_kind="municipality",
        title="Veckomöte",
        meeting_type="weekly_lagesbild",
    )
    assert _commitment(published, WEEKLY_REF)["activities"]["count"] == 1


def test_an_action_naming_a_commitment_makes_its_meeting_count(published, coordinator):
    meeting = _meeting(coordinator, published.municipality, D(2024, 2, 8))
    assert _commitment(published, "m24-01")["activities"]["count"] == 0
    incident_services.add_action(coordinator, meeting, text="Belysning", commitment_ref="m24-01")
    assert _commitment(published, "m24-01")["activities"]["count"] == 1


def test_a_meeting_cannot_serve_another_kommuns_commitment(published, coordinator):
    with pytest.raises(PermissionDenied):
        _meeting(coordinator, published.municipality, D(2024, 1, 4), ["x99-01"])


def test_the_meetings_source_counts_held_meetings(published, coordinator):
    _meeting(coordinator, published.municipality, D(2024, 1, 4), [WEEKLY_REF])
    _meeting(coordinator, published.municipality, D(2024, 1, 11))
    result = indicator_sources.read_source(
        "meetings:weekly_lagesbild",
        {
            "agreement": published,
            "commitment_ref": WEEKLY_REF,
            "indicator_title": "x",
            "start": D(2024, 1, 1),
            "end": D(2024, 12, 31),
            "as_of": D(2024, 2, 1),
        },
    )
    assert result.value == 2


def test_no_missed_reminder_when_the_meeting_was_held(published, coordinator):
    today = D(2024, 1, 10)  # week 1 ended on Sunday 7 January

    def missed():
        return [
            r
            for r in reminders.pending_reminders(today)
            if r.kind == "missed" and r.key.startswith(WEEKLY_REF)
        ]

    assert missed()
    _meeting(coordinator, published.municipality, D(2024, 1, 4), [WEEKLY_REF])
    assert not missed()


def test_the_activity_page_lists_held_meetings(client, published, coordinator):
    _meeting(coordinator, published.municipality, D(2024, 1, 4), [WEEKLY_REF])
    client.force_login(coordinator)
    response = client.get(reverse("followup:activities", args=["0642", 2024]))
    assert response.status_code == 200
    assert WEEKLY_REF in response.content.decode()
    assert response.context["held_meetings"][0]["ref"] == WEEKLY_REF


def test_the_week_page_records_a_meeting_serving_a_commitment(client, published, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("incidents:week", args=["0642", 2024, 1]))
    assert "commitment_refs" in page.content.decode()
    response = client.post(
        reverse("incidents:add-meeting", args=["0642", 2024, 1]),
        {
            "meeting-date": "2024-01-04",
            "meeting-participants": ["samordnare"],
            "meeting-commitment_refs": [WEEKLY_REF],
        },
    )
    assert response.status_code == 302
    assert _commitment(published, WEEKLY_REF)["activities"]["count"] == 1
