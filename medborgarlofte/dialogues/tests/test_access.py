"""Every internal dialogue URL, every persona (the driver: accounts/tests/access_matrix.py)."""

import datetime

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.dialogues import uploads
from medborgarlofte.dialogues.models import DialogueEntry, EntryTheme
from medborgarlofte.dialogues.services import EntryData, create_entry

# name: (method, kind of arguments, rule[, POST data])
ACCESS = {
    "dialogues:municipality": ("get", "code", "read"),
    "dialogues:create-entry": ("get", "code", "write"),
    "dialogues:entry": ("get", "entry", "read"),
    "dialogues:update-themes": ("post", "entry", "write", {"themes": ["trafik"]}),
    "dialogues:delete-entry": ("post", "entry", "write"),
    "dialogues:import-upload": ("get", "code", "write"),
    "dialogues:import-mapping": ("get", "token", "write"),
}


@pytest.fixture
def world(mullsjo, coordinator):
    return create_entry(
        mullsjo, coordinator, EntryData("citizen", datetime.date(2023, 11, 7), "Klotter", "Torget")
    )


class TestAccess(AccessMatrix):
    namespace = "dialogues"
    table = ACCESS

    def url(self, name, kind, entry, user):
        code = entry.municipality.code
        if kind == "token":  # an upload of the asking user (anonymous: the coordinator's)
            owner = user or entry.created_by
            token = uploads.save_upload(owner, entry.municipality, "a.csv", b"text\nKlotter\n")
            return reverse(name, args=[code, token])
        return reverse(name, args={"code": [code], "entry": [code, entry.pk]}[kind])

    def state(self):
        return (
            sorted(DialogueEntry.objects.values_list("pk", "text", "tags_edited")),
            sorted(EntryTheme.objects.values_list("entry_id", "theme")),
        )


def test_an_upload_token_of_another_user_answers_404(client, world, coordinator, police):
    token = uploads.save_upload(coordinator, world.municipality, "a.csv", b"text\nKlotter\n")
    client.force_login(police)
    response = client.get(reverse("dialogues:import-mapping", args=["0642", token]))
    assert response.status_code == 404
