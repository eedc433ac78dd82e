"""Who may see and change EST reports, the gazetteer and the weekly meetings.

Reporters submit reports and see their own; coordinator and police review; readers
read (built on accounts.access; the building blocks are re-exported)."""

from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    REPORT_ROLES,
    can_edit,
    get_municipality_for_reporter,
    get_municipality_for_user,
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
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Incident.objects.filter(municipality=municipality).select_related(
        "category", "place", "report", "duplicate_of"
    )


def get_incident_for_user(user, municipality, pk: int, *, edit: bool = False):
    incident = incidents_for_user(user, municipality).filter(pk=pk).first()
    if incident is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return incident


def places_for_user(user, municipality, *, report: bool = False):
    """The gazetteer of a kommun: readable by its readers, and by reporters for the form."""
    roles = READ_ROLES | REPORT_ROLES if report else READ_ROLES
    if not roles_for(user, municipality) & roles:
        raise Http404
    return Place.objects.filter(municipality=municipality)


def get_place_for_user(user, municipality, pk: int, *, edit: bool = False):
    place = places_for_user(user, municipality).filter(pk=pk).first()
    if place is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return place


def incident_categories_for_user(user, municipality, *, report: bool = False):
    roles = READ_ROLES | REPORT_ROLES if report else READ_ROLES
    if not roles_for(user, municipality) & roles:
        raise Http404
    return IncidentCategory.objects.filter(municipality=municipality)


def get_incident_category_for_user(user, municipality, pk: int, *, edit: bool = False):
    category = incident_categories_for_user(user, municipality).filter(pk=pk).first()
    if category is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return category


def weekly_meetings_for_user(user, municipality):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return WeeklyMeeting.objects.filter(municipality=municipality)


def get_weekly_meeting_for_user(user, municipality, pk: int, *, edit: bool = False):
    meeting = weekly_meetings_for_user(user, municipality).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return meeting


def get_meeting_action_for_user(user, municipality, pk: int, *, edit: bool = False):
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    action = MeetingAction.objects.filter(municipality=municipality, pk=pk).first()
    if action is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return action
