"""The privacy app's internal URLs, every persona (accounts/tests/access_matrix.py).

Dismissing a finding of the publication gate is the coordinator's: police and readers
get 403; for a user without a role in the row's kommun the finding "is no longer there"
(a redirect back, nothing saved: its existence is not confirmed). Comments between the
parties (issue 18; flows in tests/test_comments.py) are for coordinator and police.
"""

import datetime

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import Comment
from medborgarlofte.accounts.tests.access_matrix import LOGIN, OK, AccessMatrix, allowed
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.followup.models import Activity
from medborgarlofte.privacy import gate
from medborgarlofte.privacy.models import PersonalDataDismissal

# A dismissal from outside the kommun: sent back to the page, nothing saved.
NOT_THERE = 302
DISMISS = {
    "anonymous": LOGIN,
    "coordinator": OK,
    "police": 403,
    "reader": 403,
    "reporter": NOT_THERE,
    "operator": NOT_THERE,
    "other_coordinator": NOT_THERE,
}
COMMENT = {
    "coordinator": allowed(302),
    "police": allowed(302),
    "reader": 403,
    "reporter": 404,
    "operator": 404,
    "other_coordinator": 404,
}


def _dismissal(world):
    return {"target": world["target"], "reason": "Växelnummer", "next": "/arbete/"}


# name: (method, kind of arguments, rule[, POST data])
ACCESS = {
    "privacy:dismiss-finding": ("post", "none", DISMISS, _dismissal),
    "privacy:comment": ("post", "document", COMMENT, {"action": "add", "text": "Hej"}),
}


@pytest.fixture
def world(db, coordinator, mullsjo_document):
    """A draft agreement (comments) and an activity whose title holds a phone number."""
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    activity = Activity.objects.create(
        municipality=version.municipality,
        agreement=version.agreement,
        commitment_ref="m24-09",
        date=datetime.date(2024, 3, 4),
        party_kind="police",
        title="Ring 070-123 45 67",
    )
    (hit,) = gate.hits(activity.title)
    target = f"followup.activity:{activity.pk}:title:{hit.start}:{hit.kind}"
    return {"version": version, "target": target}


class TestAccess(AccessMatrix):
    namespace = "privacy"
    table = ACCESS

    def url(self, name, kind, world, user):
        args = {"none": [], "document": ["agreement", world["version"].pk]}[kind]
        return reverse(name, args=args)

    def state(self):
        return (
            sorted(PersonalDataDismissal.objects.values_list("pk", "reason")),
            sorted(Comment.objects.values_list("pk", "text")),
        )


def test_the_coordinator_dismisses_and_get_is_not_allowed(client, world, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("privacy:dismiss-finding")).status_code == 405
    response = client.post(reverse("privacy:dismiss-finding"), _dismissal(world))
    assert response.status_code == 302 and response["Location"] == "/arbete/"
    assert PersonalDataDismissal.objects.count() == 1


def test_next_must_stay_on_the_site(client, world, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("privacy:dismiss-finding"),
        {**_dismissal(world), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/arbete/"


def test_a_coordinator_of_another_kommun_is_sent_back(client, world, other_coordinator):
    client.force_login(other_coordinator)
    response = client.post(reverse("privacy:dismiss-finding"), _dismissal(world))
    assert response["Location"] == "/arbete/"


@pytest.mark.parametrize("persona", ["coordinator", "police"])
def test_the_parties_comment_and_get_is_not_allowed(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("privacy:comment", args=["agreement", world["version"].pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "add", "text": "Hej"}).status_code == 302
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("persona", ["reader", "other_coordinator"])
def test_comments_refuse_get_to_everyone(client, world, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("privacy:comment", args=["agreement", world["version"].pk])
    assert client.get(url).status_code in (405, 404)
