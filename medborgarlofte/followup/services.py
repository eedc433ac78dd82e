"""Every write of the follow-up goes through these functions: one transaction each, an
audit entry each. Editing a follow-up clears its approvals (both parties approve what is
published; the two-party approval is accounts/approvals.py); published follow-ups are
frozen."""

import contextlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medborgarlofte.accounts import access, approvals, audit
from medborgarlofte.privacy.gate import check_publishable
from medborgarlofte.privacy.scanner import scan

from . import closing, periods, publication
from . import evidence as evidence_files
from .data import build_followup_data, public_copy
from .models import (
    Activity,
    CommitmentStatus,
    Evidence,
    FollowUp,
    FollowUpApproval,
    FollowUpStatus,
    IndicatorSourceMapping,
    IndicatorValue,
    Narrative,
    period_label,
)

ACTIVITY_FIELDS = [
    "commitment_ref",
    "date",
    "party_kind",
    "title",
    "quantity",
    "unit",
    "hours",
    "cost",
    "reach",
    "outcome",
    "meeting_type",
    "participants",
    "decisions",
    "late",
    "late_reason",
    "late_period",
]


def published_version_of(agreement):
    version = agreement.published_version()
    if version is None:
        raise ValidationError(_("The agreement has no published version to follow up."))
    return version


def commitment_refs(version) -> set[str]:
    return set(version.commitments.values_list("ref", flat=True))


# The free-text fields of an activity: all pass the scanner (privacy/fields.py).
ACTIVITY_TEXT_FIELDS = ("title", "unit", "participants", "outcome", "decisions")


def check_personal_data(text: str, confirmed: bool) -> None:
    if text and scan(text) and not confirmed:
        raise ValidationError(
            _(
                "The text seems to contain personal data. Remove it, or confirm that it may be stored."
            )
        )


def _activity_state(activity: Activity) -> dict:
    state = {
        name: (
            value.isoformat()
            if hasattr(value, "isoformat")
            else str(value)
            if isinstance(value, Decimal)
            else value
        )
        for name in ACTIVITY_FIELDS
        if (value := getattr(activity, name)) is not None
    }
    if activity.place_id:
        state["place"] = activity.place_id
    return state


def closed_period_error(followup: FollowUp) -> str:
    from django.utils import formats

    return _(
        "The period %(period)s is closed: its follow-up was published on %(date)s. "
        "Give a reason why the activity is logged afterwards."
    ) % {
        "period": period_label(followup.period),
        "date": formats.date_format(timezone.localtime(followup.published_at).date(), "j F Y"),
    }


def late_registration(agreement, version, day, reason: str) -> dict:
    """The late fields of an activity dated `day`: {} in an open period; in a closed one
    the reason is required (ValidationError naming the period) and the activity is late."""
    closed = closing.closed_followup(agreement, day, version)
    if closed is None:
        return {}
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"late_reason": closed_period_error(closed)})
    return {"late": True, "late_reason": reason, "late_period": closed.period}


@transaction.atomic
def log_activity(
    agreement, user, *, confirmed=False, is_example=False, late_reason="", **values
) -> Activity:
    """Log an activity. Dated in a closed period (its follow-up published, closing.py),
    it needs `late_reason` and is stored marked late, for the next follow-up."""
    access.require_edit(user, agreement.municipality)
    version = published_version_of(agreement)
    if values["commitment_ref"] not in commitment_refs(version):
        raise ValidationError(_("No such commitment in the published agreement."))
    place = values.get("place")
    if place is not None and place.municipality_id != agreement.municipality_id:
        raise PermissionDenied  # the gazetteer is per kommun
    late = late_registration(agreement, version, values["date"], late_reason)
    for name in (*ACTIVITY_TEXT_FIELDS, "late_reason"):
        check_personal_data((late if name == "late_reason" else values).get(name) or "", confirmed)
    activity = Activity.objects.create(
        municipality=agreement.municipality,
        agreement=agreement,
        personal_data_confirmed=confirmed,
        is_example=is_example,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **values,
        **late,
    )
    audit.record(
        user=user,
        action="log_late_activity" if late else "log_activity",
        obj=activity,
        summary=f"{activity.commitment_ref}: {activity.title}",
        after=_activity_state(activity),
    )
    return activity


@transaction.atomic
def delete_activity(activity: Activity, user) -> None:
    access.require_edit(user, activity.municipality)
    audit.record(
        user=user,
        action="delete_activity",
        obj=activity,
        summary=f"{activity.commitment_ref}: {activity.title}",
        before=_activity_state(activity),
    )
    names = list(activity.evidence.values_list("stored_name", flat=True))
    activity.delete()
    transaction.on_commit(lambda: _remove_files(names))


def _remove_files(names) -> None:
    for name in names:
        with contextlib.suppress(OSError, ValueError):
            evidence_files.path_of(name).unlink(missing_ok=True)


@transaction.atomic
def add_evidence(activity: Activity, user, upload) -> Evidence:
    access.require_edit(user, activity.municipality)
    data, content_type, extension = evidence_files.read_checked(upload)
    stored_name, digest = evidence_files.store(activity.municipality.code, data, extension)
    item = Evidence.objects.create(
        municipality=activity.municipality,
        activity=activity,
        stored_name=stored_name,
        original_name=(getattr(upload, "name", "") or f"underlag.{extension}")[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
    )
    audit.record(
        user=user,
        action="add_evidence",
        obj=item,
        summary=item.original_name,
        after={"activity": activity.pk, "sha256": digest, "size": len(data)},
    )
    return item


@transaction.atomic
def record_indicator_value(
    agreement, user, *, commitment_ref, indicator_title, date, value, note="", is_example=False
) -> IndicatorValue:
    access.require_edit(user, agreement.municipality)
    item = IndicatorValue.objects.create(
        municipality=agreement.municipality,
        agreement=agreement,
        commitment_ref=commitment_ref,
        indicator_title=indicator_title,
        date=date,
        value=value,
        note=note,
        is_example=is_example,
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        user=user,
        action="record_indicator_value",
        obj=item,
        summary=f"{indicator_title}: {value}",
        after={"date": date.isoformat(), "value": value, "note": note},
    )
    return item


@transaction.atomic
def set_indicator_source(agreement, user, *, commitment_ref, indicator_title, source) -> None:
    access.require_edit(user, agreement.municipality)
    mapping = IndicatorSourceMapping.objects.filter(
        agreement=agreement, commitment_ref=commitment_ref, indicator_title=indicator_title
    ).first()
    before = mapping.source if mapping else None
    if source:
        IndicatorSourceMapping.objects.update_or_create(
            agreement=agreement,
            commitment_ref=commitment_ref,
            indicator_title=indicator_title,
            defaults={"source": source, "municipality": agreement.municipality},
        )
    elif mapping:
        mapping.delete()
    audit.record(
        user=user,
        action="set_indicator_source",
        municipality=agreement.municipality,
        object_type="indicator",
        object_id=commitment_ref,
        summary=indicator_title,
        before={"source": before},
        after={"source": source or None},
    )


# --- Follow-ups -----------------------------------------------------------------------------


def _locked_followup(agreement, period: str) -> FollowUp:
    followup, _created = FollowUp.objects.get_or_create(
        agreement=agreement, period=period, defaults={"municipality": agreement.municipality}
    )
    return approvals.lock(followup)


def _check_statuses(statuses: dict, refs: set[str]) -> None:
    errors = {}
    for ref, (status, explanation) in statuses.items():
        if ref not in refs:
            raise ValidationError(_("No such commitment in the published agreement."))
        if status and status not in CommitmentStatus.Status.values:
            errors[ref] = _("Unknown status.")
        elif status in CommitmentStatus.NEEDS_EXPLANATION and not explanation.strip():
            errors[ref] = _("Explain why the commitment was not done or only partly done.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_followup(
    agreement, user, period: str, *, statuses: dict, narratives: dict, summary: str = ""
) -> tuple[FollowUp, int]:
    """Statuses {ref: (status, explanation)} and narratives {focus area key: text}.
    Returns the follow-up and the number of approvals the edit cleared."""
    access.require_edit(user, agreement.municipality)
    version = published_version_of(agreement)
    _check_statuses(statuses, commitment_refs(version))
    if periods.rhythm_for(agreement, version).spec(period) is None:
        raise ValidationError(_("The agreement has no such follow-up period."))
    followup = _locked_followup(agreement, period)
    if followup.status == FollowUpStatus.PUBLISHED:
        raise ValidationError(_("A published follow-up cannot be changed."))
    cleared = approvals.clear_approvals(followup, user)
    followup.summary = summary
    followup.save(update_fields=["summary", "updated_at"])
    for ref, (status, explanation) in statuses.items():
        if not status:
            followup.statuses.filter(commitment_ref=ref).delete()
            continue
        CommitmentStatus.objects.update_or_create(
            follow_up=followup,
            commitment_ref=ref,
            defaults={
                "status": status,
                "explanation": explanation.strip(),
                "municipality": agreement.municipality,
            },
        )
    for key, text in narratives.items():
        Narrative.objects.update_or_create(
            follow_up=followup,
            focus_area_key=key,
            defaults={"text": text.strip(), "municipality": agreement.municipality},
        )
    audit.record(
        user=user,
        action="save_followup",
        obj=followup,
        summary=f"{agreement} {period}",
        after={"statuses": {r: s for r, (s, _e) in statuses.items() if s}, "cleared": cleared},
    )
    return followup, cleared


@transaction.atomic
def approve_followup(followup: FollowUp, user, party_kind: str | None = None) -> FollowUpApproval:
    """Approve for one party (accounts/approvals.py); both approved: the follow-up is agreed."""
    return approvals.approve(followup, user, party_kind).approval


@transaction.atomic
def withdraw_approval(followup: FollowUp, user, party_kind: str | None = None) -> None:
    """Withdraw one party's approval; refused once the follow-up is published."""
    approvals.withdraw(followup, user, party_kind)


@transaction.atomic
def publish_followup(followup: FollowUp, user, *, as_of=None) -> FollowUp:
    access.require_edit(user, followup.municipality)
    followup = approvals.lock(followup)
    if followup.status != FollowUpStatus.AGREED or not approvals.both_approved(followup):
        raise ValidationError(_("Both parties must approve the follow-up before it is published."))
    agreement = followup.agreement
    version = published_version_of(agreement)
    check_publishable(publication.document_label(followup), publication.texts(followup, version))
    followup.status = FollowUpStatus.PUBLISHED
    followup.published_at = timezone.now()
    followup.published_by = user if getattr(user, "is_authenticated", False) else None
    spec = periods.rhythm_for(agreement, version).spec(followup.period)
    # The late activities reported as additions: fixed before the snapshot is built.
    additions = list(closing.pending_additions(agreement, spec.start).values_list("pk", flat=True))
    Activity.objects.filter(pk__in=additions).update(reported_in=followup)
    data = build_followup_data(agreement, version, followup.period, followup=followup, as_of=as_of)
    followup.snapshot = public_copy(data)
    followup.save(
        update_fields=["status", "published_at", "published_by", "snapshot", "updated_at"]
    )
    audit.record(
        user=user,
        action="publish_followup",
        obj=followup,
        summary=str(followup),
        after={"late_additions": additions},
    )
    return followup
