"""Every URL of the incidents namespace, every persona (accounts/tests/access_matrix.py).

Rules: "read" — coordinator, police and reader of Mullsjö may; "write" — coordinator and
police, reader 403; "report" — reporter, coordinator, police; reader 403; "own" — only
the reporter who wrote the event (everyone else 404); "any" — every logged-in user (the
page shows only what is theirs). Another kommun's coordinator gets 404 and reporters
get 404 on staff pages. Anonymous visitors go to the login page.
"""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.incidents.models import Incident, IncidentCategory, MeetingAction, WeeklyMeeting
from medborgarlofte.kommuner.models import Place


def _merge(est):
    return {"original": est["incidents"][0].pk}


# name: (method, arguments, rule[, POST data])
ACCESS = {
    "incidents:home": ("get", "none", "any"),
    "incidents:new-report": ("get", "code", "report"),
    "incidents:my-reports": ("get", "none", "any"),
    "incidents:edit-incident": ("get", "own", "own"),
    "incidents:review": ("get", "code", "read"),
    "incidents:incident": ("get", "incident", "read"),
    "incidents:handle-incident": (
        "post",
        "incident",
        "write",
        {"action_taken": "Belysningen lagad."},
    ),
    "incidents:merge-incident": ("post", "incident", "write", _merge),
    "incidents:places": ("get", "code", "read"),
    "incidents:add-place": ("get", "code", "write"),
    "incidents:edit-place": ("get", "place", "write"),
    "incidents:categories": ("get", "code", "read"),
    "incidents:toggle-category": ("post", "category", "write"),
    "incidents:current-week": ("get", "code", "read"),
    "incidents:week": ("get", "week", "read"),
    "incidents:week-pdf": ("get", "week", "read"),
    "incidents:add-meeting": (
        "post",
        "week",
        "write",
        {"meeting-date": "2026-01-05", "meeting-participants": ["samordnare", "kommunpolis"]},
    ),
    "incidents:add-action": ("post", "meeting", "write", {"action-text": "Städa torget."}),
    "incidents:close-action": ("post", "action", "write"),
    "incidents:tertial": ("get", "tertial", "read"),
    "incidents:tertial-pdf": ("get", "tertial", "read"),
}


@pytest.fixture
def world(est):
    return est


class TestAccess(AccessMatrix):
    namespace = "incidents"
    table = ACCESS
    pdf = slow = frozenset({"incidents:week-pdf", "incidents:tertial-pdf"})
    slow_personas = ("police", "reader")
    redirects = frozenset({"incidents:current-week"})  # to this week's page

    def url(self, name, kind, est, user):
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

    def state(self):
        return (
            sorted(Incident.objects.values_list("pk", "status", "action_taken", "duplicate_of_id")),
            sorted(Place.objects.values_list("pk", "name", "active")),
            sorted(IncidentCategory.objects.values_list("pk", "active")),
            WeeklyMeeting.objects.count(),
            sorted(MeetingAction.objects.values_list("pk", "status")),
        )


def test_it_refuses_a_reader_adding_a_category(client, est, reader):
    client.force_login(reader)
    before = TestAccess().state()
    response = client.post(reverse("incidents:categories", args=["0642"]), {"name": "Ny"})
    assert response.status_code == 403
    assert TestAccess().state() == before
