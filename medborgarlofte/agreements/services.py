"""Every write to an agreement goes through these functions.

Each runs in one transaction and leaves an audit entry. Editing a version clears its
approvals (both parties must approve what they sign; the two-party approval is
accounts/approvals.py); published versions are frozen, and changing a published
agreement means starting a new draft version from it. Edits return an EditOutcome, and
the add-… services return the new row with `approvals_cleared` set, so the view can say
that the edit cleared approvals. The lägesbild's priorities are in priorities.py.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, approvals, audit
from medborgarlofte.crimestats.taxonomy import match_category
from medborgarlofte.privacy.gate import check_publishable

from . import publication
from .models import (
    Agreement,
    AgreementVersion,
    Approval,
    BasisItem,
    Commitment,
    CommitmentOwner,
    FocusArea,
    Indicator,
    Party,
    PriorityCategory,
    Section,
    Signatory,
    Status,
)

DETAIL_FIELDS = ["title", "police_area", "introduction", "effects", "follow_up_text", "signed_date"]
COMMITMENT_FIELDS = ["text", "level", "cadence"]


@dataclass
class EditOutcome:
    approvals_cleared: int = 0


def _snapshot(obj, fields) -> dict:
    data = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def prepare_edit(version: AgreementVersion, user) -> tuple[AgreementVersion, EditOutcome]:
    """Check the user may edit, lock the row, refuse frozen versions, clear approvals."""
    access.require_edit(user, version.municipality)
    version = approvals.lock(version)
    if version.status == Status.PUBLISHED:
        raise ValidationError(_("A published version cannot be changed. Start a new version."))
    return version, EditOutcome(approvals_cleared=approvals.clear_approvals(version, user))


def _added(item, outcome: EditOutcome):
    """The new row of an add-… service, carrying whether adding it cleared approvals."""
    item.approvals_cleared = outcome.approvals_cleared
    return item


def _next_position(queryset) -> int:
    current = queryset.aggregate(m=Max("position"))["m"]
    return 0 if current is None else current + 1


def _renumber(queryset) -> None:
    for index, obj in enumerate(queryset):
        if obj.position != index:
            obj.position = index
            obj.save(update_fields=["position"])


def _move(obj, siblings, direction: str) -> None:
    ordered = list(siblings)
    index = next(i for i, o in enumerate(ordered) if o.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# --- Details ---------------------------------------------------------------------------


@transaction.atomic
def update_version_details(version, user, **values) -> EditOutcome:
    version, outcome = prepare_edit(version, user)
    before = _snapshot(version, DETAIL_FIELDS)
    for name, value in values.items():
        if name not in DETAIL_FIELDS:
            raise ValueError(name)
        setattr(version, name, value)
    version.save(update_fields=[*values.keys(), "updated_at"])
    audit.record(
        user=user,
        action="update_agreement_details",
        obj=version,
        summary=version.title,
        before=before,
        after=_snapshot(version, DETAIL_FIELDS),
    )
    return outcome


# --- Focus areas and crime categories -------------------------------------------------


@transaction.atomic
def add_focus_area(version, user, *, key: str, title: str) -> FocusArea:
    version, outcome = prepare_edit(version, user)
    if version.focus_areas.filter(key=key).exists():
        raise ValidationError(_("A focus area with this key already exists."))
    area = FocusArea.objects.create(
        version=version,
        municipality=version.municipality,
        key=key,
        title=title,
        position=_next_position(version.focus_areas),
    )
    audit.record(
        user=user,
        action="add_focus_area",
        obj=area,
        summary=title,
        after={"key": key, "title": title},
    )
    return _added(area, outcome)


@transaction.atomic
def delete_focus_area(area: FocusArea, user) -> EditOutcome:
    version, outcome = prepare_edit(area.version, user)
    audit.record(
        user=user,
        action="delete_focus_area",
        obj=area,
        summary=area.title,
        before={"key": area.key, "title": area.title},
    )
    area.delete()
    _renumber(version.focus_areas.all())
    return outcome


@transaction.atomic
def add_crime_category(version, user, *, name: str) -> PriorityCategory:
    version, outcome = prepare_edit(version, user)
    category = PriorityCategory.objects.create(
        version=version,
        municipality=version.municipality,
        name=name,
        category=match_category(name),
        position=_next_position(version.crime_categories),
    )
    audit.record(
        user=user,
        action="add_crime_category",
        obj=category,
        summary=name,
        after={"name": name, "linked": category.category_id is not None},
    )
    return _added(category, outcome)


@transaction.atomic
def delete_crime_category(category: PriorityCategory, user) -> EditOutcome:
    version, outcome = prepare_edit(category.version, user)
    audit.record(
        user=user,
        action="delete_crime_category",
        obj=category,
        summary=category.name,
        before={"name": category.name},
    )
    category.delete()
    _renumber(version.crime_categories.all())
    return outcome


@transaction.atomic
def update_focus_area(area: FocusArea, user, *, title: str) -> EditOutcome:
    """Rename a focus area (its key, used by the sections, stays)."""
    _version, outcome = prepare_edit(area.version, user)
    before = {"title": area.title}
    area.title = title
    area.save(update_fields=["title"])
    audit.record(
        user=user,
        action="update_focus_area",
        obj=area,
        summary=title,
        before=before,
        after={"title": title},
    )
    return outcome


@transaction.atomic
def update_crime_category(category: PriorityCategory, user, *, name: str) -> EditOutcome:
    _version, outcome = prepare_edit(category.version, user)
    before = {"name": category.name}
    category.name = name
    category.category = match_category(name)
    category.save(update_fields=["name", "category"])
    audit.record(
        user=user,
        action="update_crime_category",
        obj=category,
        summary=name,
        before=before,
        after={"name": name, "linked": category.category_id is not None},
    )
    return outcome


# --- Parties, signatories and basis (issue 14) -------------------------------------------

PARTY_FIELDS = ["kind", "name"]
SIGNATORY_FIELDS = ["role", "name"]
BASIS_FIELDS = ["kind", "description", "years"]


def _party_key(version, name: str) -> str:
    from .priorities import focus_area_key

    base = key = focus_area_key(name)[:50].strip("-") or "part"
    existing = set(version.parties.values_list("key", flat=True))
    suffix = 2
    while key in existing:
        key, suffix = f"{base[:45]}-{suffix}", suffix + 1
    return key


@transaction.atomic
def add_party(version, user, *, kind: str, name: str) -> Party:
    version, outcome = prepare_edit(version, user)
    party = Party.objects.create(
        version=version,
        municipality=version.municipality,
        key=_party_key(version, name),
        kind=kind,
        name=name,
        position=_next_position(version.parties),
    )
    audit.record(
        user=user,
        action="add_party",
        obj=party,
        summary=name,
        after={"key": party.key, **_snapshot(party, PARTY_FIELDS)},
    )
    return _added(party, outcome)


@transaction.atomic
def update_party(party: Party, user, *, kind: str, name: str) -> EditOutcome:
    _version, outcome = prepare_edit(party.version, user)
    before = _snapshot(party, PARTY_FIELDS)
    party.kind, party.name = kind, name
    party.save(update_fields=PARTY_FIELDS)
    audit.record(
        user=user,
        action="update_party",
        obj=party,
        summary=name,
        before=before,
        after=_snapshot(party, PARTY_FIELDS),
    )
    return outcome


@transaction.atomic
def delete_party(party: Party, user) -> EditOutcome:
    """Remove a party that owns no commitment and has no signatory."""
    version, outcome = prepare_edit(party.version, user)
    if CommitmentOwner.objects.filter(party=party).exists() or party.signatories.exists():
        raise ValidationError(
            _("The party owns commitments or has a signatory; change those first.")
        )
    audit.record(
        user=user,
        action="delete_party",
        obj=party,
        summary=party.name,
        before={"key": party.key, **_snapshot(party, PARTY_FIELDS)},
    )
    party.delete()
    _renumber(version.parties.all())
    return outcome


def _check_party(version, party: Party) -> None:
    if party.version_id != version.pk:
        raise PermissionDenied


@transaction.atomic
def add_signatory(version, user, *, party: Party, role: str, name: str = "") -> Signatory:
    version, outcome = prepare_edit(version, user)
    _check_party(version, party)
    signatory = Signatory.objects.create(
        version=version,
        municipality=version.municipality,
        party=party,
        role=role,
        name=name,
        position=_next_position(version.signatories),
    )
    audit.record(
        user=user,
        action="add_signatory",
        obj=signatory,
        summary=role,
        after={"party": party.key, **_snapshot(signatory, SIGNATORY_FIELDS)},
    )
    return _added(signatory, outcome)


@transaction.atomic
def update_signatory(
    signatory: Signatory, user, *, party: Party, role: str, name: str = ""
) -> EditOutcome:
    version, outcome = prepare_edit(signatory.version, user)
    _check_party(version, party)
    before = {"party": signatory.party.key, **_snapshot(signatory, SIGNATORY_FIELDS)}
    signatory.party, signatory.role, signatory.name = party, role, name
    signatory.save(update_fields=["party", *SIGNATORY_FIELDS])
    audit.record(
        user=user,
        action="update_signatory",
        obj=signatory,
        summary=role,
        before=before,
        after={"party": party.key, **_snapshot(signatory, SIGNATORY_FIELDS)},
    )
    return outcome


@transaction.atomic
def delete_signatory(signatory: Signatory, user) -> EditOutcome:
    version, outcome = prepare_edit(signatory.version, user)
    audit.record(
        user=user,
        action="delete_signatory",
        obj=signatory,
        summary=signatory.role,
        before={"party": signatory.party.key, **_snapshot(signatory, SIGNATORY_FIELDS)},
    )
    signatory.delete()
    _renumber(version.signatories.all())
    return outcome


@transaction.atomic
def add_basis_item(version, user, *, kind: str, description: str, years=()) -> BasisItem:
    version, outcome = prepare_edit(version, user)
    item = BasisItem.objects.create(
        version=version,
        municipality=version.municipality,
        kind=kind,
        description=description,
        years=list(years),
        position=_next_position(version.basis),
    )
    audit.record(
        user=user,
        action="add_basis_item",
        obj=item,
        summary=description[:120],
        after=_snapshot(item, BASIS_FIELDS),
    )
    return _added(item, outcome)


@transaction.atomic
def update_basis_item(
    item: BasisItem, user, *, kind: str, description: str, years=()
) -> EditOutcome:
    _version, outcome = prepare_edit(item.version, user)
    before = _snapshot(item, BASIS_FIELDS)
    item.kind, item.description, item.years = kind, description, list(years)
    item.save(update_fields=BASIS_FIELDS)
    audit.record(
        user=user,
        action="update_basis_item",
        obj=item,
        summary=description[:120],
        before=before,
        after=_snapshot(item, BASIS_FIELDS),
    )
    return outcome


@transaction.atomic
def delete_basis_item(item: BasisItem, user) -> EditOutcome:
    version, outcome = prepare_edit(item.version, user)
    audit.record(
        user=user,
        action="delete_basis_item",
        obj=item,
        summary=item.description[:120],
        before=_snapshot(item, BASIS_FIELDS),
    )
    item.delete()
    _renumber(version.basis.all())
    return outcome


# --- Sections --------------------------------------------------------------------------


@transaction.atomic
def add_section(version, user, *, heading: str, focus_area=None) -> Section:
    version, outcome = prepare_edit(version, user)
    section = Section.objects.create(
        version=version,
        municipality=version.municipality,
        heading=heading,
        focus_area=focus_area,
        position=_next_position(version.sections),
    )
    audit.record(
        user=user,
        action="add_section",
        obj=section,
        summary=heading,
        after={"heading": heading, "focus_area": focus_area.key if focus_area else None},
    )
    return _added(section, outcome)


@transaction.atomic
def update_section(section: Section, user, *, heading: str, focus_area=None) -> EditOutcome:
    _version, outcome = prepare_edit(section.version, user)
    before = {
        "heading": section.heading,
        "focus_area": section.focus_area.key if section.focus_area else None,
    }
    section.heading = heading
    section.focus_area = focus_area
    section.save(update_fields=["heading", "focus_area"])
    audit.record(
        user=user,
        action="update_section",
        obj=section,
        summary=heading,
        before=before,
        after={"heading": heading, "focus_area": focus_area.key if focus_area else None},
    )
    return outcome


@transaction.atomic
def delete_section(section: Section, user) -> EditOutcome:
    version, outcome = prepare_edit(section.version, user)
    audit.record(
        user=user,
        action="delete_section",
        obj=section,
        summary=section.heading,
        before={
            "heading": section.heading,
            "commitments": [c.text for c in section.commitments.all()],
        },
    )
    section.delete()
    _renumber(version.sections.all())
    return outcome


@transaction.atomic
def move_section(section: Section, user, direction: str) -> EditOutcome:
    version, outcome = prepare_edit(section.version, user)
    _move(section, version.sections.all(), direction)
    audit.record(
        user=user,
        action="move_section",
        obj=section,
        summary=section.heading,
        after={"direction": direction},
    )
    return outcome


# --- Commitments ---------------------------------------------------------------------


def _commitment_state(commitment: Commitment) -> dict:
    state = _snapshot(commitment, COMMITMENT_FIELDS)
    state["owners"] = [party.key for party in commitment.owner_parties()]
    return state


def _set_owners(commitment: Commitment, owners: list[Party]) -> None:
    if not owners:
        raise ValidationError(_("A commitment needs at least one owner."))
    for party in owners:
        if party.version_id != commitment.version_id:
            raise PermissionDenied
    commitment.owner_links.all().delete()
    for position, party in enumerate(owners):
        CommitmentOwner.objects.create(
            commitment=commitment,
            party=party,
            municipality=commitment.municipality,
            position=position,
        )


def _new_ref(version) -> str:
    existing = set(version.commitments.values_list("ref", flat=True))
    number = len(existing) + 1
    while f"c{number}" in existing:
        number += 1
    return f"c{number}"


@transaction.atomic
def add_commitment(
    section: Section, user, *, text: str, owners: list[Party], level: str = "", cadence: str = ""
) -> Commitment:
    version, outcome = prepare_edit(section.version, user)
    commitment = Commitment.objects.create(
        version=version,
        municipality=version.municipality,
        section=section,
        ref=_new_ref(version),
        text=text,
        level=level,
        cadence=cadence,
        position=_next_position(section.commitments),
    )
    _set_owners(commitment, owners)
    audit.record(
        user=user,
        action="add_commitment",
        obj=commitment,
        summary=text[:120],
        after=_commitment_state(commitment),
    )
    return _added(commitment, outcome)


@transaction.atomic
def update_commitment(
    commitment: Commitment,
    user,
    *,
    text: str,
    owners: list[Party],
    level: str = "",
    cadence: str = "",
) -> EditOutcome:
    _version, outcome = prepare_edit(commitment.version, user)
    before = _commitment_state(commitment)
    commitment.text, commitment.level, commitment.cadence = text, level, cadence
    commitment.save(update_fields=COMMITMENT_FIELDS)
    _set_owners(commitment, owners)
    audit.record(
        user=user,
        action="update_commitment",
        obj=commitment,
        summary=text[:120],
        before=before,
        after=_commitment_state(commitment),
    )
    return outcome


@transaction.atomic
def delete_commitment(commitment: Commitment, user) -> EditOutcome:
    _version, outcome = prepare_edit(commitment.version, user)
    section = commitment.section
    audit.record(
        user=user,
        action="delete_commitment",
        obj=commitment,
        summary=commitment.text[:120],
        before=_commitment_state(commitment),
    )
    commitment.delete()
    _renumber(section.commitments.all())
    return outcome


@transaction.atomic
def move_commitment(commitment: Commitment, user, direction: str) -> EditOutcome:
    _version, outcome = prepare_edit(commitment.version, user)
    _move(commitment, commitment.section.commitments.all(), direction)
    audit.record(
        user=user,
        action="move_commitment",
        obj=commitment,
        summary=commitment.text[:120],
        after={"direction": direction},
    )
    return outcome


# --- Indicators ----------------------------------------------------------------------

INDICATOR_FIELDS = ["title", "kind", "unit", "baseline", "target", "direction", "source"]


@transaction.atomic
def add_indicator(commitment: Commitment, user, **values) -> Indicator:
    _version, outcome = prepare_edit(commitment.version, user)
    indicator = Indicator.objects.create(
        commitment=commitment,
        municipality=commitment.municipality,
        position=_next_position(commitment.indicators),
        **values,
    )
    audit.record(
        user=user,
        action="add_indicator",
        obj=indicator,
        summary=indicator.title,
        after=_snapshot(indicator, INDICATOR_FIELDS),
    )
    return _added(indicator, outcome)


@transaction.atomic
def delete_indicator(indicator: Indicator, user) -> EditOutcome:
    _version, outcome = prepare_edit(indicator.commitment.version, user)
    audit.record(
        user=user,
        action="delete_indicator",
        obj=indicator,
        summary=indicator.title,
        before=_snapshot(indicator, INDICATOR_FIELDS),
    )
    commitment = indicator.commitment
    indicator.delete()
    _renumber(commitment.indicators.all())
    return outcome


# --- Approval, publishing, versions ------------------------------------------------------


@transaction.atomic
def approve_agreement(version, user, party_kind: str | None = None) -> Approval:
    """Approve for one party (accounts/approvals.py); both approved: the version is agreed."""

    def check(version, party_kind, _completes):
        if not version.parties.filter(kind=party_kind).exists():
            raise ValidationError(_("The agreement has no party of this kind to approve for."))

    return approvals.approve(version, user, party_kind, check=check).approval


@transaction.atomic
def withdraw_approval(version, user, party_kind: str | None = None) -> None:
    """Withdraw one party's approval; refused once the version is published."""
    approvals.withdraw(version, user, party_kind)


def _require_exchange_valid(version) -> None:
    """A version is published only if the exchange format accepts it, so every published
    version can be exported, and copied into the next version (security finding 5)."""
    from .exchange import export_version_document, readable_issues, validate_document

    issues = validate_document(export_version_document(version))
    if issues:
        raise ValidationError(
            [_("The version cannot be published until this is fixed:")] + readable_issues(issues)
        )


@transaction.atomic
def publish_agreement(version, user) -> AgreementVersion:
    access.require_edit(user, version.municipality)
    version = approvals.lock(version)
    if version.status != Status.AGREED or not approvals.both_approved(version):
        raise ValidationError(_("Both parties must approve the version before it is published."))
    _require_exchange_valid(version)
    check_publishable(publication.document_label(version), publication.texts(version))
    version.status = Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.record(
        user=user,
        action="publish_agreement",
        obj=version,
        summary=f"{version.title} v{version.number}",
    )
    return version


@transaction.atomic
def start_new_version(agreement: Agreement, user) -> AgreementVersion:
    """A new draft version copied from the latest version, which must be published."""
    from .exchange import DocumentError, export_version_document, readable_issues
    from .importing import replace_version_content
    from .priorities import copy_problem_links

    access.require_edit(user, agreement.municipality)
    latest = agreement.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.status != Status.PUBLISHED:
        raise ValidationError(_("There is already a draft version; edit it instead."))
    document = export_version_document(latest)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        municipality=agreement.municipality,
        number=latest.number + 1,
        title=latest.title,
    )
    try:
        replace_version_content(version, document, user)
    except DocumentError as exc:
        # Only a version published before publishing checked the format (a new one is
        # refused at publication). The transaction is rolled back: nothing was created.
        raise ValidationError(
            [
                _(
                    "Version %(number)s cannot be copied: it contains something the "
                    "exchange format does not allow. Download it, correct it and upload it "
                    "as a new version."
                )
                % {"number": latest.number}
            ]
            + readable_issues(exc.errors)
        ) from None
    copy_problem_links(latest, version)  # not in the exchange format (issue 4)
    audit.record(
        user=user,
        action="start_new_version",
        obj=version,
        summary=f"{version.title} v{version.number}",
        after={"from_version": latest.number},
    )
    return version
