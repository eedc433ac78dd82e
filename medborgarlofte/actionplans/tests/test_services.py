"""The åtgärdsplan's services: approval through the shared two-party approval, the
decision that freezes it, revision as a copy, the follow-up of measures, and the step
from a measure to a medborgarlöfte commitment, linked both ways."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.actionplans import services
from medborgarlofte.actionplans.models import ActionPlan, Measure

from .conftest import DECISION


def _approve_both(plan, coordinator, police):
    services.approve_plan(plan, coordinator, "municipality")
    return services.approve_plan(plan, police, "police")


def test_both_parties_approve_through_the_shared_approvals(plan, coordinator, police):
    first = services.approve_plan(plan, coordinator, "municipality")
    assert not first.both_approved
    result = services.approve_plan(plan, police, "police")
    assert result.both_approved
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.AGREED
    assert AuditEntry.objects.filter(action="agree_actionplan", object_id=str(plan.pk)).exists()


def test_an_edit_clears_the_approvals(plan, coordinator, police):
    _approve_both(plan, coordinator, police)
    cleared = services.update_plan(plan, coordinator, summary="Ny sammanfattning")
    assert cleared == 2
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DRAFT


def test_deciding_needs_both_approvals_when_the_police_take_part(plan, coordinator, police):
    with pytest.raises(ValidationError):
        services.decide_plan(plan, coordinator, **DECISION)
    _approve_both(plan, coordinator, police)
    with pytest.raises(PermissionDenied):  # the kommun decides, not the police
        services.decide_plan(plan, police, **DECISION)
    decision = services.decide_plan(plan, coordinator, **DECISION)
    assert decision.body_label() == "Kommunstyrelsen"
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DECIDED
    assert AuditEntry.objects.filter(action="decide_actionplan").count() == 1


def test_a_plan_without_the_police_is_decided_by_the_kommun_alone(plan, coordinator):
    services.update_plan(plan, coordinator, police_take_part=False)
    with pytest.raises(ValidationError):
        services.approve_plan(plan, coordinator, "municipality")
    services.decide_plan(plan, coordinator, **DECISION)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.DECIDED


def test_a_decided_plan_is_frozen(plan, coordinator, police):
    _approve_both(plan, coordinator, police)
    services.decide_plan(plan, coordinator, **DECISION)
    measure = plan.measures.get()
    with pytest.raises(ValidationError):
        services.update_plan(plan, coordinator, title="Ändrad")
    with pytest.raises(ValidationError):
        services.update_measure(measure, coordinator, title="Ändrad")
    with pytest.raises(ValidationError):
        services.decide_plan(plan, coordinator, **DECISION)  # decided once
    plan.refresh_from_db()
    assert plan.title == "Åtgärdsplan 2024–2026"


def test_a_committee_must_be_named(plan, coordinator):
    services.update_plan(plan, coordinator, police_take_part=False)
    with pytest.raises(ValidationError):
        services.decide_plan(plan, coordinator, **{**DECISION, "body": "namnd"})
    decision = services.decide_plan(
        plan, coordinator, **{**DECISION, "body": "namnd", "body_name": "Socialnämnden"}
    )
    assert decision.body_label() == "Socialnämnden"


def test_revision_copies_and_leaves_the_decided_plan_unchanged(plan, coordinator, police):
    _approve_both(plan, coordinator, police)
    services.decide_plan(plan, coordinator, **DECISION)
    old_measure = plan.measures.get()
    new = services.revise_plan(plan, coordinator)
    assert (new.number, new.revises_id, new.status) == (2, plan.pk, ActionPlan.Status.DRAFT)
    copy = new.measures.get()
    assert copy.pk != old_measure.pk and copy.ref == old_measure.ref
    assert list(copy.problems.all()) == list(old_measure.problems.all())
    services.update_measure(copy, coordinator, title="Reviderad åtgärd")
    old_measure.refresh_from_db()
    assert old_measure.title == "Trygghetsvandringar i centrum"
    with pytest.raises(ValidationError):
        services.revise_plan(plan, coordinator)  # revised once


def test_follow_up_per_period_also_after_the_decision(plan, coordinator, police):
    _approve_both(plan, coordinator, police)
    services.decide_plan(plan, coordinator, **DECISION)
    measure = plan.measures.get()
    services.record_followup(
        measure, coordinator, year=2024, term="t1", status="ongoing", explanation="Två vandringar"
    )
    services.record_followup(
        measure, coordinator, year=2024, term="t1", status="done", explanation="Klart"
    )
    assert list(measure.followups.values_list("status", "explanation")) == [("done", "Klart")]
    with pytest.raises(ValidationError):
        services.record_followup(
            measure, coordinator, year=2024, term="t2", status="done", explanation=" "
        )


def test_a_measure_becomes_a_draft_commitment_linked_both_ways(
    client, plan, coordinator, draft_agreement
):
    measure = plan.measures.get()
    section = draft_agreement.sections.first()
    commitment = services.commitment_from_measure(measure, coordinator, section)
    assert commitment.version == draft_agreement
    assert {p.kind for p in commitment.owner_parties()} == {"municipality", "police"}
    assert list(commitment.problems.all()) == list(measure.problems.all())
    measure.refresh_from_db()
    assert (measure.agreement, measure.commitment_ref) == (
        draft_agreement.agreement,
        commitment.ref,
    )
    with pytest.raises(ValidationError):
        services.commitment_from_measure(measure, coordinator, section)  # once

    client.force_login(coordinator)
    editor = client.get(
        reverse("agreements:version", args=[draft_agreement.agreement_id, draft_agreement.number])
    ).content.decode()
    assert "Trygghetsvandringar i centrum" in editor
    assert reverse("actionplans:plan", args=[plan.pk]) + f"#m{measure.pk}" in editor
    page = client.get(reverse("actionplans:plan", args=[plan.pk])).content.decode()
    assert reverse("agreements:agreement", args=[draft_agreement.agreement_id]) in page
    assert commitment.ref in page


def test_only_measures_with_the_police_become_commitments(plan, coordinator, draft_agreement):
    measure = plan.measures.get()
    services.update_measure(measure, coordinator, with_police=False)
    with pytest.raises(ValidationError):
        services.commitment_from_measure(measure, coordinator, draft_agreement.sections.first())


def test_a_measure_cannot_address_another_lagesbilds_problem(plan, coordinator, mullsjo):
    from medborgarlofte.lagesbild import services as lb_services

    other = lb_services.create_lagesbild(
        mullsjo,
        coordinator,
        title="Annan",
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        promise_year=2023,
    )
    problem = lb_services.add_problem(
        other, coordinator, title="X", behaviour="X", place="X", time="X"
    )
    with pytest.raises(PermissionDenied):
        services.update_measure(plan.measures.get(), coordinator, problems=[problem])


def test_another_kommun_gets_404(client, plan, other_coordinator):
    client.force_login(other_coordinator)
    assert client.get(reverse("actionplans:plan", args=[plan.pk])).status_code == 404
    measure = plan.measures.get()
    url = reverse("actionplans:record-followup", args=[plan.pk, measure.pk])
    response = client.post(
        url,
        {
            f"f{measure.pk}-year": 2024,
            f"f{measure.pk}-term": "t1",
            f"f{measure.pk}-status": "done",
            f"f{measure.pk}-explanation": "x",
        },
    )
    assert response.status_code == 404
    assert not Measure.objects.get().followups.exists()


def test_the_views_add_a_measure_and_decide(client, plan, coordinator, police):
    client.force_login(coordinator)
    problem = plan.lagesbild.problems.get()
    response = client.post(
        reverse("actionplans:add-measure", args=[plan.pk]),
        {
            "new-measure-title": "Föräldravandringar",
            "new-measure-problems": [problem.pk],
            "new-measure-responsible": "Fritid",
            "new-measure-starts": "2024-03-01",
            "new-measure-ends": "2024-12-31",
            "new-measure-hours": "40",
            "new-measure-cost": "2000",
            "new-measure-expected_effect": "Fler vuxna ute",
            "new-measure-indicator": "Antal vandringar",
        },
    )
    assert response.status_code == 302
    assert plan.measures.filter(title="Föräldravandringar", ref="Å2").exists()
    _approve_both(plan, coordinator, police)
    response = client.post(
        reverse("actionplans:decide", args=[plan.pk]),
        {
            "decision-body": "kommunfullmaktige",
            "decision-decided_on": "2024-03-20",
            "decision-paragraph": "§ 30",
            "decision-reference": "KS 2024/12",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("actionplans:plan", args=[plan.pk])).content.decode()
    assert "Kommunfullmäktige" in page and "KS 2024/12" in page


def test_a_measure_names_a_place_of_its_own_kommun_and_shows_before_and_after(
    client, plan, coordinator, mullsjo
):
    from medborgarlofte.kommuner.models import Municipality, Place

    own = Place.objects.create(municipality=mullsjo, name="Mullsjö centrum")
    other = Place.objects.create(
        municipality=Municipality.objects.get(code="0680"), name="Jönköpings centrum"
    )
    measure = plan.measures.get()
    fields = {
        "title": measure.title,
        "responsible": measure.responsible,
        "with_police": "on",
        "starts": "2024-01-01",
        "ends": "2026-12-31",
        "expected_effect": measure.expected_effect,
        "indicator": measure.indicator,
    }
    data = {f"m{measure.pk}-{name}": value for name, value in fields.items()}
    url = reverse("actionplans:update-measure", args=[plan.pk, measure.pk])
    client.force_login(coordinator)
    # Another kommun's place is no choice of the form, and the service refuses it too.
    assert client.post(url, {**data, f"m{measure.pk}-place": other.pk}).status_code == 400
    measure.refresh_from_db()
    assert measure.place is None
    with pytest.raises(PermissionDenied):
        services.update_measure(measure, coordinator, place=other)
    assert client.post(url, {**data, f"m{measure.pk}-place": own.pk}).status_code == 302
    measure.refresh_from_db()
    assert measure.place == own
    page = client.get(reverse("actionplans:plan", args=[plan.pk])).content.decode()
    assert "Före och efter på platsen" in page
    assert "Talen är för små för att säga något." in page  # no events at all
