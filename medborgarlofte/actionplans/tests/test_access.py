"""Every URL of the åtgärdsplan, every persona.

ACCESS: name → (method, arguments, who may do it). "read": coordinator, police and
reader; "edit": coordinator and police (reader 403); "decide": the kommun's coordinators
(police and readers 403). A coordinator of another kommun gets 404 and anonymous
visitors are sent to the login page. Denied writes leave the database unchanged.
"""

import pytest
from django.urls import reverse

from medborgarlofte.actionplans.models import ActionPlan, Measure, MeasureFollowUp

ACCESS = {
    "actionplans:municipality": ("get", "code", "read"),
    "actionplans:create-plan": ("post", "code", "edit"),
    "actionplans:plan": ("get", "plan", "read"),
    "actionplans:update-plan": ("post", "plan", "edit"),
    "actionplans:add-measure": ("post", "plan", "edit"),
    "actionplans:update-measure": ("post", "measure", "edit"),
    "actionplans:record-followup": ("post", "measure", "edit"),
    "actionplans:to-commitment": ("post", "measure", "edit"),
    "actionplans:approve": ("post", "plan", "edit"),
    "actionplans:decide": ("post", "plan", "decide"),
    "actionplans:revise": ("post", "plan", "edit"),
    "actionplans:create-cooperation": ("post", "code", "edit"),
    "actionplans:cooperation": ("get", "cooperation", "read"),
    "actionplans:update-cooperation": ("post", "cooperation", "edit"),
    "actionplans:add-goal": ("post", "cooperation", "edit"),
    "actionplans:sign-cooperation": ("post", "cooperation", "edit"),
    "actionplans:commitment-goals": ("post", "commitment-goals", "edit"),
}


@pytest.fixture(autouse=True)
def _cooperation_world(cooperation, draft_agreement):
    """A samverkansöverenskommelse 2024–2027 and a medborgarlöfte 2024 under it."""


def _commitment(kommun):
    from medborgarlofte.agreements.models import Commitment

    commitment = Commitment.objects.filter(municipality=kommun).order_by("pk").first()
    return [commitment.version.agreement_id, commitment.ref]


def _url(name, kind, plan):
    from medborgarlofte.actionplans.models import CooperationAgreement

    cooperation = CooperationAgreement.objects.get(municipality=plan.municipality)
    args = {
        "code": [plan.municipality.code],
        "plan": [plan.pk],
        "measure": [plan.pk, plan.measures.first().pk],
        "cooperation": [cooperation.pk],
        "commitment-goals": [cooperation.pk, *_commitment(plan.municipality)],
    }[kind]
    return reverse(name, args=args)


def _state():
    from medborgarlofte.actionplans.models import CooperationAgreement, Goal, GoalCommitment

    return (
        sorted(CooperationAgreement.objects.values_list("pk", "title", "status", "updated_at")),
        Goal.objects.count(),
        GoalCommitment.objects.count(),
        sorted(ActionPlan.objects.values_list("pk", "title", "status", "updated_at")),
        sorted(Measure.objects.values_list("pk", "title", "commitment_ref")),
        MeasureFollowUp.objects.count(),
    )


def _call(client, name, plan):
    method, kind, _who = ACCESS[name]
    return getattr(client, method)(_url(name, kind, plan))


def test_it_covers_every_url_of_the_namespace():
    from tests.test_access_matrix import _names

    assert {n for n in _names() if n.startswith("actionplans:")} == ACCESS.keys()


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, plan, name):
    before = _state()
    response = _call(client, name, plan)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, plan, other_coordinator, name):
    client.force_login(other_coordinator)
    before = _state()
    assert _call(client, name, plan).status_code == 404
    assert _state() == before


@pytest.mark.parametrize(
    ("persona", "name"), [(p, n) for p in ("coordinator", "police") for n in sorted(ACCESS)]
)
def test_it_lets_coordinator_and_police_in(client, plan, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = _call(client, name, plan)
    if ACCESS[name][2] == "decide" and persona == "police":
        assert response.status_code == 403
    else:
        assert response.status_code in {200, 302, 400}, response.content[:300]


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_a_reader_read_but_not_write(client, plan, reader, name):
    client.force_login(reader)
    before = _state()
    response = _call(client, name, plan)
    expected = {"read": 200, "edit": 403, "decide": 403}[ACCESS[name][2]]
    assert response.status_code == expected
    assert _state() == before
