"""The agreement's follow-up plan as a rhythm: the words it may use and how it is stored.

AgreementVersion.follow_up_schedule holds one word (the exchange format's
`follow_up.schedule: tertial`) or a list of ISO dates. Follow-up reads it through
followup/periods.py (`rhythm_for`); the editor writes it through DetailsForm. Both use
the parsing here, so the plan a coordinator saves is the rhythm follow-up uses.
"""

import datetime

from django.utils.translation import gettext_lazy as _

# The words a follow-up plan may use (the exchange format's, and Swedish ones).
SCHEDULE_ALIASES = {
    "tertial": "tertial",
    "tertialvis": "tertial",
    "quarter": "quarter",
    "kvartal": "quarter",
    "kvartalsvis": "quarter",
    "half_year": "half_year",
    "halvår": "half_year",
    "halvårsvis": "half_year",
    "year": "year",
    "år": "year",
    "helår": "year",
    "årsvis": "year",
}
DATES = "dates"
RHYTHM_CHOICES = [
    ("tertial", _("Per tertial (January–April, May–August, September–December)")),
    ("quarter", _("Per quarter")),
    ("half_year", _("Per half year")),
    ("year", _("Only the yearly follow-up")),
    (DATES, _("On dates of our own choosing")),
]


def schedule_word(schedule) -> tuple[str, tuple[datetime.date, ...]]:
    """A follow-up plan's schedule → ('quarter', ()) or ('dates', (date, …)).
    Anything unknown (or nothing) means the default rhythm, tertial."""
    if isinstance(schedule, str):
        schedule = [schedule]
    dates = []
    for entry in schedule or []:
        text = str(entry).strip()
        word = SCHEDULE_ALIASES.get(text.casefold())
        if word is not None:
            return word, ()
        try:
            dates.append(datetime.date.fromisoformat(text))
        except ValueError:
            continue
    if dates:
        return DATES, tuple(sorted(set(dates)))
    return "tertial", ()


def stored_schedule(word: str, dates=()) -> str | list[str]:
    """What follow_up_schedule stores for a rhythm: the word, or the ISO dates."""
    if word == DATES:
        return [d.isoformat() for d in sorted(set(dates))]
    return word


def describe(schedule) -> dict:
    """The plan for display: {"label": "Per quarter", "dates": [date, …]}."""
    word, dates = schedule_word(schedule)
    return {"word": word, "label": dict(RHYTHM_CHOICES)[word], "dates": list(dates)}
