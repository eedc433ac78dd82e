"""Every internal URL of the lägesbild, every persona.

ACCESS: name → (method, arguments, who may do it). "read": coordinator, police and
reader; "edit": coordinator and police (reader 403); "police": police only (everyone
else 404, so the existence of intelligence is not confirmed). A coordinator of another
kommun gets 404 and anonymous visitors are sent to the login page. Denied writes leave
the database unchanged.
"""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.lagesbild.models import (
    Consequence,
    Evidence,
    IntelligenceSummary,
    Lagesbild,
    LagesbildDecision,
    Problem,
    Programme,
)

ACCESS = {
    "lagesbild:municipality": ("get", "code", "read"),
    "lagesbild:create-lagesbild": ("post", "code", "edit"),
    "lagesbild:add-programme": ("post", "code", "edit"),
    "lagesbild:delete-programme": ("post", "programme", "edit"),
    "lagesbild:intelligence": ("get", "code", "police"),
    "lagesbild:save-intelligence": ("post", "code", "police"),
    "lagesbild:document": ("get", "lagesbild", "read"),
    "lagesbild:document-pdf": ("get", "lagesbild", "read"),
    "lagesbild:export": ("get", "lagesbild", "read"),
    "lagesbild:update-details": ("post", "lagesbild", "edit"),
    "lagesbild:add-problem": ("post", "lagesbild", "edit"),
    "lagesbild:update-problem": ("post", "problem", "edit"),
    "lagesbild:move-problem": ("post", "problem", "edit"),
    "lagesbild:add-evidence": ("post", "problem", "edit"),
    "lagesbild:delete-evidence": ("post", "evidence", "edit"),
    "lagesbild:sort-problems": ("post", "lagesbild", "edit"),
    "lagesbild:approve": ("post", "lagesbild", "edit"),
    "lagesbild:version": ("get", "version", "read"),
    "lagesbild:version-pdf": ("get", "version", "read"),
    "lagesbild:add-consequence": ("post", "lagesbild", "edit"),
    "lagesbild:delete-consequence": ("post", "consequence", "edit"),
    # The kommun's decision: its coordinators only (police and readers 403).
    "lagesbild:decide-version": ("post", "version", "decide"),
}

FAST = {"lagesbild:document-pdf", "lagesbild:version-pdf"}  # PDFs: one persona run each


@pytest.fixture
def world(lagesbild, frozen, coordinator):
    from medborgarlofte.lagesbild import services

    programme = services.add_programme(
        lagesbild.municipality,
        coordinator,
        title="Program",
        url="",
        first_year=2023,
        last_year=2026,
    )
    consequence = services.add_consequence(lagesbild, coordinator, title="Kostnad för klotter")
    return {
        "lagesbild": lagesbild,
        "version": frozen,
        "programme": programme,
        "consequence": consequence,
    }


def _url(name, kind, world):
    lb = world["lagesbild"]
    problem = lb.problems.first()
    args = {
        "code": [lb.municipality.code],
        "programme": [lb.municipality.code, world["programme"].pk],
        "lagesbild": [lb.pk],
        "problem": [lb.pk, problem.pk],
        "evidence": [lb.pk, problem.evidence.first().pk],
        "version": [lb.pk, world["version"].number],
        "consequence": [lb.pk, world["consequence"].pk],
    }[kind]
    return reverse(name, args=args)


def _state():
    return (
        sorted(Lagesbild.objects.values_list("pk", "title", "status", "updated_at")),
        sorted(Problem.objects.values_list("pk", "title", "position")),
        Evidence.objects.count(),
        Programme.objects.count(),
        Consequence.objects.count(),
        LagesbildDecision.objects.count(),
        sorted(IntelligenceSummary.objects.values_list("pk", "text")),
    )


def _call(client, name, world):
    method, kind, _who = ACCESS[name]
    return getattr(client, method)(_url(name, kind, world))


def test_it_covers_every_url_of_the_namespace():
    from tests.test_access_matrix import _names

    assert {n for n in _names() if n.startswith("lagesbild:")} == ACCESS.keys()


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, world, name):
    before = _state()
    response = _call(client, name, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, world, other_coordinator, name):
    client.force_login(other_coordinator)
    before = _state()
    assert _call(client, name, world).status_code == 404
    assert _state() == before


# PDFs are slow: rendered here for the coordinator only; police PDFs are in test_intelligence.
@pytest.mark.parametrize(
    ("persona", "name"),
    [("coordinator", n) for n in sorted(ACCESS)]
    + [("police", n) for n in sorted(ACCESS) if n not in FAST],
)
def test_it_lets_coordinator_and_police_in(client, world, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = _call(client, name, world)
    if ACCESS[name][2] == "police" and persona != "police":
        assert response.status_code == 404
    elif ACCESS[name][2] == "decide" and persona == "police":
        assert response.status_code == 403
    else:
        assert response.status_code in {200, 302, 400}, response.content[:300]


@pytest.mark.parametrize("name", sorted(n for n in ACCESS if n not in FAST))
def test_it_lets_a_reader_read_but_not_write(client, world, reader, name):
    client.force_login(reader)
    before = _state()
    response = _call(client, name, world)
    expected = {"read": 200, "edit": 403, "police": 404, "decide": 403}[ACCESS[name][2]]
    assert response.status_code == expected
    assert _state() == before


def test_it_refuses_intelligence_writes_by_coordinators(client, world, coordinator):
    client.force_login(coordinator)
    url = reverse("lagesbild:save-intelligence", args=["0642"])
    before = _state()
    response = client.post(
        url,
        {"intel-period_start": "2023-01-01", "intel-period_end": "2023-12-31", "intel-text": "x"},
    )
    assert response.status_code == 404
    assert _state() == before
    assert not AuditEntry.objects.filter(action="update_intelligence", actor=coordinator).exists()
