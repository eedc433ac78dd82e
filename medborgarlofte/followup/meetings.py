"""EST entered once: held weekly meetings as activities of the commitments they serve.

A weekly EST meeting (incidents.WeeklyMeeting) serves the commitments it names
(`commitment_refs`) and those its actions name (MeetingAction.commitment_ref). Follow-up
counts each held meeting once per commitment it serves, on the meeting's date, as a
meeting of type "weekly_lagesbild": in cadence compliance ("47 av 52 veckor"), in the
activity list, in the `meetings:` indicator source and in the reminders, so the meeting
is never entered twice. An activity logged by hand for the same commitment as a weekly
joint review on the same date is the same meeting: it is counted once.
"""

import datetime

from .models import MeetingType

WEEKLY = MeetingType.WEEKLY_LAGESBILD.value


def held(municipality, start: datetime.date, end: datetime.date):
    try:
        from medborgarlofte.incidents.models import WeeklyMeeting
    except ImportError:  # follow-up works without the incidents app
        return []
    return list(
        WeeklyMeeting.objects.filter(municipality=municipality, date__gte=start, date__lte=end)
        .prefetch_related("actions")
        .order_by("date", "id")
    )


def meeting_items(agreement, start: datetime.date, end: datetime.date) -> dict[str, list[dict]]:
    """{commitment ref: [activity-like item]} for the weekly meetings held in [start, end]."""
    grouped: dict[str, list[dict]] = {}
    for meeting in held(agreement.municipality, start, end):
        title = _title(meeting)
        for ref in meeting.served_refs():
            grouped.setdefault(ref, []).append(
                {
                    "date": meeting.date,
                    "title": title,
                    "quantity": None,
                    "unit": "",
                    "meeting_type": WEEKLY,
                    "is_example": meeting.is_example,
                    "from_meeting": True,
                }
            )
    return grouped


def _title(meeting) -> str:
    from django.utils.translation import gettext as _

    return _("Weekly EST meeting, week %(week)d") % {"week": meeting.iso_week}


def merge(
    logged: dict[str, list[dict]], from_meetings: dict[str, list[dict]]
) -> dict[str, list[dict]]:
    """The logged activities with the held meetings added, sorted by date; a meeting
    already logged by hand (same commitment, same date, weekly joint review) counts once."""
    merged = {ref: list(items) for ref, items in logged.items()}
    for ref, items in from_meetings.items():
        rows = merged.setdefault(ref, [])
        logged_days = {i["date"] for i in rows if i.get("meeting_type") == WEEKLY}
        rows.extend(i for i in items if i["date"] not in logged_days)
        rows.sort(key=lambda i: i["date"])
    return merged


def meeting_dates(agreement, ref: str, start: datetime.date, end: datetime.date) -> list:
    """The dates of the held meetings serving one commitment."""
    return [i["date"] for i in meeting_items(agreement, start, end).get(ref, [])]
