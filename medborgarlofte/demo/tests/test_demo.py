from django.core.management import call_command

from medborgarlofte.accounts.models import User
from medborgarlofte.agreements.models import AgreementVersion, Status


def test_it_loads_mullsjo_2024_published_and_is_idempotent(db, monkeypatch):
    from io import StringIO

    monkeypatch.setenv("DEMO_PASSWORD", "demo-lösenord-123")
    out = StringIO()
    call_command("load_demo", stdout=out)
    version = AgreementVersion.objects.get(
        municipality__code="0642", agreement__period_start__year=2024
    )
    assert version.status == Status.PUBLISHED
    assert version.commitments.count() == 19
    assert version.signed_date.isoformat() == "2023-12-12"
    assert set(version.approvals.values_list("party_kind", flat=True)) == {"police", "municipality"}
    assert "samordnare" in out.getvalue() and "demo-lösenord-123" in out.getvalue()
    assert User.objects.get(username="samordnare").check_password("demo-lösenord-123")
    count = AgreementVersion.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert AgreementVersion.objects.count() == count


def test_it_prints_a_random_password_when_none_is_given(db, monkeypatch):
    from io import StringIO

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "lösenord" in line)
    password = line.rsplit(": ", 1)[1].strip().rstrip(")")
    assert len(password) >= 12
    assert User.objects.get(username="kommunpolis").check_password(password)


def test_the_example_meeting_actions_name_a_commitment_by_its_reference(demo_loaded, db, client):
    from django.urls import reverse

    from medborgarlofte.incidents.models import MeetingAction

    action = MeetingAction.objects.exclude(commitment_ref="").first()
    assert action is not None
    version = AgreementVersion.objects.get(
        municipality__code="0642", agreement__period_start__year=2024
    )
    commitment = version.commitments.get(ref=action.commitment_ref)
    client.force_login(User.objects.get(username="samordnare"))
    meeting = action.meeting
    page = client.get(reverse("incidents:week", args=["0642", meeting.iso_year, meeting.iso_week]))
    from html import unescape

    assert commitment.text[:60] in unescape(page.content.decode())


def test_the_weekly_est_meetings_count_toward_dela_lagesbild_veckovis(demo_loaded, db, client):
    """Issue 14, item 6, in the demo: the weekly commitment of Mullsjö 2024 is met by the
    EST meetings themselves (47 of 52 weeks), with no activity logged for it by hand."""
    from html import unescape

    from django.urls import reverse

    from medborgarlofte.followup.data import build_followup_data
    from medborgarlofte.followup.models import Activity
    from medborgarlofte.incidents.models import WeeklyMeeting

    version = AgreementVersion.objects.get(
        municipality__code="0642", agreement__period_start__year=2024, status=Status.PUBLISHED
    )
    weekly = version.commitments.get(cadence="weekly")
    assert "lägesbild veckovis" in weekly.text
    meetings = WeeklyMeeting.objects.filter(municipality__code="0642", date__year=2024)
    assert meetings.count() == 47
    assert all(m.commitment_refs == [weekly.ref] for m in meetings)
    assert not Activity.objects.filter(commitment_ref=weekly.ref).exists()  # entered once

    data = build_followup_data(version.agreement, version, "year")
    item = next(c for g in data["groups"] for c in g["commitments"] if c["ref"] == weekly.ref)
    assert (item["compliance"]["logged"], item["compliance"]["expected"]) == (47, 52)
    assert item["activities"]["count"] == 47

    client.force_login(User.objects.get(username="samordnare"))
    meeting = meetings.order_by("date").first()
    page = client.get(reverse("incidents:week", args=["0642", meeting.iso_year, meeting.iso_week]))
    assert weekly.text[:60] in unescape(page.content.decode())
    activities = client.get(reverse("followup:activities", args=["0642", 2024])).content.decode()
    assert f"vecka {meeting.iso_week}" in unescape(activities).lower()
    citizen = client.get(reverse("followup_public:citizen-page", args=["0642", 2024]))
    assert "47 av 52 veckor" in unescape(citizen.content.decode())


def test_mullsjo_has_a_decided_lagesbild_and_a_decided_action_plan_linked_to_commitments(
    demo_loaded, db, client
):
    from django.urls import reverse

    from medborgarlofte.accounts.models import DecisionBody
    from medborgarlofte.actionplans.models import ActionPlan, ActionPlanDecision, Measure
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.lagesbild.models import LagesbildDecision

    load_demo("demo-lösenord-123")  # the second time (demo_loaded): one plan, one decision each
    decision = LagesbildDecision.objects.get(municipality__code="0642")
    assert decision.body == DecisionBody.KOMMUNSTYRELSEN
    assert (decision.paragraph, decision.reference) == ("§ 152", "KS 2023/214")
    assert decision.document.content["consequences"]  # 4 § 1 p. is in the decided version
    plan = ActionPlan.objects.get(municipality__code="0642")
    assert (plan.first_year, plan.last_year, plan.status) == (2024, 2026, "decided")
    assert plan.example_data
    assert ActionPlanDecision.objects.get(document=plan).body == DecisionBody.KOMMUNFULLMAKTIGE
    assert set(plan.approvals.values_list("party_kind", flat=True)) == {"police", "municipality"}
    linked = Measure.objects.filter(plan=plan).exclude(commitment_ref="")
    assert len(linked) >= 5
    version = AgreementVersion.objects.get(
        municipality__code="0642", agreement__period_start__year=2024
    )
    refs = set(version.commitments.values_list("ref", flat=True))
    assert {m.commitment_ref for m in linked} <= refs
    assert all(m.problems.exists() for m in plan.measures.all())
    client.force_login(User.objects.get(username="samordnare"))
    page = client.get(reverse("actionplans:plan", args=[plan.pk])).content.decode()
    assert "Exempeldata" in page and "KS 2023/215" in page
    page = client.get(
        reverse("lagesbild:version", args=[decision.document.lagesbild_id, 1])
    ).content.decode()
    assert "KS 2023/214" in page and "påhittat för demonstrationen" in page


def test_mullsjo_has_a_signed_cooperation_agreement_that_the_2024_commitments_serve(
    demo_loaded, db, client
):
    from django.urls import reverse

    from medborgarlofte.actionplans.models import CooperationAgreement, GoalCommitment
    from medborgarlofte.demo.loader import load_demo

    load_demo("demo-lösenord-123")  # the second time (demo_loaded): nothing doubles
    cooperation = CooperationAgreement.objects.get(municipality__code="0642")
    assert (cooperation.first_year, cooperation.last_year) == (2024, 2027)
    assert cooperation.status == CooperationAgreement.Status.SIGNED and cooperation.example_data
    assert cooperation.goals.count() == 4
    served = set(GoalCommitment.objects.values_list("commitment_ref", flat=True))
    assert len(served) == 19 and GoalCommitment.objects.count() == 19
    client.force_login(User.objects.get(username="samordnare"))
    page = client.get(reverse("actionplans:cooperation", args=[cooperation.pk])).content.decode()
    assert "M1 Ökad trygghet i centrum kvällstid" in page and "m24-19" in page
