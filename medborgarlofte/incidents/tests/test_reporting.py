"""Reporters: the phone form (several events, personal-data check), own reports only."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.incidents.models import Incident

TODAY = timezone.localdate().isoformat()


def form_data(est, *events, organisation="Fritidsgården"):
    data = {
        "organisation": organisation,
        "form-TOTAL_FORMS": str(len(events)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "20",
        "send": "1",
    }
    for index, fields in enumerate(events):
        row = {"category": est["categories"]["klotter"].pk, "date": TODAY, "time_band": "evening"}
        row.update(fields)
        data.update({f"form-{index}-{key}": value for key, value in row.items()})
    return data


def test_it_stores_two_events_in_one_report(client, est, reporter):
    client.force_login(reporter)
    before = Incident.objects.count()
    data = form_data(
        est,
        {"place": est["places"][0].pk, "description": "Klotter på väntkuren."},
        {"place": est["places"][1].pk, "category": est["categories"]["brand"].pk},
    )
    response = client.post(reverse("incidents:new-report", args=["0642"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Incident.objects.count() == before + 2
    newest = Incident.objects.order_by("-pk")[:2]
    assert {i.report_id for i in newest} == {newest[0].report_id}
    assert newest[0].report.organisation == "Fritidsgården"
    assert AuditEntry.objects.filter(action="submit_incident_report").exists()


def test_it_ignores_an_untouched_extra_event(client, est, reporter):
    client.force_login(reporter)
    before = Incident.objects.count()
    data = form_data(est, {"place": est["places"][0].pk})
    data.update(
        {
            "form-TOTAL_FORMS": "2",
            "form-1-time_band": "unknown",
            "form-1-date": TODAY,
            "form-1-category": "",
        }
    )
    response = client.post(reverse("incidents:new-report", args=["0642"]), data)
    assert response.status_code == 302
    assert Incident.objects.count() == before + 1


def test_the_form_starts_with_one_event_and_the_kommun_map(client, est, reporter):
    client.force_login(reporter)
    response = client.get(reverse("incidents:new-report", args=["0642"]))
    html = response.content.decode()
    assert 'name="form-0-category"' in html
    assert 'name="form-1-category"' not in html
    assert 'name="form-TOTAL_FORMS" value="1"' in html
    # The map is hidden until place-map.js shows it; the list stays for everyone.
    assert 'class="place-map" data-latitude="id_form-0-latitude"' in html
    assert html.count('class="kommun-map place-picker"') == 1
    assert "Mullsjö centrum</text>" in html
    assert 'src="/static/js/place-map.js"' in html
    assert "<script>" not in html  # CSP: script-src 'self', nothing inline


def test_every_added_event_gets_its_own_map(client, est, reporter):
    client.force_login(reporter)
    data = form_data(est, {"place": est["places"][0].pk})
    del data["send"]
    data["add_event"] = "1"
    html = client.post(reverse("incidents:new-report", args=["0642"]), data).content.decode()
    assert 'data-latitude="id_form-1-latitude" data-longitude="id_form-1-longitude"' in html
    assert html.count('class="kommun-map place-picker"') == 2


def test_it_adds_an_event_row_without_javascript(client, est, reporter):
    client.force_login(reporter)
    data = form_data(est, {"place": est["places"][0].pk})
    del data["send"]
    data["add_event"] = "1"
    response = client.post(reverse("incidents:new-report", args=["0642"]), data)
    assert response.status_code == 200
    assert b'name="form-1-category"' in response.content
    assert b"errorlist" not in response.content


def test_it_stops_at_personal_data_until_the_reporter_confirms(client, est, reporter):
    client.force_login(reporter)
    before = Incident.objects.count()
    text = "Ring Kalle på 070-123 45 67 om klottret."
    url = reverse("incidents:new-report", args=["0642"])
    response = client.post(url, form_data(est, {"description": text}))
    assert response.status_code == 400
    assert "070-123 45 67" in response.content.decode()
    assert b"confirm_no_personal_data" in response.content
    assert Incident.objects.count() == before
    response = client.post(
        url, form_data(est, {"description": text, "confirm_no_personal_data": "on"})
    )
    assert response.status_code == 302
    stored = Incident.objects.order_by("-pk").first()
    assert stored.personal_data_checked is True


def test_it_says_places_and_situations_never_people(client, est, reporter):
    client.force_login(reporter)
    with translation.override("en"):
        response = client.get(
            reverse("incidents:new-report", args=["0642"]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert b'name="form-0-place"' in response.content


def test_it_refuses_a_place_of_another_kommun(client, est, reporter):
    from medborgarlofte.kommuner.models import Municipality, Place

    habo = Place.objects.create(
        municipality=Municipality.objects.get(code="0643"), name="Habo torg"
    )
    client.force_login(reporter)
    before = Incident.objects.count()
    response = client.post(
        reverse("incidents:new-report", args=["0642"]), form_data(est, {"place": habo.pk})
    )
    assert response.status_code == 400
    assert Incident.objects.count() == before


def test_it_shows_a_reporter_only_their_own_reports(client, est, reporter):
    other = make_user("rapportor2", [("0642", "reporter")])
    client.force_login(other)
    response = client.get(reverse("incidents:my-reports"))
    assert response.status_code == 200
    assert b"Mullsj\xc3\xb6 centrum" not in response.content
    own = est["incidents"][0]
    assert client.get(reverse("incidents:edit-incident", args=[own.pk])).status_code == 404
    assert client.get(reverse("incidents:review", args=["0642"])).status_code == 404
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 404


def test_it_lets_a_reporter_correct_a_new_event_but_not_a_handled_one(
    client, est, reporter, coordinator
):
    from medborgarlofte.incidents import services

    client.force_login(reporter)
    incident = est["incidents"][0]
    url = reverse("incidents:edit-incident", args=[incident.pk])
    data = {
        "e-category": est["categories"]["nedskrapning"].pk,
        "e-place": est["places"][1].pk,
        "e-date": TODAY,
        "e-time_band": "morning",
        "e-description": "Glas på perrongen.",
    }
    assert client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.category.key == "nedskrapning"
    services.handle_incident(coordinator, incident, "Städat.")
    data["e-description"] = "Ändrat i efterhand."
    client.post(url, data)
    incident.refresh_from_db()
    assert incident.description == "Glas på perrongen."


def test_it_stores_a_point_generalised_to_a_grid_cell(client, est, reporter):
    client.force_login(reporter)
    data = form_data(est, {"latitude": "57.91634", "longitude": "13.87861"})
    assert client.post(reverse("incidents:new-report", args=["0642"]), data).status_code == 302
    stored = Incident.objects.order_by("-pk").first()
    assert (stored.latitude, stored.longitude) == (57.91625, 13.8775)


def test_it_lets_the_coordinator_merge_a_duplicate_that_then_is_not_counted(
    client, est, coordinator
):
    from medborgarlofte.incidents.weekly import weekly_lagesbild

    first, second = est["incidents"]
    before = weekly_lagesbild(est["kommun"], *est["week"])["total"]
    client.force_login(coordinator)
    response = client.post(
        reverse("incidents:merge-incident", args=["0642", second.pk]), {"original": first.pk}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == ("duplicate", first.pk)
    assert weekly_lagesbild(est["kommun"], *est["week"])["total"] == before - 1


@pytest.mark.parametrize("persona", ["coordinator", "police"])
def test_it_lets_coordinator_and_police_manage_places(client, est, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("incidents:add-place", args=["0642"]),
        {
            "name": "Folkets park (exempelplats)",
            "kind": "park",
            "latitude": "57.92",
            "longitude": "13.88",
            "aliases_text": "Parken, Folkparken",
            "polygon_text": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    from medborgarlofte.kommuner.models import Place

    place = Place.objects.get(name="Folkets park (exempelplats)")
    assert place.aliases == ["Parken", "Folkparken"]
    assert AuditEntry.objects.filter(action="add_place", object_id=str(place.pk)).exists()


@pytest.mark.parametrize("secret", ["070-123 45 67", "19811218-9876"])
def test_the_reporter_can_replace_the_personal_data_in_one_click(client, est, reporter, secret):
    client.force_login(reporter)
    url = reverse("incidents:new-report", args=["0642"])
    before = Incident.objects.count()
    text = f"Ring {secret} om klottret."
    response = client.post(url, form_data(est, {"description": text}))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<mark class="hit"' in page and 'name="redact_personal_data"' in page
    response = client.post(
        url, {**form_data(est, {"description": text}), "redact_personal_data": "1"}
    )
    assert response.status_code == 400 and Incident.objects.count() == before
    replaced = (
        "Ring [telefonnummer] om klottret."
        if secret.startswith("070")
        else ("Ring [personnummer] om klottret.")
    )
    assert replaced in response.content.decode() and secret not in response.content.decode()
    response = client.post(url, form_data(est, {"description": replaced}))
    assert response.status_code == 302
    assert Incident.objects.order_by("-pk").first().description == replaced
