"""Every URL of the incidents namespace, every persona (see tests/test_access_matrix.py).

Rules: "read" — coordinator, police and reader of Mullsjö may; "write" — coordinator and
police, reader 403; "report" — reporter, coordinator, police; reader 403; "own" — only
the reporter who wrote the event (everyone else 404); "any" — every logged-in user (the
page shows only what is theirs). Another kommun's coordinator gets 404 and reporters
get 404 on staff pages. Anonymous visitors go to the login page.
"""

import pytest
from django.urls import reverse

from medborgarlofte.incidents.models import Incident, IncidentCategory, MeetingAction, WeeklyMeeting
from medborgarlofte.kommuner.models import Place

# name: (method, arguments, rule, POST data)
ACCESS = {
    "incidents:home": ("get", "none", "any", None),
    "incidents:new-report": ("get", "code", "report", None),
    "incidents:my-reports": ("get", "none", "any", None),
    "incidents:edit-incident": ("get", "own", "own", None),
    "incidents:review": ("get", "code", "read", None),
    "incidents:incident": ("get", "incident", "read", None),
    "incidents:handle-incident": (
        "post",
        "incident",
        "write",
        {"action_taken": "Belysningen lagad."},
    ),
    "incidents:merge-incident": ("post", "incident", "write", "merge"),
    "incidents:places": ("get", "code", "read", None),
    "incidents:add-place": ("get", "code", "write", None),
    "incidents:edit-place": ("get", "place", "write", None),
    "incidents:categories": ("get", "code", "read", None),
    "incidents:toggle-category": ("post", "category", "write", {}),
    "incidents:current-week": ("get", "code", "read", None),
    "incidents:week": ("get", "week", "read", None),
    "incidents:week-pdf": ("get", "week", "read", None),
    "incidents:add-meeting": (
        "post",
        "week",
        "write",
        {"meeting-date": "2026-01-05", "meeting-participants": ["samordnare", "kommunpolis"]},
    ),
    "incidents:add-action": ("post", "meeting", "write", {"action-text": "Städa torget."}),
    "incidents:close-action": ("post", "action", "write", {}),
    "incidents:tertial": ("get", "tertial", "read", None),
    "incidents:tertial-pdf": ("get", "tertial", "read", None),
}

OK = {200, 302}
EXPECTED = {
    # rule: persona -> allowed (OK) or a status code
    "read": {
        "coordinator": OK,
        "police": OK,
        "reader": OK,
        "other_coordinator": 404,
        "reporter": 404,
    },
    "write": {
        "coordinator": OK,
        "police": OK,
        "reader": 403,
        "other_coordinator": 404,
        "reporter": 404,
    },
    "report": {
        "coordinator": OK,
        "police": OK,
        "reader": 403,
        "other_coordinator": 404,
        "reporter": OK,
    },
    "own": {
        "coordinator": 404,
        "police": 404,
        "reader": 404,
        "other_coordinator": 404,
        "reporter": OK,
    },
    "any": {"coordinator": OK, "police": OK, "reader": OK, "other_coordinator": OK, "reporter": OK},
}
PERSONAS = ["coordinator", "police", "reader", "other_coordinator", "reporter"]
SLOW = {"incidents:week-pdf", "incidents:tertial-pdf"}


def _url(name, kind, est):
    code = est["kommun"].code
    incident = est["incidents"][1]
    args = {
        "none": [],
        "code": [code],
        "own": [incident.pk],
        "incident": [code, incident.pk],
        "place": [code, est["places"][0].pk],
        "category": [code, est["categories"]["klotter"].pk],
        "week": [code, *est["week"]],
        "meeting": [code, est["meeting"].pk],
        "action": [code, est["action"].pk],
        "tertial": [code, est["week"][0], 1],
    }[kind]
    return reverse(name, args=args)


def _call(client, name, est):
    method, kind, _rule, data = ACCESS[name]
    url = _url(name, kind, est)
    if method == "get":
        return client.get(url)
    if data == "merge":
        data = {"original": est["incidents"][0].pk}
    return client.post(url, data)


def _state():
    return (
        sorted(Incident.objects.values_list("pk", "status", "action_taken", "duplicate_of_id")),
        sorted(Place.objects.values_list("pk", "name", "active")),
        sorted(IncidentCategory.objects.values_list("pk", "active")),
        WeeklyMeeting.objects.count(),
        sorted(MeetingAction.objects.values_list("pk", "status")),
    )


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, est, name):
    before = _state()
    response = _call(client, name, est)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(set(ACCESS) - SLOW))
def test_it_answers_each_persona_as_the_rule_says(client, est, request, persona, name):
    rule = ACCESS[name][2]
    expected = EXPECTED[rule][persona]
    client.force_login(request.getfixturevalue(persona))
    before = _state()
    response = _call(client, name, est)
    if expected == OK:
        assert response.status_code in OK, response.content[:500]
    else:
        assert response.status_code == expected
        assert _state() == before


@pytest.mark.parametrize("persona", ["police", "reader", "other_coordinator", "reporter"])
def test_it_serves_the_pdf_only_to_readers_of_the_kommun(client, est, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = _call(client, "incidents:week-pdf", est)
    expected = EXPECTED["read"][persona]
    if expected == OK:
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
    else:
        assert response.status_code == expected


def test_it_refuses_a_reader_adding_a_category(client, est, reader):
    client.force_login(reader)
    before = _state()
    response = client.post(reverse("incidents:categories", args=["0642"]), {"name": "Ny"})
    assert response.status_code == 403
    assert _state() == before
