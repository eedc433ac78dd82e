"""Import semantics: new agreement, unchanged, new version after publishing, replaced draft."""

from pathlib import Path

import pytest
from django.db import IntegrityError
from django.utils import translation

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import importing
from medborgarlofte.agreements import models as m
from medborgarlofte.agreements.exchange import (
    DocumentError,
    canonical_document,
    dump_document,
    export_version_document,
    load_document,
)
from medborgarlofte.agreements.importing import (
    import_agreement_document,
    replace_version_content,
)
from medborgarlofte.crimestats.models import CrimeCategory

from .fixtures.documents import full, minimal, row_counts


@pytest.fixture(autouse=True)
def _english():
    """Assertions below read the English message ids; Swedish is checked separately."""
    with translation.override("en"):
        yield


def publish(version):
    version.status = m.Status.PUBLISHED
    version.save()


def approve(version, user, kind="police"):
    return m.Approval.objects.create(
        version=version, municipality=version.municipality, party_kind=kind, user=user
    )


@pytest.mark.django_db
def test_it_creates_agreement_and_first_draft():
    result = import_agreement_document(full())
    assert result.action == "created"
    version = result.version
    assert (version.number, version.status) == (1, "draft")
    assert version.agreement.municipality.code == "0642"
    assert str(version.agreement.period_start) == "2024-01-01"
    assert result.counts == {
        "parties": 2,
        "sections": 2,
        "commitments": 3,
        "indicators": 1,
        "focus_areas": 2,
        "crime_categories": 2,
    }
    commitment = m.Commitment.objects.get(ref="sspf")
    assert [p.key for p in commitment.owner_parties()] == ["polisen", "kommunen"]
    assert commitment.section.focus_area.key == "unga"
    assert commitment.indicators.get().target == 12.5
    assert all(
        row.municipality_id == version.municipality_id
        for model in (
            m.Party,
            m.Section,
            m.Commitment,
            m.CommitmentOwner,
            m.Indicator,
            m.Signatory,
            m.BasisItem,
            m.FocusArea,
            m.PriorityCategory,
        )
        for row in model.objects.all()
    )


@pytest.mark.django_db
def test_it_exports_what_it_imported():
    result = import_agreement_document(full())
    expected = full()
    expected["sections"][0]["commitments"][1]["ref"] = "s1-c2"
    expected["sections"][1]["commitments"][0]["ref"] = "s2-c1"
    assert export_version_document(result.version) == expected


@pytest.mark.django_db
def test_it_fills_in_the_default_title():
    result = import_agreement_document(minimal())
    assert result.version.title == "Medborgarlöfte Mullsjö 2024"


@pytest.mark.django_db
def test_it_links_known_categories_and_reports_unknown_ones():
    known, _ = CrimeCategory.objects.get_or_create(
        name="Skadegörelse", defaults={"slug": "skadegorelse-test"}
    )
    result = import_agreement_document(full())
    linked = {p.name: p.category for p in m.PriorityCategory.objects.all()}
    assert linked == {"Skadegörelse": known, "Ett påhittat brott": None}
    assert result.unlinked_categories == ["Ett påhittat brott"]
    assert "Not linked to statistics: Ett påhittat brott." in result.summary_lines()


@pytest.mark.django_db
def test_it_changes_nothing_on_the_second_import():
    import_agreement_document(full())
    before = row_counts()
    updated = m.AgreementVersion.objects.get().updated_at
    result = import_agreement_document(full())
    assert result.action == "unchanged"
    assert row_counts() == before
    assert m.AgreementVersion.objects.get().updated_at == updated
    assert "unchanged" in result.summary_lines()[0]


@pytest.mark.django_db
def test_it_replaces_a_draft_in_place_and_removes_approvals(coordinator, police):
    first = import_agreement_document(full(), user=coordinator).version
    approve(first, police, "police")
    approve(first, coordinator, "municipality")
    first.status = m.Status.AGREED
    first.save()
    changed = full(effects="Färre brott.")
    result = import_agreement_document(changed, user=coordinator)
    assert result.action == "updated_draft"
    assert result.approvals_removed == 2
    first.refresh_from_db()
    assert (first.pk, first.status, first.effects) == (result.version.pk, "draft", "Färre brott.")
    assert m.Approval.objects.count() == 0
    assert m.AgreementVersion.objects.count() == 1
    assert any("2 approvals were removed" in line for line in result.summary_lines())
    assert any("status is draft again" in line for line in result.summary_lines())


@pytest.mark.django_db
def test_it_never_overwrites_a_published_version(coordinator):
    first = import_agreement_document(full()).version
    publish(first)
    published_document = export_version_document(first)
    result = import_agreement_document(full(effects="Nytt."), user=coordinator)
    assert result.action == "new_version"
    assert (result.version.number, result.version.status) == (2, "draft")
    assert export_version_document(first) == published_document
    assert any("Published version 1 is not changed" in line for line in result.summary_lines())
    # the same content again: the draft is the latest, so nothing changes
    assert import_agreement_document(full(effects="Nytt.")).action == "unchanged"
    # the published content again: differs from the latest draft → draft replaced
    assert import_agreement_document(full()).action == "updated_draft"
    assert m.AgreementVersion.objects.count() == 2


@pytest.mark.django_db
def test_it_reimports_the_published_content_as_unchanged():
    first = import_agreement_document(full()).version
    publish(first)
    before = row_counts()
    assert import_agreement_document(full()).action == "unchanged"
    assert row_counts() == before


@pytest.mark.django_db
def test_a_dry_run_writes_nothing():
    for doc, action in [(full(), "created")]:
        before = row_counts()
        result = import_agreement_document(doc, dry_run=True)
        assert (result.action, result.dry_run, result.version) == (action, True, None)
        assert row_counts() == before
        assert result.summary_lines()[0] == "Dry run: nothing was saved."
    version = import_agreement_document(full()).version
    before = row_counts()
    result = import_agreement_document(full(effects="x"), dry_run=True)
    assert (result.action, result.version) == ("updated_draft", version)
    publish(version)
    result = import_agreement_document(full(effects="x"), dry_run=True)
    assert (result.action, result.version_number) == ("new_version", 2)
    assert row_counts() == before


@pytest.mark.django_db
def test_it_audits_every_change_with_both_documents(coordinator):
    import_agreement_document(full(), user=coordinator)
    import_agreement_document(full(), user=coordinator)  # unchanged: no entry
    import_agreement_document(full(effects="Nytt."), user=coordinator)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["import_agreement", "import_agreement"]
    assert entries[0].before is None
    assert entries[0].after["effects"] == "Ökad trygghet."
    assert entries[1].before["effects"] == "Ökad trygghet."
    assert entries[1].after["effects"] == "Nytt."
    assert entries[1].actor == coordinator
    assert entries[1].municipality.code == "0642"


@pytest.mark.django_db
def test_it_generates_unique_stable_refs():
    doc = minimal()
    doc["sections"] = [
        {
            "heading": "A",
            "commitments": [
                {"text": "1", "owners": ["polisen"], "ref": "s1-c2"},
                {"text": "2", "owners": ["polisen"]},
            ],
        },
        {"heading": "B", "commitments": [{"text": "3", "owners": ["polisen"]}]},
    ]
    version = import_agreement_document(doc).version
    refs = list(
        m.Commitment.objects.filter(version=version)
        .order_by("section__position", "position")
        .values_list("ref", flat=True)
    )
    assert refs == ["s1-c2", "s1-c2-2", "s2-c1"]
    assert import_agreement_document(doc).action == "unchanged"


@pytest.mark.django_db
def test_an_exception_leaves_the_database_unchanged(monkeypatch):
    import_agreement_document(full())
    before = row_counts()
    exported = export_version_document(m.AgreementVersion.objects.get())

    def broken(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(importing.m.Indicator.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        import_agreement_document(full(effects="Något annat."))
    assert row_counts() == before
    assert export_version_document(m.AgreementVersion.objects.get()) == exported


@pytest.mark.django_db
def test_replace_version_content_rewrites_an_editable_version(coordinator):
    version = import_agreement_document(full()).version
    approve(version, coordinator, "municipality")
    assert replace_version_content(version, full(), coordinator) is False
    assert m.Approval.objects.count() == 1
    assert replace_version_content(version, minimal(), coordinator) is True
    assert export_version_document(version)["sections"][0]["heading"].startswith("Arbeta för")
    assert m.Approval.objects.count() == 0
    assert AuditEntry.objects.filter(action="replace_version_content").count() == 1


@pytest.mark.django_db
def test_replace_version_content_refuses_published_and_foreign_documents(coordinator):
    version = import_agreement_document(full()).version
    with pytest.raises(DocumentError) as info:
        replace_version_content(version, minimal(municipality="0643"), coordinator)
    assert [i.path for i in info.value.errors] == ["municipality"]
    other_period = minimal(period={"start": "2026-01-01", "end": "2026-12-31"})
    with pytest.raises(DocumentError):
        replace_version_content(version, other_period, coordinator)
    publish(version)
    before = row_counts()
    with pytest.raises(ValueError):
        replace_version_content(version, minimal(), coordinator)
    assert row_counts() == before


@pytest.mark.django_db
def test_it_keeps_other_periods_and_kommuner_apart():
    import_agreement_document(full())
    result = import_agreement_document(full(municipality="0643"))
    assert result.action == "created"
    result = import_agreement_document(full(period={"start": "2026-01-01", "end": "2027-12-31"}))
    assert result.action == "created"
    assert m.Agreement.objects.count() == 3


EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples" / "agreements").glob("*.yaml"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_example_agreements_round_trip(path):
    doc = load_document(path.read_bytes(), name=path.name)
    result = import_agreement_document(doc, name=path.name)
    assert result.action == "created"
    exported = export_version_document(result.version)
    assert exported == canonical_document(doc)
    before = row_counts()
    for fmt in ("yaml", "json"):
        again = load_document(dump_document(exported, fmt).encode(), name=f"x.{fmt}")
        assert import_agreement_document(again).action == "unchanged"
    assert row_counts() == before


@pytest.mark.django_db
def test_mullsjo_links_every_crime_category(mullsjo_document):
    result = import_agreement_document(mullsjo_document)
    assert result.counts["commitments"] == 19
    assert result.counts["crime_categories"] == 7
    assert result.unlinked_categories == []
    assert m.PriorityCategory.objects.filter(category__isnull=True).count() == 0
