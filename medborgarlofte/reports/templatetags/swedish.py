"""Swedish as Swedes write it (issue 16).

{% load swedish %}
{{ year|year }}              2024, never "2 024" (USE_THOUSAND_SEPARATOR groups ints)
{{ when|swedish_datetime }}  "2 december 2026 kl. 04.53" (Swedish time), from a
                             datetime or an ISO 8601 string
{{ day|swedish_date }}       "1 januari 2023", from a date or an ISO 8601 date string
"""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def year(value) -> str:
    """A year as written: digits without a thousands separator."""
    if value in (None, ""):
        return ""
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def swedish_datetime(value) -> str:
    if value in (None, ""):
        return ""
    when = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(when, datetime):
        return str(value)
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    if (get_language() or "sv").startswith("sv"):
        return f"{date_format(when, 'j F Y')} kl. {when:%H.%M}"
    return _("%(date)s at %(time)s") % {
        "date": date_format(when, "j F Y"),
        "time": f"{when:%H:%M}",
    }


@register.filter
def swedish_date(value) -> str:
    """A date as written ("1 januari 2023"); a JSON snapshot keeps dates as ISO strings."""
    if value in (None, ""):
        return ""
    try:
        day = parse_date(value) if isinstance(value, str) else value
    except ValueError:
        day = None
    if not isinstance(day, date):
        return str(value)
    return date_format(day, "j F Y")
