"""Access to every internal survey URL for every persona (see tests/test_access_matrix.py)."""

import pytest
from django.urls import reverse

from medborgarlofte.surveys.models import SurveyThreshold, SurveyValue, SurveyWave

# name: (method, kind of arguments, reader may do it)
ACCESS = {
    "surveys:municipality": ("get", "code", True),
    "surveys:import-survey": ("get", "code", False),
    "surveys:set-thresholds": ("post", "code", False),
    "surveys:create-wave": ("post", "code", False),
    "surveys:wave": ("get", "wave", True),
    "surveys:update-wave": ("post", "wave", False),
    "surveys:delete-wave": ("post", "wave", False),
    "surveys:save-value": ("post", "wave", False),
    "surveys:delete-value": ("post", "value", False),
    "surveys:undo-delete-value": ("post", "wave", False),
}

POSTS = {
    "surveys:set-thresholds": {"normal_max": "1.4", "watch_max": "1.9"},
    "surveys:create-wave": {
        "wave-provider": "Polisen",
        "wave-year": "2024",
        "wave-area": "Sandhem",
        "wave-respondents": "100",
        "wave-value_format": "index",
    },  # fmt: skip
    "surveys:update-wave": {
        "wave-provider": "Polisen",
        "wave-year": "2023",
        "wave-area": "Ändrat",
        "wave-respondents": "101",
        "wave-value_format": "index",
    },  # fmt: skip
    "surveys:save-value": {"question": "Nedskräpning", "value": "1.3", "n": "90"},
}


@pytest.fixture
def wave(mullsjo):
    found = SurveyWave.objects.create(
        municipality=mullsjo, provider="Polisen", year=2023, area="Mullsjö centrum",
        respondents=200, value_format="index",
    )  # fmt: skip
    SurveyValue.objects.create(municipality=mullsjo, wave=found, question="Klotter", value="1.2")
    return found


def _url(name, wave):
    kind = ACCESS[name][1]
    args = {
        "code": [wave.municipality.code],
        "wave": [wave.municipality.code, wave.pk],
        "value": [wave.municipality.code, wave.values.first().pk],
    }[kind]
    return reverse(name, args=args)


def _state():
    return (
        sorted(SurveyWave.objects.values_list("pk", "area", "respondents", "updated_at")),
        sorted(SurveyValue.objects.values_list("pk", "question", "value", "n")),
        sorted(SurveyThreshold.objects.values_list("pk", "normal_max", "watch_max")),
    )


def _call(client, name, wave):
    method = ACCESS[name][0]
    if method == "post":
        return client.post(_url(name, wave), POSTS.get(name, {}))
    return client.get(_url(name, wave))


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, wave, name):
    before = _state()
    response = _call(client, name, wave)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, wave, other_coordinator, name):
    client.force_login(other_coordinator)
    before = _state()
    assert _call(client, name, wave).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["coordinator", "police"])
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_coordinator_and_police_in(client, wave, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = _call(client, name, wave)
    assert response.status_code in {200, 302}, response.content[:500]


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_a_reader_read_but_not_write(client, wave, reader, name):
    client.force_login(reader)
    before = _state()
    response = _call(client, name, wave)
    assert response.status_code == (200 if ACCESS[name][2] else 403)
    assert _state() == before
