"""Next year's promise (issue 14): a new agreement for a chosen period, copied from an
earlier agreement's published (or chosen) version.

The copy is a new Agreement with a draft version 1 and no approvals. Each commitment
remembers the one it continues (Commitment.continues) and gets a reference of the new
period ("m25-01"). The earlier agreement is never changed: it is only read through the
exchange format. While drafting, each continued commitment is kept, changed (the
ordinary editor) or dropped with a reason (drop_commitment, audited).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, audit

from .models import Agreement, AgreementVersion, Commitment, Status
from .services import EditOutcome, _renumber, prepare_edit


def period_label(start_year: int, end_year: int) -> str:
    return str(start_year) if start_year == end_year else f"{start_year}–{end_year}"


def period_ref(start_year: int, number: int, used: set) -> str:
    """A reference of the new period like "m25-01" (1-based), unique against `used`."""
    base = ref = f"m{start_year % 100:02d}-{number:02d}"
    suffix = 2
    while ref in used:
        ref, suffix = f"{base}-{suffix}", suffix + 1
    used.add(ref)
    return ref


def source_version(agreement: Agreement, number: int | None = None) -> AgreementVersion:
    """The chosen version, else the latest published version of the agreement."""
    versions = agreement.versions.all()
    if number is not None:
        version = versions.filter(number=number).first()
        if version is None:
            raise ValidationError(
                _("The agreement has no version %(number)s.") % {"number": number}
            )
        return version
    version = versions.filter(status=Status.PUBLISHED).order_by("-number").first()
    if version is None:
        raise ValidationError(
            _("The agreement has no published version to copy. Choose a version.")
        )
    return version


def _new_title(title: str, old: str, new: str) -> str:
    return title.replace(old, new) if old in title else f"{title} {new}"


@transaction.atomic
def copy_agreement(
    agreement: Agreement,
    user,
    *,
    start_year: int,
    end_year: int | None = None,
    number: int | None = None,
) -> AgreementVersion:
    """Make next year's (or a later period's) draft from an earlier agreement.

    `user` is None only for the operator's command (copy_agreement), like import_agreement.
    """
    from .exchange import DocumentError, export_version_document, readable_issues
    from .importing import replace_version_content

    if user is not None:
        access.require_edit(user, agreement.municipality)
    end_year = start_year if end_year is None else end_year
    if not 1900 <= start_year <= end_year <= 9999:
        raise ValidationError(_("The end year must be the start year or later."))
    if start_year <= agreement.period_start.year:
        raise ValidationError(_("The new period must start after the agreement it is copied from."))
    start, end = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
    kommun = agreement.municipality
    if Agreement.objects.filter(
        municipality=kommun, period_start__lte=end, period_end__gte=start
    ).exists():
        raise ValidationError(
            _("%(kommun)s already has an agreement for a period overlapping %(period)s.")
            % {"kommun": kommun.name, "period": period_label(start_year, end_year)}
        )
    source = source_version(agreement, number)
    document = export_version_document(source)  # only reads the earlier agreement
    old_label = period_label(agreement.period_start.year, agreement.period_end.year)
    document["title"] = _new_title(document["title"], old_label, period_label(start_year, end_year))
    document["period"] = {"start": start.isoformat(), "end": end.isoformat()}
    signed = document.get("signed", {})
    signed.pop("date", None)  # not signed yet; the signatories stay
    follow_up = document.get("follow_up", {})
    if isinstance(follow_up.get("schedule"), list):
        follow_up.pop("schedule")  # dates of the old period; a rhythm word is kept
    used: set = set()
    old_refs = []
    for section in document.get("sections", []):
        for commitment in section.get("commitments", []):
            old_refs.append(commitment.get("ref"))
            commitment["ref"] = period_ref(start_year, len(old_refs), used)
    new = Agreement.objects.create(municipality=kommun, period_start=start, period_end=end)
    version = AgreementVersion.objects.create(
        agreement=new, municipality=kommun, number=1, title=document["title"]
    )
    try:
        replace_version_content(version, document, user)
    except DocumentError as exc:
        raise ValidationError(
            [
                _(
                    "Version %(number)s cannot be copied: it contains something the "
                    "exchange format does not allow. Download it, correct it and upload it "
                    "as a new version."
                )
                % {"number": source.number}
            ]
            + readable_issues(exc.errors)
        ) from None
    earlier = {c.ref: c for c in source.commitments.all()}
    new_commitments = list(
        Commitment.objects.filter(version=version).order_by("section__position", "position")
    )
    for old_ref, commitment in zip(old_refs, new_commitments, strict=True):
        commitment.continues = earlier.get(old_ref)
        commitment.save(update_fields=["continues"])
    audit.record(
        user=user,
        action="copy_agreement",
        obj=version,
        summary=f"{source.title} v{source.number} → {version.title}",
        after={
            "from_agreement": agreement.pk,
            "from_version": source.number,
            "period": period_label(start_year, end_year),
            "commitments": len(new_commitments),
        },
    )
    return version


@transaction.atomic
def drop_commitment(commitment: Commitment, user, reason: str) -> EditOutcome:
    """Drop a continued commitment from the draft; the reason is kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the commitment is dropped."))
    _version, outcome = prepare_edit(commitment.version, user)
    section = commitment.section
    audit.record(
        user=user,
        action="drop_commitment",
        obj=commitment,
        summary=commitment.text[:120],
        before={
            "ref": commitment.ref,
            "text": commitment.text,
            "continues": commitment.continues.ref if commitment.continues_id else None,
        },
        after={"reason": reason},
    )
    commitment.delete()
    _renumber(section.commitments.all())
    return outcome
