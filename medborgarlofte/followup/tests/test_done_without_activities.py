"""A commitment marked done without any logged activity is flagged in the follow-up
editor (issue 16: the product warns a coordinator who sets such a status). A published
follow-up shows what was published (issue 18): deleting the activities afterwards
changes the draft's warning only, and the published one lists it as a change."""

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
    published = client.get(url).content.decode()
    assert published.count(WARNING) == with_activities.count(WARNING)  # frozen
    assert "Ändringar sedan publicering" in published
    # As a draft (not yet published), the editor shows the data as it is now.
    done.follow_up.__class__.objects.filter(pk=done.follow_up_id).update(status="draft")
    without = client.get(url).content.decode()
    assert without.count(WARNING) == with_activities.count(WARNING) + 1
