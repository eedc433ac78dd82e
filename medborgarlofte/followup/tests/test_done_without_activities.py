"""A commitment marked done without any logged activity is flagged in the follow-up
editor (issue 16: the product warns a coordinator who sets such a status)."""

import pytest
from django.urls import reverse

WARNING = "inga aktiviteter är loggade för åtagandet"


@pytest.mark.django_db
def test_done_without_activities_is_flagged(client, settings):
    from medborgarlofte.accounts.models import User
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.followup.models import Activity, CommitmentStatus

    load_demo("lösenord-för-demo-4417")
    client.force_login(User.objects.get(username="samordnare"))
    url = reverse("followup:followup", args=["0642", 2024, "year"])
    done = CommitmentStatus.objects.filter(
        municipality__code="0642", follow_up__period="year", status="done"
    ).first()
    assert done is not None, "the demo's year follow-up has a commitment marked done"
    with_activities = client.get(url).content.decode()
    Activity.objects.filter(municipality__code="0642", commitment_ref=done.commitment_ref).delete()
    without = client.get(url).content.decode()
    assert without.count(WARNING) == with_activities.count(WARNING) + 1
