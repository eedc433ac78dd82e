"""Who may see and change EST reports, the gazetteer and the weekly meetings.

Reporters submit reports and see their own; coordinator and police review; readers
read (built on accounts.access; the building blocks are re-exported)."""

from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    REPORT_ROLES,
    can_edit,
    get_kommun_row_for_user,
    get_municipality_for_reporter,
    get_municipality_for_user,
    kommun_rows_for_user,
    municipalities_for_reporter,
    municipalities_for_user,
    require_edit,
    require_report,
    roles_for,
)
from medborgarlofte.kommuner.models import Place

from .models import Incident, IncidentCategory, MeetingAction, WeeklyMeeting


def own_incidents_for_user(user):
    return Incident.objects.filter(reporter=user).select_related(
        "category", "place", "municipality", "report"
    )


def get_own_incident_for_user(user, pk: int):
    """A reporter's own event; anybody else's answers 404."""
    incident = own_incidents_for_user(user).filter(pk=pk).first()
    if incident is None or not roles_for(user, incident.municipality) & REPORT_ROLES:
        raise Http404
    return incident


def incidents_for_user(user, municipality):
    incidents = Incident.objects.select_related("category", "place", "report", "duplicate_of")
    return kommun_rows_for_user(user, municipality, incidents)


def get_incident_for_user(user, municipality, pk: int, *, edit: bool = False):
    incidents = incidents_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, incidents, pk, edit=edit)


def places_for_user(user, municipality, *, report: bool = False):
    """The gazetteer of a kommun: readable by its readers, and by reporters for the form."""
    roles = READ_ROLES | REPORT_ROLES if report else READ_ROLES
    return kommun_rows_for_user(user, municipality, Place.objects.all(), roles)


def get_place_for_user(user, municipality, pk: int, *, edit: bool = False):
    places = places_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, places, pk, edit=edit)


def incident_categories_for_user(user, municipality, *, report: bool = False):
    roles = READ_ROLES | REPORT_ROLES if report else READ_ROLES
    return kommun_rows_for_user(user, municipality, IncidentCategory.objects.all(), roles)


def get_incident_category_for_user(user, municipality, pk: int, *, edit: bool = False):
    categories = incident_categories_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, categories, pk, edit=edit)


def weekly_meetings_for_user(user, municipality):
    return kommun_rows_for_user(user, municipality, WeeklyMeeting.objects.all())


def get_weekly_meeting_for_user(user, municipality, pk: int, *, edit: bool = False):
    meetings = weekly_meetings_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, meetings, pk, edit=edit)


def get_meeting_action_for_user(user, municipality, pk: int, *, edit: bool = False):
    actions = kommun_rows_for_user(user, municipality, MeetingAction.objects.all())
    return get_kommun_row_for_user(user, municipality, actions, pk, edit=edit)
