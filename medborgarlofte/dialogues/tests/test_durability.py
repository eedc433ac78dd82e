"""The public form sent twice stores one entry (idempotency key); an entry is all or nothing.

The key is random per rendering of the form: it is not derived from, and not stored
with, anything about the writer. Parallel posts through a real server:
tests/test_durability.py and benchmarks/concurrent_submissions.py.
"""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.dialogues import services
from medborgarlofte.dialogues.models import DialogueEntry, EntryTheme

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f-]{36})"')
URL = reverse("dialogues_public:form", args=["0642"])
THANKS = reverse("dialogues_public:thanks", args=["0642"])


def _form_key(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    found = KEY.search(response.content.decode())
    assert found, "the public form has no hidden idempotency key"
    return found.group(1)


def test_every_rendering_of_the_public_form_carries_a_new_random_key(client, mullsjo):
    keys = {_form_key(client) for _ in range(3)}
    assert len(keys) == 3 and all(uuid.UUID(key).version == 4 for key in keys)
    assert not client.cookies.get("sessionid")  # nothing ties the key to a session


def test_the_same_form_sent_twice_is_stored_once(client, mullsjo):
    data = {"text": "Mörkt i tunneln vid skolan", "area": "Skolan", "idempotency_key": ""}
    data["idempotency_key"] = _form_key(client)
    audits = AuditEntry.objects.count()
    first = client.post(URL, data, REMOTE_ADDR="10.5.5.5")
    second = client.post(URL, data, REMOTE_ADDR="10.5.5.5")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == THANKS
    entry = DialogueEntry.objects.get()
    assert str(entry.idempotency_key) == data["idempotency_key"]
    assert AuditEntry.objects.count() == audits + 1
    assert EntryTheme.objects.filter(entry=entry).count() == len(entry.theme_keys)


def test_the_same_form_reused_for_another_text_is_a_new_entry(client, mullsjo):
    """The browser's Back button may bring the form back with its old key; what is then
    written and sent is new and must not be swallowed as a resend."""
    key = _form_key(client)
    for text in ("Trasig lampa i parken", "Mopeder på cykelbanan"):
        response = client.post(URL, {"text": text, "idempotency_key": key}, REMOTE_ADDR="10.8.8.8")
        assert response.status_code == 302
    assert sorted(DialogueEntry.objects.values_list("text", flat=True)) == [
        "Mopeder på cykelbanan",
        "Trasig lampa i parken",
    ]
    assert DialogueEntry.objects.filter(idempotency_key=key).count() == 1


def test_a_resent_form_is_thanked_even_at_the_rate_limit(client, mullsjo):
    """The rate limit counts stored entries: the fifth entry's form sent again gets the
    thanks page, not "try again in an hour"; a sixth new entry is refused."""
    sent = []
    for number in range(5):
        data = {"text": f"Klotter nummer {number}", "idempotency_key": _form_key(client)}
        assert client.post(URL, data, REMOTE_ADDR="10.6.6.6").status_code == 302
        sent.append(data)
    again = client.post(URL, sent[-1], REMOTE_ADDR="10.6.6.6")
    assert again.status_code == 302 and again["Location"] == THANKS
    new = {"text": "Ännu en sak", "idempotency_key": _form_key(client)}
    assert client.post(URL, new, REMOTE_ADDR="10.6.6.6").status_code == 429
    assert DialogueEntry.objects.count() == 5


def test_a_twin_that_wins_the_race_is_returned_not_duplicated(mullsjo, monkeypatch):
    key = uuid.uuid4()
    today = timezone.localdate()
    twin, _kinds, created = services.submit_public_entry(
        mullsjo, date=today, area="", text="Tvilling", idempotency_key=key
    )
    assert created
    real = services.entry_for_submission_key
    calls = []

    def first_look_misses(municipality, k):
        calls.append(k)
        return None if len(calls) == 1 else real(municipality, k)

    monkeypatch.setattr(services, "entry_for_submission_key", first_look_misses)
    audits = AuditEntry.objects.count()
    # Another day: only the key makes it a twin (not the same-day fingerprint).
    again, _kinds, created = services.submit_public_entry(
        mullsjo, date=today - datetime.timedelta(days=1), area="", text="Tvilling",
        idempotency_key=key,
    )  # fmt: skip
    assert again.pk == twin.pk and not created and len(calls) == 2
    assert DialogueEntry.objects.count() == 1 and AuditEntry.objects.count() == audits


def test_an_entry_is_stored_whole_or_not_at_all(mullsjo, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(RuntimeError):
        services.submit_public_entry(
            mullsjo, date=timezone.localdate(), area="", text="Klotter och mopeder",
            idempotency_key=uuid.uuid4(),
        )  # fmt: skip
    assert DialogueEntry.objects.count() == 0 and EntryTheme.objects.count() == 0
