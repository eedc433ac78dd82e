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
    call_command("copy_agreement", "0642", "2024", "2025")
    assert "19" in capsys.readouterr().out
    new = Agreement.objects.get(municipality__code="0642", period_start__year=2025)
    assert new.versions.get().commitments.filter(continues__isnull=False).count() == 19
    with pytest.raises(CommandError):
        call_command("copy_agreement", "0642", "2024", "2025")
    with pytest.raises(CommandError):
        call_command("copy_agreement", "0642", "2019", "2025")
