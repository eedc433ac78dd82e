"""The free texts a published follow-up carries, for the publication gate
(privacy/gate.py): the summary, the narratives, the status explanations, the titles and
units of the period's activities and of the late activities it reports, and the agreement version's texts it repeats."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medborgarlofte.agreements import publication as agreement_publication
from medborgarlofte.privacy.gate import PublishedText, short

from . import closing, periods
from .models import Activity, FollowUp, period_label


def _item(obj, field: str, place: str, label: str | None = None) -> PublishedText:
    label = label or str(capfirst(obj._meta.get_field(field).verbose_name))
    return PublishedText(obj, field, label, place, getattr(obj, field) or "")


def document_label(followup: FollowUp) -> str:
    return _("The follow-up “%(period)s” %(year)s") % {
        "period": period_label(followup.period),
        "year": followup.agreement.year,
    }


def activity_place(activity: Activity) -> str:
    return _("Activity “%(text)s” (%(date)s)") % {
        "text": short(activity.title),
        "date": activity.date.isoformat(),
    }


def texts(followup: FollowUp, version) -> list[PublishedText]:
    agreement = followup.agreement
    items = [_item(followup, "summary", _("General"))]
    for narrative in followup.narratives.all():
        place = _("Narrative of focus area %(key)s") % {"key": narrative.focus_area_key or "–"}
        items.append(_item(narrative, "text", place))
    for status in followup.statuses.all():
        place = _("Status of commitment %(ref)s") % {"ref": status.commitment_ref}
        items.append(_item(status, "explanation", place))
    spec = periods.rhythm_for(agreement, version).spec(followup.period)
    start, end = (spec.start, spec.end) if spec else periods.period_range(agreement.year, "year")
    activities = Activity.objects.filter(
        agreement=agreement, date__gte=start, date__lte=end
    ).order_by("date", "id")
    # The late activities it will report as additions to earlier periods (closing.py).
    additions = closing.pending_additions(agreement, start)
    for activity in [*activities, *additions]:
        place = activity_place(activity)
        items.append(_item(activity, "title", place, _("Title")))
        items.append(_item(activity, "unit", place))
    return items + agreement_publication.texts(version)
