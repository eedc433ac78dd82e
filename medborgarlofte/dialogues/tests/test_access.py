"""Access to every internal dialogue URL for every persona (see tests/test_access_matrix.py)."""

import datetime

import pytest
from django.urls import reverse

from medborgarlofte.dialogues import uploads
from medborgarlofte.dialogues.models import DialogueEntry, EntryTheme
from medborgarlofte.dialogues.services import EntryData, create_entry

# name: (method, kind of arguments, reader may do it)
ACCESS = {
    "dialogues:municipality": ("get", "code", True),
    "dialogues:create-entry": ("get", "code", False),
    "dialogues:entry": ("get", "entry", True),
    "dialogues:update-themes": ("post", "entry", False),
    "dialogues:delete-entry": ("post", "entry", False),
    "dialogues:import-upload": ("get", "code", False),
    "dialogues:import-mapping": ("get", "token", False),
}

POSTS = {"dialogues:update-themes": {"themes": ["trafik"]}}


@pytest.fixture
def entry(mullsjo, coordinator):
    return create_entry(
        mullsjo, coordinator, EntryData("citizen", datetime.date(2023, 11, 7), "Klotter", "Torget")
    )


def _url(name, entry, user):
    kind = ACCESS[name][1]
    code = entry.municipality.code
    if kind == "token":
        token = uploads.save_upload(user, entry.municipality, "a.csv", b"text\nKlotter\n")
        return reverse(name, args=[code, token])
    args = {"code": [code], "entry": [code, entry.pk]}[kind]
    return reverse(name, args=args)


def _state():
    return (
        sorted(DialogueEntry.objects.values_list("pk", "text", "tags_edited")),
        sorted(EntryTheme.objects.values_list("entry_id", "theme")),
    )


def _call(client, name, entry, user):
    url = _url(name, entry, user)
    if ACCESS[name][0] == "post":
        return client.post(url, POSTS.get(name, {}))
    return client.get(url)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, entry, coordinator, name):
    before = _state()
    response = _call(client, name, entry, coordinator)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _state() == before


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, entry, other_coordinator, name):
    client.force_login(other_coordinator)
    before = _state()
    assert _call(client, name, entry, other_coordinator).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["coordinator", "police"])
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_coordinator_and_police_in(client, entry, request, persona, name):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = _call(client, name, entry, user)
    assert response.status_code in {200, 302}, response.content[:500]


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_a_reader_read_but_not_write(client, entry, reader, name):
    client.force_login(reader)
    before = _state()
    response = _call(client, name, entry, reader)
    assert response.status_code == (200 if ACCESS[name][2] else 403)
    assert _state() == before


def test_an_upload_token_of_another_user_answers_404(client, entry, coordinator, police):
    token = uploads.save_upload(coordinator, entry.municipality, "a.csv", b"text\nKlotter\n")
    client.force_login(police)
    response = client.get(reverse("dialogues:import-mapping", args=["0642", token]))
    assert response.status_code == 404
