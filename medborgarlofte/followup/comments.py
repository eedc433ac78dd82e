"""The follow-up as a document the parties comment on (accounts/comments.py)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from medborgarlofte.accounts import comments
from medborgarlofte.accounts.access import municipalities_for_user
from medborgarlofte.agreements.models import Commitment

from . import periods
from .models import FollowUp, period_label


def _label(followup) -> str:
    return _("Follow-up %(period)s %(year)s") % {
        "period": period_label(followup.period),
        "year": followup.agreement.year,
    }


def _anchors(followup) -> list[tuple[str, str, str]]:
    version = followup.agreement.published_version()
    if version is None:
        return []
    out = []
    for c in Commitment.objects.filter(version=version).order_by("section__position", "position"):
        text = c.text if len(c.text) <= 80 else c.text[:79] + "…"
        out.append((comments.Anchor.COMMITMENT, c.ref, f"{c.ref}: {text}"))
    return out


def _get_for_user(user, pk: int):
    followup = (
        FollowUp.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("agreement", "municipality")
        .first()
    )
    if followup is None:
        raise Http404
    return followup


def register() -> None:
    comments.register(
        comments.DocumentKind(
            kind="followup",
            model=FollowUp,
            label=_label,
            get_for_user=_get_for_user,
            url=lambda f: reverse(
                "followup:followup",
                args=[f.municipality.code, *periods.url_parts(f.period, f.agreement.year)],
            ),
            anchors=_anchors,
        )
    )
