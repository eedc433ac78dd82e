"""A report form sent twice is stored once (idempotency key); a report is all or nothing.

Parallel posts through a real server: tests/test_durability.py and
benchmarks/concurrent_submissions.py.
"""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.incidents import services
from medborgarlofte.incidents.models import Incident, Report

from .test_reporting import form_data

KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f-]{36})"')


def _form_key(client) -> str:
    page = client.get(reverse("incidents:new-report", args=["0642"])).content.decode()
    found = KEY.search(page)
    assert found, "the report form has no hidden idempotency key"
    return found.group(1)


def test_every_rendering_of_the_form_carries_a_new_random_key(client, est, reporter):
    client.force_login(reporter)
    keys = {_form_key(client) for _ in range(3)}
    assert len(keys) == 3
    assert all(uuid.UUID(key).version == 4 for key in keys)
    page = client.get(reverse("incidents:new-report", args=["0642"])).content.decode()
    assert '<label for="id_idempotency_key"' not in page  # hidden, no label


def test_the_same_form_sent_twice_is_stored_once(client, est, reporter):
    client.force_login(reporter)
    url = reverse("incidents:new-report", args=["0642"])
    data = form_data(est, {"description": "Krossad ruta vid entrén."})
    data["idempotency_key"] = _form_key(client)
    reports, audits = Report.objects.count(), AuditEntry.objects.count()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("incidents:my-reports")
    assert Report.objects.count() == reports + 1
    assert Incident.objects.filter(description="Krossad ruta vid entrén.").count() == 1
    assert AuditEntry.objects.count() == audits + 1
    stored = Report.objects.get(idempotency_key=data["idempotency_key"])
    assert stored.reporter == reporter
    # A new rendering of the form is a new report, even with the same text.
    data["idempotency_key"] = _form_key(client)
    assert client.post(url, data).status_code == 302
    assert Incident.objects.filter(description="Krossad ruta vid entrén.").count() == 2


def test_the_same_form_reused_for_other_events_is_a_new_report(client, est, reporter):
    """The browser's Back button may bring the form back with its old key; what is then
    written and sent is a new report and must not be swallowed as a resend."""
    client.force_login(reporter)
    url = reverse("incidents:new-report", args=["0642"])
    key = _form_key(client)
    for text in ("Sprayad vägg", "Brand i papperskorg"):
        data = {**form_data(est, {"description": text}), "idempotency_key": key}
        assert client.post(url, data).status_code == 302
    assert (
        Incident.objects.filter(description__in=["Sprayad vägg", "Brand i papperskorg"]).count()
        == 2
    )
    assert Report.objects.filter(idempotency_key=key).count() == 1


def test_the_key_survives_adding_an_event_and_the_personal_data_check(client, est, reporter):
    client.force_login(reporter)
    url = reverse("incidents:new-report", args=["0642"])
    key = _form_key(client)
    data = {**form_data(est, {"description": "Ring 070-123 45 67."}), "idempotency_key": key}
    checked = client.post(url, data)
    assert checked.status_code == 400 and key in checked.content.decode()
    del data["send"]
    assert key in client.post(url, {**data, "add_event": "1"}).content.decode()


def test_a_missing_or_malformed_key_still_stores_the_report(client, est, reporter):
    client.force_login(reporter)
    url = reverse("incidents:new-report", args=["0642"])
    before = Report.objects.count()
    for key in (None, "not-a-uuid"):
        data = form_data(est, {"description": f"Nedskräpning {key}"})
        if key:
            data["idempotency_key"] = key
        assert client.post(url, data).status_code == 302
    assert Report.objects.count() == before + 2
    assert Report.objects.filter(idempotency_key__isnull=True).count() >= 2


def _events(est, text):
    category = est["categories"]["klotter"]
    return [services.EventData(category, timezone.localdate(), "evening", description=text)]


def test_a_twin_that_wins_the_race_is_returned_not_duplicated(est, reporter, mullsjo, monkeypatch):
    """The race: a parallel twin commits between our look-up and our insert. The unique
    constraint refuses the second row; the service answers with the twin's report."""
    key = uuid.uuid4()
    twin = services.submit_report(
        reporter, mullsjo, "Fritid", _events(est, "Tvilling"), idempotency_key=key
    )
    real = services._report_with_key
    calls = []

    def first_look_misses(user, municipality, k):
        calls.append(k)
        return None if len(calls) == 1 else real(user, municipality, k)

    monkeypatch.setattr(services, "_report_with_key", first_look_misses)
    reports, audits = Report.objects.count(), AuditEntry.objects.count()
    again = services.submit_report(
        reporter, mullsjo, "Fritid", _events(est, "Tvilling"), idempotency_key=key
    )
    assert again.pk == twin.pk and len(calls) == 2
    assert Report.objects.count() == reports and AuditEntry.objects.count() == audits
    # The transaction is still usable after the refused insert (savepoint).
    assert Incident.objects.filter(description="Tvilling").count() == 1


def test_another_reporter_cannot_reuse_a_key(est, reporter, mullsjo):
    from django.core.exceptions import PermissionDenied

    from conftest import make_user

    key = uuid.uuid4()
    services.submit_report(reporter, mullsjo, "A", _events(est, "Först"), idempotency_key=key)
    other = make_user("annan-rapportor", [("0642", "reporter")])
    with pytest.raises(PermissionDenied):
        services.submit_report(other, mullsjo, "B", _events(est, "Sedan"), idempotency_key=key)
    assert not Incident.objects.filter(description="Sedan").exists()


def test_a_report_is_stored_whole_or_not_at_all(est, reporter, mullsjo, monkeypatch):
    """One transaction: a failure after the report and its events were inserted (here the
    audit entry) leaves no report, no event and no key behind."""

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", fail)
    reports, incidents = Report.objects.count(), Incident.objects.count()
    key = uuid.uuid4()
    events = _events(est, "Halv") * 2
    with pytest.raises(RuntimeError):
        services.submit_report(reporter, mullsjo, "Fritid", events, idempotency_key=key)
    assert Report.objects.count() == reports and Incident.objects.count() == incidents
    assert not Report.objects.filter(idempotency_key=key).exists()
