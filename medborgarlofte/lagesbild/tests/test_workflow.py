from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import priorities
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Status
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.lagesbild import services
from medborgarlofte.lagesbild.models import Lagesbild, RankChange


def _problem(lb, user, title, strength=0.5, kind="dialogue"):
    problem = services.add_problem(
        lb,
        user,
        title=title,
        behaviour="b",
        place="p",
        time="t",
        chosen=True,
        focus_area=f"Område {title}",
    )
    services.add_evidence(
        problem, user, kind=kind, label=f"evidens {title}", snapshot={}, strength=strength
    )
    return problem


def test_it_orders_problems_by_score_until_someone_moves_one(lagesbild, coordinator):
    weak = _problem(lagesbild, coordinator, "svag", 0.1)
    strong = _problem(lagesbild, coordinator, "stark", 1.0, kind="statistic")
    titles = list(lagesbild.problems.values_list("title", flat=True))
    assert titles[0] == "Narkotika i centrum"  # survey 1.0 + intelligence 0.67, two sources
    assert titles[1:] == ["stark", "svag"]
    with pytest.raises(ValidationError):
        services.move_problem(weak, coordinator, direction="up", reason="  ")
    services.move_problem(weak, coordinator, direction="up", reason="Många klagomål i dialogen")
    assert list(lagesbild.problems.values_list("title", flat=True))[1:] == ["svag", "stark"]
    change = RankChange.objects.get()
    assert (change.from_position, change.to_position) == (3, 2)
    assert AuditEntry.objects.filter(action="move_problem", summary__contains="klagomål").exists()
    # more evidence does not undo a manual order …
    services.add_evidence(strong, coordinator, kind="survey", label="x", snapshot={}, strength=1)
    assert list(lagesbild.problems.values_list("title", flat=True))[1:] == ["svag", "stark"]
    # … until the order by score is restored
    services.sort_by_score(Lagesbild.objects.get(pk=lagesbild.pk), coordinator)
    assert list(lagesbild.problems.values_list("title", flat=True))[:2] == [
        "stark",
        "Narkotika i centrum",
    ]


def test_it_freezes_a_version_when_both_parties_approve_and_edits_clear_approvals(
    lagesbild, coordinator, police
):
    assert services.approve_lagesbild(lagesbild, coordinator, "municipality") is None
    services.update_lagesbild(lagesbild, police, analysis="Ny analys")
    assert lagesbild.approvals.count() == 0
    services.approve_lagesbild(lagesbild, coordinator, "municipality")
    version = services.approve_lagesbild(lagesbild, police, "police")
    assert version.number == 1
    lagesbild.refresh_from_db()
    assert lagesbild.status == Lagesbild.Status.APPROVED
    frozen_titles = [p["title"] for p in version.content["problems"]]
    # the data changes; the frozen version does not
    problem = lagesbild.problems.get()
    services.update_problem(problem, coordinator, title="Ändrad titel")
    version.refresh_from_db()
    assert [p["title"] for p in version.content["problems"]] == frozen_titles
    lagesbild.refresh_from_db()
    assert lagesbild.status == Lagesbild.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.approve_lagesbild(lagesbild, coordinator, "police")


def test_it_lets_only_the_police_add_intelligence_evidence_and_hides_its_content(
    lagesbild, coordinator
):
    problem = lagesbild.problems.get()
    with pytest.raises(PermissionDenied):
        services.add_evidence(
            problem, coordinator, kind="intelligence", label="x", snapshot={}, strength=1
        )
    evidence = problem.evidence.get(kind="intelligence")
    assert evidence.label == services.intelligence_label(lagesbild)


def test_it_reports_missing_sources_and_composes_the_rest(lagesbild, client, coordinator):
    from medborgarlofte.lagesbild.composition import compose

    doc = compose(lagesbild)
    assert {s["key"] for s in doc["sections"]} >= {"crime", "survey", "dialogue", "incidents"}
    assert all(m["reason"] for m in doc["missing"])
    client.force_login(coordinator)
    page = client.get(reverse("lagesbild:document", args=[lagesbild.pk]))
    assert page.status_code == 200


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    return agreement_services.publish_agreement(version, coordinator)


def test_it_turns_chosen_problems_into_focus_areas_and_categories(
    lagesbild, frozen, published, coordinator
):
    problem = lagesbild.problems.get()
    narkotika = CrimeCategory.objects.get(slug="narkotikabrott")
    klotter = CrimeCategory.objects.get(slug="klotter")
    problem.crime_categories.set([narkotika, klotter])  # (test shortcut, no approval change)
    before = published.focus_areas.count()
    outcome = priorities.apply_lagesbild_priorities(published.agreement, lagesbild, coordinator)
    assert outcome.version.number == 2 and outcome.version.status == Status.DRAFT
    published.refresh_from_db()
    assert published.focus_areas.count() == before  # the published version is untouched
    assert outcome.focus_areas_added == []  # "Säkerhet och trygghet i centrum" exists
    assert outcome.categories_added == ["Klotter"]
    assert "Klotter" in outcome.version.crime_categories.values_list("name", flat=True)
    assert "Normbrytande barn och ungdomar" in outcome.not_backed
    assert AuditEntry.objects.filter(action="apply_lagesbild_priorities").exists()


def test_it_refuses_priorities_from_an_unapproved_lagesbild(lagesbild, published, coordinator):
    with pytest.raises(ValidationError):
        priorities.apply_lagesbild_priorities(published.agreement, lagesbild, coordinator)


def test_it_links_problems_to_commitments_and_shows_the_public_chain(
    lagesbild, frozen, published, coordinator, police, client
):
    draft = agreement_services.start_new_version(published.agreement, coordinator)
    commitment = draft.commitments.get(ref="m24-15")
    priorities.link_commitment_problems(commitment, coordinator, lagesbild.problems.all())
    with pytest.raises(ValidationError):  # published versions are frozen
        priorities.link_commitment_problems(
            published.commitments.get(ref="m24-15"), coordinator, []
        )
    url = reverse("lagesbild_public:chain", args=["0642", 2024])
    assert client.get(url).status_code == 404  # the draft is not public
    agreement_services.approve_agreement(draft, coordinator, "municipality")
    agreement_services.approve_agreement(draft, police, "police")
    draft.refresh_from_db()
    agreement_services.publish_agreement(draft, coordinator)
    page = client.get(url).content.decode()
    assert "Narkotika i centrum" in page
    assert commitment.text in page
    assert services.intelligence_label(lagesbild) in page  # the reference, never the text
    agreement_page = client.get(reverse("publicsite:agreement", args=["0642", 2024]))
    assert url in agreement_page.content.decode()
    # a new version keeps the links
    v3 = agreement_services.start_new_version(published.agreement, coordinator)
    assert v3.commitments.get(ref="m24-15").problems.count() == 1


def test_it_links_problems_through_the_editor(lagesbild, published, coordinator, client):
    draft = agreement_services.start_new_version(published.agreement, coordinator)
    commitment = draft.commitments.get(ref="m24-15")
    problem = lagesbild.problems.get()
    client.force_login(coordinator)
    url = reverse("agreements:link-problems", args=[draft.agreement_id, 2, commitment.pk])
    response = client.post(url, {f"lp{commitment.pk}-problems": [problem.pk]})
    assert response.status_code == 302
    assert list(commitment.problems.all()) == [problem]
    page = client.get(reverse("agreements:version", args=[draft.agreement_id, 2]))
    assert reverse("lagesbild:document", args=[lagesbild.pk]) in page.content.decode()


def test_it_loads_the_demo_twice_without_changes(db):
    from medborgarlofte.demo.loader import load_demo

    load_demo("lösenord-för-demo")
    lb = Lagesbild.objects.get(municipality__code="0642", period_start=date(2023, 1, 1))
    assert lb.status == Lagesbild.Status.APPROVED and lb.versions.count() == 1
    counts = (lb.problems.count(), AuditEntry.objects.filter(action="add_evidence").count())
    load_demo("lösenord-för-demo")
    assert (lb.problems.count(), AuditEntry.objects.filter(action="add_evidence").count()) == counts
    focus = {p.focus_area for p in lb.problems.all()}
    assert focus == {
        "Normbrytande barn och ungdomar",
        "Säkerhet och trygghet i centrum",
        "Brottsförebyggande samverkan",
    }
    categories = {c.slug for p in lb.problems.all() for c in p.crime_categories.all()}
    assert len(categories) == 7
    from medborgarlofte.agreements.models import Commitment

    linked = Commitment.objects.filter(
        municipality__code="0642", version__status=Status.PUBLISHED, problems__isnull=False
    ).distinct()
    assert linked.count() == 19
    assert "Exempeldata" in str(lb.versions.get().content)
