"""Who may open the internal statistics pages (the global access matrix imports ACCESS)."""

import pytest
from django.urls import reverse

from medborgarlofte.crimestats.models import CrimeStatistic, ImportRun

# name: (method, URL arguments for Mullsjö, reader may do it)
KOMMUN_ACCESS = {
    "crimestats:statistics": ("get", ["0642"], True),
    "crimestats:download-summary": ("get", ["0642", "json"], True),
}
# The operator's national files: Django staff or superusers only, no kommun role suffices.
OPERATOR_ACCESS = {
    "crimestats:national-upload": ("get", [], False),
    "crimestats:national-import": ("post", [], False),
}
ACCESS = {**KOMMUN_ACCESS, **OPERATOR_ACCESS}

pytestmark = pytest.mark.django_db


def _state():
    return (CrimeStatistic.objects.count(), ImportRun.objects.count())


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, name):
    method, args, _reader = ACCESS[name]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["coordinator", "police", "reader"])
@pytest.mark.parametrize("name", sorted(KOMMUN_ACCESS))
def test_it_lets_the_kommuns_roles_read(client, request, persona, name):
    method, args, reader_allowed = ACCESS[name]
    client.force_login(request.getfixturevalue(persona))
    before = _state()
    response = getattr(client, method)(reverse(name, args=args))
    expected = {200, 302} if persona != "reader" or reader_allowed else {403}
    assert response.status_code in expected
    assert _state() == before


@pytest.mark.parametrize("name", sorted(KOMMUN_ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, other_coordinator, name):
    method, args, _reader = ACCESS[name]
    client.force_login(other_coordinator)
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 404


def test_it_refuses_writes_the_pages_do_not_offer(client, reader):
    client.force_login(reader)
    before = _state()
    response = client.post(reverse("crimestats:statistics", args=["0642"]))
    assert response.status_code in {200, 405}
    assert _state() == before


@pytest.mark.parametrize("persona", ["coordinator", "police", "reader", "other_coordinator"])
@pytest.mark.parametrize("name", sorted(OPERATOR_ACCESS))
def test_only_the_operator_may_upload_national_files(client, request, persona, name):
    method, args, _reader = OPERATOR_ACCESS[name]
    client.force_login(request.getfixturevalue(persona))
    before = _state()
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 403
    assert _state() == before
