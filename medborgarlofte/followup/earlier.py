"""Last year's follow-up status beside next year's draft (issue 14), registered with
agreements.earlier_followup in FollowupConfig.ready (agreements may not import followup)."""

from medborgarlofte.agreements.earlier_followup import EarlierStatus

from . import access
from .models import FollowUp, Period, period_label


def statuses_for_agreement(user, agreement) -> dict[str, EarlierStatus]:
    """{commitment_ref: status} of the agreement's yearly follow-up (else its latest one)."""
    if not access.roles_for(user, agreement.municipality) & access.READ_ROLES:
        return {}
    followups = list(
        FollowUp.objects.filter(agreement=agreement, municipality=agreement.municipality)
        .prefetch_related("statuses")
        .order_by("-updated_at")
    )
    if not followups:
        return {}
    chosen = next((f for f in followups if f.period == Period.YEAR), followups[0])
    period = period_label(chosen.period)
    return {
        s.commitment_ref: EarlierStatus(s.status, s.get_status_display(), s.explanation, period)
        for s in chosen.statuses.all()
    }
