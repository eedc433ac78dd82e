"""The privacy app's one internal URL, every persona (see tests/test_access_matrix.py)."""

import datetime

import pytest
from django.urls import reverse

from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.followup.models import Activity
from medborgarlofte.privacy import gate
from medborgarlofte.privacy.models import PersonalDataDismissal

# name: (method, arguments, reader may do it)
ACCESS = {
    "privacy:dismiss-finding": ("post", "none", False),
    "privacy:comment": ("post", "document", False),
}


@pytest.fixture
def target(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    activity = Activity.objects.create(
        municipality=version.municipality,
        agreement=version.agreement,
        commitment_ref="m24-09",
        date=datetime.date(2024, 3, 4),
        party_kind="police",
        title="Ring 070-123 45 67",
    )
    (hit,) = gate.hits(activity.title)
    return f"followup.activity:{activity.pk}:title:{hit.start}:{hit.kind}"


def _post(client, target):
    return client.post(
        reverse("privacy:dismiss-finding"),
        {"target": target, "reason": "Växelnummer", "next": "/arbete/"},
    )


def test_anonymous_visitors_are_sent_to_login(client, target):
    response = _post(client, target)
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert not PersonalDataDismissal.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "police"])
def test_only_coordinators_may_dismiss(client, target, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert _post(client, target).status_code == 403
    assert not PersonalDataDismissal.objects.exists()


def test_a_coordinator_of_another_kommun_learns_nothing(client, target, other_coordinator):
    client.force_login(other_coordinator)
    response = _post(client, target)
    assert response.status_code == 302 and response["Location"] == "/arbete/"
    assert not PersonalDataDismissal.objects.exists()


def test_the_coordinator_dismisses_and_get_is_not_allowed(client, target, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("privacy:dismiss-finding")).status_code == 405
    assert _post(client, target).status_code == 302
    assert PersonalDataDismissal.objects.count() == 1


def test_next_must_stay_on_the_site(client, target, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("privacy:dismiss-finding"),
        {"target": target, "reason": "Växelnummer", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/arbete/"


# --- Comments between the parties (issue 18; flows in tests/test_comments.py) -----------


@pytest.fixture
def comment_url(db, coordinator, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    return reverse("privacy:comment", args=["agreement", version.pk])


def test_comments_anonymous_are_sent_to_login(client, comment_url):
    response = client.post(comment_url, {"text": "Hej"})
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


@pytest.mark.parametrize(
    "persona, status",
    [("coordinator", 302), ("police", 302), ("reader", 403), ("other_coordinator", 404)],
)
def test_comments_per_persona(client, comment_url, request, persona, status):
    from medborgarlofte.accounts.models import Comment

    client.force_login(request.getfixturevalue(persona))
    assert client.get(comment_url).status_code in (405, 404)
    assert client.post(comment_url, {"action": "add", "text": "Hej"}).status_code == status
    assert Comment.objects.count() == (1 if status == 302 else 0)
