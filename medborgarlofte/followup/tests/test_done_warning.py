"""Saving a commitment as done without any activity in the period warns (not refuses)."""

from django.urls import reverse

from medborgarlofte.followup.models import CommitmentStatus

WARNING = "Markerade som genomförda utan någon loggad aktivitet under perioden"


def _save(client, statuses):
    data = {f"status_{ref}": status for ref, status in statuses.items()}
    return client.post(
        reverse("followup:save-followup", args=["0642", 2024, "t1"]), data, follow=True
    )


def test_saving_done_without_activities_warns_but_saves(client, coordinator, published):
    client.force_login(coordinator)
    response = _save(client, {"m24-03": "done", "m24-19": "done", "m24-04": "ongoing"})
    assert response.status_code == 200
    page = response.content.decode()
    assert WARNING in page and "m24-03, m24-19" in page
    assert 'class="message message-warning"' in page
    saved = CommitmentStatus.objects.filter(follow_up__period="t1", status="done")
    assert set(saved.values_list("commitment_ref", flat=True)) == {"m24-03", "m24-19"}
    # and the draft itself says it, next to each such commitment
    assert page.count("inga aktiviteter är loggade för åtagandet") == 2


def test_no_warning_when_the_commitment_has_activities(client, coordinator, published):
    import datetime

    from medborgarlofte.followup.models import Activity

    Activity.objects.create(
        municipality=published.municipality,
        agreement=published,
        commitment_ref="m24-03",
        date=datetime.date(2024, 2, 1),
        party_kind="municipality",
        title="Extra insats i centrum",
    )
    client.force_login(coordinator)
    response = _save(client, {"m24-03": "done"})
    page = response.content.decode()
    assert "message-success" in page
    assert WARNING not in page
    assert (
        CommitmentStatus.objects.get(follow_up__period="t1", commitment_ref="m24-03").status
        == "done"
    )
