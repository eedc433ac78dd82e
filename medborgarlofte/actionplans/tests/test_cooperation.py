"""The samverkansöverenskommelse: goals, signed by both parties through the shared
approval (then frozen), and the medborgarlöften of its years under it, each commitment
showing the goals it serves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.actionplans import access, services
from medborgarlofte.actionplans.models import CooperationAgreement, GoalCommitment


def _sign_both(cooperation, coordinator, police):
    services.sign_cooperation(cooperation, coordinator, "municipality")
    return services.sign_cooperation(cooperation, police, "police")


def test_both_parties_sign_and_the_agreement_is_frozen(cooperation, coordinator, police):
    result = _sign_both(cooperation, coordinator, police)
    assert result.both_approved
    cooperation.refresh_from_db()
    assert cooperation.status == CooperationAgreement.Status.SIGNED
    assert AuditEntry.objects.filter(action="agree_cooperation").exists()
    with pytest.raises(ValidationError):
        services.update_cooperation(cooperation, coordinator, title="Ändrad")
    with pytest.raises(ValidationError):
        services.withdraw_signature(cooperation, coordinator, "municipality")


def test_an_edit_clears_a_signature(cooperation, coordinator):
    services.sign_cooperation(cooperation, coordinator, "municipality")
    assert services.update_cooperation(cooperation, coordinator, problems="Nya problem") == 1
    assert not cooperation.approvals.exists()


def test_signing_needs_a_goal(db, coordinator, mullsjo):
    bare = services.create_cooperation(
        mullsjo,
        coordinator,
        title="Utan mål",
        first_year=2024,
        last_year=2027,
        problems="p",
        organisation="o",
        follow_up_method="f",
    )
    with pytest.raises(ValidationError):
        services.sign_cooperation(bare, coordinator, "municipality")


def test_a_reader_may_not_sign(cooperation, reader):
    with pytest.raises(PermissionDenied):
        services.sign_cooperation(cooperation, reader, "municipality")


def test_the_promises_of_its_years_hang_under_it_with_their_goals(
    cooperation, coordinator, police, draft_agreement, client
):
    _sign_both(cooperation, coordinator, police)
    agreement = draft_agreement.agreement
    commitment = draft_agreement.commitments.order_by("pk").first()
    goal = cooperation.goals.get()
    services.set_commitment_goals(
        cooperation, coordinator, agreement=agreement, commitment_ref=commitment.ref, goals=[goal]
    )
    promises = access.promises_under(cooperation)
    assert [p["agreement"] for p in promises] == [agreement]
    row = next(r for r in promises[0]["commitments"] if r["commitment"].ref == commitment.ref)
    assert row["goals"] == [goal]
    client.force_login(coordinator)
    page = client.get(reverse("actionplans:cooperation", args=[cooperation.pk]))
    assert page.status_code == 200
    assert "M1 Ökad trygghet i centrum" in page.content.decode()
    editor = client.get(
        reverse("agreements:version", args=[agreement.pk, draft_agreement.number])
    ).content.decode()
    assert "Serves goal M1" in editor or "Tjänar mål M1" in editor
    services.set_commitment_goals(
        cooperation, coordinator, agreement=agreement, commitment_ref=commitment.ref, goals=[]
    )
    assert not GoalCommitment.objects.exists()


def test_a_promise_outside_its_years_is_refused(cooperation, coordinator, draft_agreement):
    cooperation.first_year = cooperation.last_year = 2030
    cooperation.save()
    with pytest.raises(ValidationError):
        services.set_commitment_goals(
            cooperation,
            coordinator,
            agreement=draft_agreement.agreement,
            commitment_ref="m24-01",
            goals=[],
        )


def test_the_page_posts_goals_for_a_commitment(cooperation, coordinator, draft_agreement, client):
    agreement = draft_agreement.agreement
    commitment = draft_agreement.commitments.order_by("pk").first()
    goal = cooperation.goals.get()
    client.force_login(coordinator)
    url = reverse(
        "actionplans:commitment-goals", args=[cooperation.pk, agreement.pk, commitment.ref]
    )
    response = client.post(url, {f"c{agreement.pk}-{commitment.pk}-goals": [goal.pk]})
    assert response.status_code == 302
    assert GoalCommitment.objects.get().goal == goal
