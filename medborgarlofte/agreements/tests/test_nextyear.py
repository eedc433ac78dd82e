"""Next year's promise (issue 14): copy an agreement into a new period, drop with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import nextyear, services
from medborgarlofte.agreements.exchange import dump_document, export_version_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Agreement, Commitment, Status


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, coordinator)
    services.approve_agreement(version, police)
    version.refresh_from_db()
    return services.publish_agreement(version, coordinator)


def test_it_copies_2024_into_a_2025_draft_without_touching_2024(coordinator, published):
    before = dump_document(export_version_document(published), "yaml")
    draft = nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    assert draft.status == Status.DRAFT and draft.number == 1
    assert draft.agreement.period_start.isoformat() == "2025-01-01"
    assert draft.agreement.period_end.isoformat() == "2025-12-31"
    assert draft.title == "Medborgarlöfte Mullsjö kommun 2025"
    assert draft.approvals.count() == 0
    assert draft.signed_date is None and draft.signatories.count() == 2
    commitments = list(
        Commitment.objects.filter(version=draft).order_by("section__position", "position")
    )
    assert len(commitments) == 19
    assert [c.ref for c in commitments] == [f"m25-{n:02d}" for n in range(1, 20)]
    assert [c.continues.ref for c in commitments] == [f"m24-{n:02d}" for n in range(1, 20)]
    assert all(c.continues.version_id == published.pk for c in commitments)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert dump_document(export_version_document(published), "yaml") == before
    assert AuditEntry.objects.filter(action="copy_agreement").count() == 1


def test_it_copies_into_a_period_of_several_years(coordinator, published):
    draft = nextyear.copy_agreement(
        published.agreement, coordinator, start_year=2025, end_year=2026
    )
    assert draft.agreement.period_end.isoformat() == "2026-12-31"
    assert draft.title == "Medborgarlöfte Mullsjö kommun 2025–2026"


def test_it_refuses_an_overlapping_period_or_a_reader(coordinator, reader, published):
    nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    with pytest.raises(ValidationError):
        nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    with pytest.raises(ValidationError):
        nextyear.copy_agreement(published.agreement, coordinator, start_year=2023)
    with pytest.raises(PermissionDenied):
        nextyear.copy_agreement(published.agreement, reader, start_year=2027)


def test_it_needs_a_published_version_unless_one_is_chosen(coordinator, mullsjo_document):
    draft = import_agreement_document(mullsjo_document, user=coordinator).version
    with pytest.raises(ValidationError):
        nextyear.copy_agreement(draft.agreement, coordinator, start_year=2025)
    copy = nextyear.copy_agreement(draft.agreement, coordinator, start_year=2025, number=1)
    assert copy.commitments.count() == 19


def test_it_drops_a_commitment_only_with_a_reason(coordinator, police, published):
    draft = nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    services.approve_agreement(draft, police)
    commitment = draft.commitments.first()
    with pytest.raises(ValidationError):
        nextyear.drop_commitment(commitment, coordinator, "  ")
    outcome = nextyear.drop_commitment(commitment, coordinator, "Genomfört under 2024.")
    assert outcome.approvals_cleared == 1
    assert draft.commitments.count() == 18
    entry = AuditEntry.objects.get(action="drop_commitment")
    assert entry.after["reason"] == "Genomfört under 2024."
    assert published.commitments.count() == 19


def test_the_command_copies_0642_2024_into_2025(published, capsys):
    """Issue 14: `copy_agreement 0642 2024 2025` makes a 2025 draft with the 19
    commitments, no approvals, lineage to the 2024 ones; 2024 byte-identical."""
    before = dump_document(export_version_document(published), "yaml")
    call_command("copy_agreement", "0642", "2024", "2025")
    assert "19" in capsys.readouterr().out
    new = Agreement.objects.get(municipality__code="0642", period_start__year=2025)
    draft = new.versions.get()
    assert draft.status == Status.DRAFT and draft.approvals.count() == 0
    assert draft.commitments.filter(continues__isnull=False).count() == 19
    assert set(draft.commitments.values_list("continues_id", flat=True)) == set(
        published.commitments.values_list("pk", flat=True)
    )
    published.refresh_from_db()
    assert dump_document(export_version_document(published), "yaml") == before
    with pytest.raises(CommandError):
        call_command("copy_agreement", "0642", "2024", "2025")
    with pytest.raises(CommandError):
        call_command("copy_agreement", "0642", "2019", "2025")


# --- In the browser ----------------------------------------------------------------------


def _editor(version):
    return reverse("agreements:version", args=[version.agreement_id, version.number])


def test_a_coordinator_creates_next_years_draft_from_the_agreement_page(
    client, coordinator, published
):
    client.force_login(coordinator)
    page = client.get(_editor(published)).content.decode()
    assert "Skapa nästa års medborgarlöfte" in page
    response = client.post(
        reverse("agreements:copy-agreement", args=[published.agreement_id]),
        {"copy-start_year": "2025", "copy-end_year": "", "version": str(published.number)},
    )
    new = Agreement.objects.get(municipality=published.municipality, period_start__year=2025)
    draft = new.versions.get()
    assert response.status_code == 302 and response["Location"] == _editor(draft)
    page = client.get(_editor(draft)).content.decode()
    assert "Fortsätter m24-01 (2024)" in page
    assert "Ej uppföljt." in page  # no follow-up of 2024 in this test
    assert page.count("Slopa ur utkastet") == 19


def test_the_draft_shows_last_years_follow_up_status(client, coordinator, published):
    from medborgarlofte.followup.models import CommitmentStatus, FollowUp

    followup = FollowUp.objects.create(
        municipality=published.municipality, agreement=published.agreement, period="year"
    )
    CommitmentStatus.objects.create(
        municipality=published.municipality,
        follow_up=followup,
        commitment_ref="m24-02",
        status="partly_done",
        explanation="Halva skolorna besöktes.",
    )
    draft = nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    client.force_login(coordinator)
    page = client.get(_editor(draft)).content.decode()
    assert "Delvis genomfört" in page or "partly" in page.lower()
    assert "Halva skolorna besöktes." in page


def test_dropping_in_the_browser_needs_a_reason(client, coordinator, published):
    draft = nextyear.copy_agreement(published.agreement, coordinator, start_year=2025)
    commitment = draft.commitments.first()
    url = reverse(
        "agreements:drop-commitment", args=[draft.agreement_id, draft.number, commitment.pk]
    )
    client.force_login(coordinator)
    assert client.post(url, {f"d{commitment.pk}-reason": ""}).status_code == 200
    assert draft.commitments.count() == 19
    response = client.post(url, {f"d{commitment.pk}-reason": "Klart."})
    assert response.status_code == 302
    assert draft.commitments.count() == 18


# --- The general part in the browser, with the approval rules of commitments -------------


@pytest.fixture
def draft(db, coordinator, police, mullsjo_document):
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, police)
    return version


def _post_and_check_cleared(client, coordinator, draft, url, data):
    client.force_login(coordinator)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert draft.approvals.count() == 0
    assert "godkännande" in response.content.decode().lower()
    return response


def _url(name, draft, *item):
    return reverse(f"agreements:{name}", args=[draft.agreement_id, draft.number, *item])


def test_editing_a_signatory_clears_approvals(client, coordinator, draft):
    signatory = draft.signatories.first()
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-signatory", draft, signatory.pk),
        {
            f"sg{signatory.pk}-party": signatory.party_id,
            f"sg{signatory.pk}-role": "Lokalpolisområdeschef",
            f"sg{signatory.pk}-name": "Anna Andersson",
            "action": "save",
        },
    )
    signatory.refresh_from_db()
    assert (signatory.role, signatory.name) == ("Lokalpolisområdeschef", "Anna Andersson")
    assert AuditEntry.objects.filter(action="update_signatory").exists()


def test_adding_and_removing_a_signatory_clears_approvals(client, coordinator, police, draft):
    party = draft.parties.first()
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("add-signatory", draft),
        {"new-signatory-party": party.pk, "new-signatory-role": "Kommundirektör"},
    )
    added = draft.signatories.get(role="Kommundirektör")
    services.approve_agreement(draft, police)
    _post_and_check_cleared(
        client, coordinator, draft, _url("update-signatory", draft, added.pk), {"action": "delete"}
    )
    assert draft.signatories.count() == 2


def test_editing_a_party_clears_approvals_and_a_used_party_is_not_removed(
    client, coordinator, police, draft
):
    party = draft.parties.get(kind="municipality")
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-party", draft, party.pk),
        {f"p{party.pk}-kind": "municipality", f"p{party.pk}-name": "Mullsjö kommun, KS"},
    )
    party.refresh_from_db()
    assert party.name == "Mullsjö kommun, KS"
    with pytest.raises(ValidationError):
        services.delete_party(party, coordinator)
    services.approve_agreement(draft, police)
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("add-party", draft),
        {"new-party-kind": "other", "new-party-name": "Räddningstjänsten"},
    )
    other = draft.parties.get(kind="other")
    assert other.key == "raddningstjansten"
    services.delete_party(other, coordinator)
    assert draft.parties.count() == 2


def test_editing_the_basis_clears_approvals(client, coordinator, police, draft):
    item = draft.basis.first()
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-basis-item", draft, item.pk),
        {
            f"b{item.pk}-kind": "crime_statistics",
            f"b{item.pk}-description": "Anmälda brott 2022–2024",
            f"b{item.pk}-years": "2022, 2023, 2024",
        },
    )
    item.refresh_from_db()
    assert item.years == [2022, 2023, 2024]
    services.approve_agreement(draft, police)
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("add-basis-item", draft),
        {
            "new-basis-kind": "safety_survey",
            "new-basis-description": "Trygghetsmätning 2024",
            "new-basis-years": "2024",
        },
    )
    assert draft.basis.count() == 7
    services.approve_agreement(draft, police)
    _post_and_check_cleared(
        client, coordinator, draft, _url("update-basis-item", draft, item.pk), {"action": "delete"}
    )
    assert draft.basis.count() == 6


def test_renaming_a_focus_area_and_a_category_clears_approvals(client, coordinator, police, draft):
    area = draft.focus_areas.first()
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-focus-area", draft, area.pk),
        {f"fa{area.pk}-title": "Barn och unga", "action": "save"},
    )
    area.refresh_from_db()
    assert area.title == "Barn och unga"
    category = draft.crime_categories.first()
    services.approve_agreement(draft, police)
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-crime-category", draft, category.pk),
        {f"pc{category.pk}-name": "Narkotikabrott", "action": "save"},
    )
    category.refresh_from_db()
    assert category.name == "Narkotikabrott" and category.category_id is not None


def test_introduction_effects_and_follow_up_plan_clear_approvals(client, coordinator, draft):
    _post_and_check_cleared(
        client,
        coordinator,
        draft,
        _url("update-details", draft),
        {
            "details-title": draft.title,
            "details-police_area": draft.police_area,
            "details-introduction": "Ny inledning.",
            "details-effects": "Färre brott.",
            "details-follow_up_text": "Uppföljning per halvår.",
            "details-signed_date": "",
        },
    )
    draft.refresh_from_db()
    assert (draft.introduction, draft.effects, draft.follow_up_text) == (
        "Ny inledning.",
        "Färre brott.",
        "Uppföljning per halvår.",
    )


def test_the_editor_no_longer_sends_people_to_the_exchange_file(client, coordinator, draft):
    client.force_login(coordinator)
    page = client.get(_editor(draft)).content.decode()
    assert "ladda upp en ny fil i utbytesformatet" not in page
    assert "Redigera undertecknare" in page
