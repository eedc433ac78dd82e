"""The weekly lägesbild, hotspots, tertial analysis and the public aggregates."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from medborgarlofte.incidents import services
from medborgarlofte.incidents.models import WeeklyMeeting
from medborgarlofte.incidents.tertial import rate_ratio_interval, tertial_analysis
from medborgarlofte.incidents.weekly import poisson_sf, week_start, weekly_lagesbild

MONDAY = week_start(2026, 20)


def report(user, kommun, category, place, days, count=1):
    events = [
        services.EventData(category, MONDAY + datetime.timedelta(days=days), "evening", place=place)
    ] * count
    services.submit_report(user, kommun, "Test", events)


def test_poisson_tail_matches_known_values():
    assert poisson_sf(0, 2.0) == 1.0
    assert abs(poisson_sf(1, 2.0) - (1 - 0.1353352832)) < 1e-9
    assert abs(poisson_sf(5, 0.5) - 0.0001721156) < 1e-9


def test_it_flags_a_place_far_above_its_own_baseline(est, reporter):
    klotter = est["categories"]["klotter"]
    centrum, station = est["places"]
    for week in range(1, 9):  # centrum: 2 a week for eight weeks, also this week
        report(reporter, est["kommun"], klotter, centrum, -7 * week, count=2)
    report(reporter, est["kommun"], klotter, centrum, 1, count=2)
    report(reporter, est["kommun"], klotter, station, 2, count=4)  # station: 0 before, 4 now
    picture = weekly_lagesbild(est["kommun"], 2026, 20)
    hotspots = [u.label for u in picture["hotspots"]]
    assert hotspots == ["Stationsområdet"]
    row = next(r for r in picture["by_category"] if r["category"] == klotter)
    assert (row["count"], row["previous_mean"]) == (6, 2.0)
    assert "<svg" in picture["map_svg"]


def test_it_counts_only_the_kommun_asked_for(est, reporter):
    from medborgarlofte.kommuner.models import Municipality

    habo = Municipality.objects.get(code="0643")
    habo_reporter = make_user("habo-rapportor", [("0643", "reporter")])
    category = services.ensure_categories(habo)[0]
    services.submit_report(
        habo_reporter, habo, "Habo", [services.EventData(category, MONDAY, "night")]
    )
    picture = weekly_lagesbild(est["kommun"], 2026, 20)
    assert picture["total"] == 0
    assert weekly_lagesbild(habo, 2026, 20)["total"] == 1


def test_it_shows_the_weeks_police_events(est):
    import json

    from medborgarlofte.incidents.police_events import import_events

    data = json.dumps(
        [
            {
                "id": 7,
                "datetime": "2026-05-12 9:01:00 +02:00",
                "name": "12 maj 08.40, Skadegörelse, Mullsjö",
                "summary": "Krossad ruta.",
                "url": "/aktuellt/handelser/2026/maj/12/x/",
                "type": "Skadegörelse",
                "location": {"name": "Jönköpings län", "gps": "1,1"},
            }
        ]
    ).encode()
    import_events(data, source="x")
    picture = weekly_lagesbild(est["kommun"], 2026, 20)
    assert [e.event_id for e in picture["police_events"]] == [7]


def test_the_rate_ratio_interval_excludes_one_only_for_clear_changes():
    ratio, low, high = rate_ratio_interval(40, 20)
    assert ratio == 2.0 and low > 1
    ratio, low, high = rate_ratio_interval(6, 4)
    assert low < 1 < high
    assert rate_ratio_interval(3, 0)[2] is None


def test_the_tertial_analysis_compares_with_the_year_before(est, reporter):
    klotter = est["categories"]["klotter"]
    report(reporter, est["kommun"], klotter, est["places"][0], 0, count=3)
    analysis = tertial_analysis(est["kommun"], 2026, 2)
    row = next(r for r in analysis["categories"] if r["category"] == klotter)
    assert (row["count"], row["previous"], row["months"]) == (3, 0, [3, 0, 0, 0])


def test_the_weekly_page_records_a_meeting_with_an_action_linked_to_a_commitment(
    client, est, coordinator, mullsjo_document
):
    from medborgarlofte.agreements.importing import import_agreement_document

    version = import_agreement_document(mullsjo_document, user=coordinator).version
    commitment = version.commitments.first()
    client.force_login(coordinator)
    url = reverse("incidents:add-meeting", args=["0642", 2026, 20])
    response = client.post(
        url,
        {
            "meeting-date": "2026-05-11",
            "meeting-participants": ["samordnare", "kommunpolis"],
            "meeting-decisions": "Fokus på stationen.",
        },
    )
    assert response.status_code == 302
    meeting = WeeklyMeeting.objects.get(iso_week=20)
    response = client.post(
        reverse("incidents:add-action", args=["0642", meeting.pk]),
        {"action-text": "Kvällsvandring", "action-commitment_ref": commitment.ref},
    )
    assert response.status_code == 302
    action = meeting.actions.get()
    assert action.commitment_ref == commitment.ref
    page = client.get(reverse("incidents:week", args=["0642", 2026, 20]))
    assert "Kvällsvandring" in page.content.decode()


@pytest.mark.django_db
def test_the_public_week_hides_counts_under_five(client, est, reporter):
    klotter, brand = est["categories"]["klotter"], est["categories"]["brand"]
    report(reporter, est["kommun"], klotter, est["places"][0], 0, count=6)
    report(reporter, est["kommun"], brand, est["places"][1], 0, count=2)
    report(reporter, est["kommun"], est["categories"]["inbrott"], est["places"][1], 0, count=7)
    response = client.get(reverse("incidents_public:week", args=["0642", 2026, 20]))
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    tables = BeautifulSoup(response.content, "html.parser").find_all("table")
    categories = {
        row.find("td").get_text(): row.find_all("td")[1].get_text()
        for row in tables[0].find("tbody").find_all("tr")
    }
    # brand (2) is hidden, and klotter (6) too, or brand could be computed from the total
    assert categories == {"Brand/anlagd brand": "–", "Inbrott": "7", "Klotter": "–"}
    places = {
        row.find("td").get_text(): row.find_all("td")[1].get_text()
        for row in tables[1].find_all("tr")[1:]
    }
    assert places == {"Mullsjö centrum": "6", "Stationsområdet": "9"}
    assert "Klotter på bänken" not in response.content.decode()


def test_the_public_week_answers_404_for_an_impossible_week(client, db):
    assert client.get(reverse("incidents_public:week", args=["0642", 2026, 54])).status_code == 404
