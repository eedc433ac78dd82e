"""The demo agrees with itself (issue 16, item 7): the lägesbild's evidence figures are
those of the demo's imported survey and dialogues, and no commitment is done without
activities."""

from decimal import Decimal

import pytest
from django.urls import reverse


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, loaded once for the module (conftest.demo_loaded)."""


def test_the_lagesbild_evidence_is_computed_from_the_demo_data(demo):
    from medborgarlofte.lagesbild.composition import find_candidate
    from medborgarlofte.lagesbild.models import Lagesbild
    from medborgarlofte.surveys.models import SurveyValue

    lagesbild = Lagesbild.objects.get(municipality__code="0642", promise_year=2024)
    evidence = [
        e
        for p in lagesbild.problems.all()
        for e in p.evidence.all()
        if e.kind in {"survey", "dialogue"}
    ]
    assert len(evidence) >= 8
    for item in evidence:
        # every figure points at its data and is what that data gives today
        assert item.source_app in {"surveys", "dialogues"} and item.source_key
        fresh = find_candidate(lagesbild, f"{item.kind}|{item.source_key}")
        assert fresh is not None, item.label
        assert (item.label, item.strength) == (fresh["label"], fresh["strength"])
        assert item.snapshot["value"] == fresh["value"] and item.snapshot["n"] == fresh["n"]

    drugs = lagesbild.problems.get(title__startswith="Narkotikahantering")
    survey = drugs.evidence.get(kind="survey", source_key__endswith=":Öppen narkotikahandel")
    stored = SurveyValue.objects.get(
        wave__municipality__code="0642",
        wave__year=2023,
        wave__area="Mullsjö centrum",
        question="Öppen narkotikahandel",
    )
    assert Decimal(str(survey.snapshot["value"])) == stored.value
    assert survey.snapshot["n"] == stored.n
    assert "412" not in " ".join(e.label for e in evidence)


def test_no_commitment_is_done_without_activities(demo, client):
    from medborgarlofte.accounts.models import User
    from medborgarlofte.followup.models import Activity, CommitmentStatus

    done = CommitmentStatus.objects.filter(municipality__code="0642", status="done")
    assert done.exists()
    from medborgarlofte.incidents.models import WeeklyMeeting

    # The weekly EST meetings that serve a commitment count as what was done for it.
    met = {
        ref
        for refs in WeeklyMeeting.objects.filter(municipality__code="0642").values_list(
            "commitment_refs", flat=True
        )
        for ref in refs or []
    }
    for status in done:
        period = status.follow_up
        assert (
            status.commitment_ref in met
            or Activity.objects.filter(
                agreement=period.agreement, commitment_ref=status.commitment_ref
            ).exists()
        ), status.commitment_ref
    client.force_login(User.objects.get(username="samordnare"))
    page = client.get(reverse("followup:followup", args=["0642", 2024, "year"])).content.decode()
    assert "inga aktiviteter är loggade" not in page
