"""The only place where internal views and the API fetch tenant data.

Every lookup takes the user and answers with what that user may see. An object of a
kommun the user holds no role in answers 404 (Http404), so its existence is not
leaked; an object the user may read but not change answers 403 (PermissionDenied).
Views must not call Model.objects for tenant data (a test greps for that).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from medborgarlofte.agreements.models import Agreement, AgreementVersion
from medborgarlofte.kommuner.models import Municipality

from .models import AuditEntry, Membership, Role

# Roles that may open the internal pages of a kommun (reporters only see their own reports).
READ_ROLES = frozenset({Role.COORDINATOR, Role.POLICE, Role.READER})
# Roles that may edit, approve and publish agreements and run imports.
EDIT_ROLES = frozenset({Role.COORDINATOR, Role.POLICE})


def roles_for(user, municipality) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cache = getattr(user, "_medborgarlofte_roles", None)
    if cache is None:
        cache = {}
        for code, role in Membership.objects.filter(user=user).values_list(
            "municipality__code", "role"
        ):
            cache.setdefault(code, set()).add(role)
        user._medborgarlofte_roles = cache
    return set(cache.get(municipality.code, set()))


def municipalities_for_user(user, roles=READ_ROLES):
    """The kommuner in which the user holds one of the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=list(roles)
    ).distinct()


def get_municipality_for_user(user, code: str, roles=READ_ROLES) -> Municipality:
    municipality = municipalities_for_user(user, READ_ROLES).filter(code=code).first()
    if municipality is None:
        raise Http404
    if not roles_for(user, municipality) & set(roles):
        raise PermissionDenied
    return municipality


def can_edit(user, municipality) -> bool:
    return bool(roles_for(user, municipality) & EDIT_ROLES)


def agreements_for_user(user):
    return Agreement.objects.filter(municipality__in=municipalities_for_user(user)).select_related(
        "municipality"
    )


def get_agreement_for_user(user, pk: int, *, edit: bool = False) -> Agreement:
    agreement = agreements_for_user(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    if edit and not can_edit(user, agreement.municipality):
        raise PermissionDenied
    return agreement


def get_version_for_user(
    user, agreement_pk: int, number: int, *, edit: bool = False
) -> AgreementVersion:
    agreement = get_agreement_for_user(user, agreement_pk, edit=edit)
    version = (
        agreement.versions.filter(number=number).select_related("municipality", "agreement").first()
    )
    if version is None:
        raise Http404
    return version


def get_child_for_user(user, version: AgreementVersion, model, pk: int):
    """A row inside a version (section, commitment, indicator …), scoped to that version."""
    scope = {"version": version} if hasattr(model, "version") else {"commitment__version": version}
    obj = model.objects.filter(pk=pk, municipality=version.municipality, **scope).first()
    if obj is None:
        raise Http404
    return obj


def audit_entries_for_user(user, municipality):
    """The kommun's audit log. Entries about police-only material (reads and changes of
    intelligence summaries) are shown to its police users only: to anyone else they would
    tell when a summary was written, how long it is and when it was read."""
    from .police_reads import POLICE_ONLY_ACTIONS

    if not roles_for(user, municipality) & EDIT_ROLES:
        raise PermissionDenied
    entries = AuditEntry.objects.filter(municipality=municipality).select_related("actor")
    if not is_police(user, municipality):
        entries = entries.exclude(action__in=POLICE_ONLY_ACTIONS)
    return entries


def require_edit(user, municipality) -> None:
    if not can_edit(user, municipality):
        raise PermissionDenied


# --- incidents (EST reports, gazetteer, weekly meetings) --------------------------------
# Reporters submit reports and see their own; coordinator and police review; readers read.

REPORT_ROLES = frozenset({Role.REPORTER, Role.COORDINATOR, Role.POLICE})


def require_report(user, municipality) -> None:
    if not roles_for(user, municipality) & REPORT_ROLES:
        raise PermissionDenied


def municipalities_for_reporter(user):
    return municipalities_for_user(user, REPORT_ROLES)


def get_municipality_for_reporter(user, code: str) -> Municipality:
    """404 without any role in the kommun, 403 for a reader (who may not report)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    roles = set()
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None:
        roles = roles_for(user, municipality)
    if not roles:
        raise Http404
    if not roles & REPORT_ROLES:
        raise PermissionDenied
    return municipality


def own_incidents_for_user(user):
    from medborgarlofte.incidents.models import Incident

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
    from medborgarlofte.incidents.models import Incident

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
    from medborgarlofte.kommuner.models import Place

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
    from medborgarlofte.incidents.models import IncidentCategory

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
    from medborgarlofte.incidents.models import WeeklyMeeting

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
    from medborgarlofte.incidents.models import MeetingAction

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    action = MeetingAction.objects.filter(municipality=municipality, pk=pk).first()
    if action is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return action


def commitments_for_user(user, municipality):
    """Commitments of the kommun's agreements (read-only use by the weekly meeting)."""
    from medborgarlofte.agreements.models import Commitment

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Commitment.objects.filter(municipality=municipality).select_related("version")


# --- Lägesbild and police intelligence (issue 4; medborgarlofte/lagesbild) --------------
# Intelligence summaries are police-only: non-police users get 404 (their existence is
# not confirmed), and every read by the police is written to the audit log with who,
# when (UTC), what (the object) and why (`why`: the purpose of the page that shows it and,
# for exports, the reason chosen; accounts/police_reads.py).


def is_police(user, municipality) -> bool:
    return Role.POLICE in roles_for(user, municipality)


def _log_intelligence_read(user, obj, why, municipality=None) -> None:
    from . import audit
    from .police_reads import READ_ACTION

    audit.record(
        user=user,
        action=READ_ACTION,
        obj=obj,
        municipality=municipality,
        summary=why.summary(),
        after=why.as_audit(),
    )


def intelligence_for_user(user, municipality, *, why):
    """All intelligence summaries of a kommun (police only, each read logged)."""
    from medborgarlofte.lagesbild.models import IntelligenceSummary

    if not is_police(user, municipality):
        raise Http404
    summaries = list(IntelligenceSummary.objects.filter(municipality=municipality))
    for summary in summaries:
        _log_intelligence_read(user, summary, why)
    return summaries


def get_intelligence_for_user(user, code: str, pk: int, *, why, edit: bool = False):
    """One intelligence summary (police only; 404 for everyone else), the read logged."""
    from medborgarlofte.lagesbild.models import IntelligenceSummary

    municipality = get_municipality_for_user(user, code)
    if not is_police(user, municipality):
        raise Http404
    summary = IntelligenceSummary.objects.filter(municipality=municipality, pk=pk).first()
    if summary is None:
        raise Http404
    if not edit:
        _log_intelligence_read(user, summary, why)
    return summary


def intelligence_for_period_for_user(user, municipality, start, end, *, why):
    """The summary covering exactly this period, for police users (read logged); None for
    everyone else, without touching the table."""
    from medborgarlofte.lagesbild.models import IntelligenceSummary

    if not is_police(user, municipality):
        return None
    summary = IntelligenceSummary.objects.filter(
        municipality=municipality, period_start=start, period_end=end
    ).first()
    if summary is not None:
        _log_intelligence_read(user, summary, why)
    return summary


def frozen_police_sections_for_user(user, version, *, why) -> list:
    """The police-only part of a frozen lägesbild version: [] for non-police users."""
    if not is_police(user, version.municipality) or not version.police_sections:
        return []
    _log_intelligence_read(user, version, why)
    return version.police_sections


def lagesbilder_for_user(user, municipality):
    from medborgarlofte.lagesbild.models import Lagesbild

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Lagesbild.objects.filter(municipality=municipality)


def get_lagesbild_for_user(user, pk: int, *, edit: bool = False):
    from medborgarlofte.lagesbild.models import Lagesbild

    lagesbild = (
        Lagesbild.objects.filter(pk=pk, municipality__in=municipalities_for_user(user))
        .select_related("municipality", "municipality__county")
        .first()
    )
    if lagesbild is None:
        raise Http404
    if edit and not can_edit(user, lagesbild.municipality):
        raise PermissionDenied
    return lagesbild


def get_lagesbild_version_for_user(user, pk: int, number: int):
    lagesbild = get_lagesbild_for_user(user, pk)
    version = lagesbild.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def get_lagesbild_child_for_user(user, lagesbild, model, pk: int):
    """A problem (or evidence of one of its problems) inside this lägesbild."""
    scope = (
        {"lagesbild": lagesbild}
        if hasattr(model, "lagesbild")
        else {"problem__lagesbild": lagesbild}
    )
    obj = model.objects.filter(pk=pk, municipality=lagesbild.municipality, **scope).first()
    if obj is None:
        raise Http404
    return obj


def programmes_for_user(user, municipality):
    from medborgarlofte.lagesbild.models import Programme

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Programme.objects.filter(municipality=municipality)


def get_programme_for_user(user, code: str, pk: int, *, edit: bool = False):
    municipality = get_municipality_for_user(user, code, roles=EDIT_ROLES if edit else READ_ROLES)
    programme = programmes_for_user(user, municipality).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def problems_for_user(user, municipality):
    """Problems of the kommun's lägesbilder (for linking commitments to them)."""
    from medborgarlofte.lagesbild.models import Problem

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return Problem.objects.filter(municipality=municipality).select_related("lagesbild")


# --- Follow-up (medborgarlofte/followup) -------------------------------------------------


def get_followup_agreement_for_user(user, code: str, year: int, *, edit: bool = False):
    """The kommun's agreement whose period starts in `year` (404 if none or not yours)."""
    municipality = get_municipality_for_user(user, code)
    if edit and not can_edit(user, municipality):
        raise PermissionDenied
    if not 1 <= year <= 9999:
        raise Http404
    agreement = (
        Agreement.objects.filter(municipality=municipality, period_start__year=year)
        .select_related("municipality")
        .prefetch_related("versions")
        .order_by("-period_start", "-period_end")
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def activities_for_user(user, agreement):
    from medborgarlofte.followup.models import Activity

    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return Activity.objects.filter(agreement=agreement, municipality=agreement.municipality)


def get_activity_for_user(user, agreement, pk: int, *, edit: bool = False):
    activity = activities_for_user(user, agreement).filter(pk=pk).first()
    if activity is None:
        raise Http404
    if edit and not can_edit(user, agreement.municipality):
        raise PermissionDenied
    return activity


def get_evidence_for_user(user, agreement, pk: int):
    from medborgarlofte.followup.models import Evidence

    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    item = Evidence.objects.filter(
        pk=pk, municipality=agreement.municipality, activity__agreement=agreement
    ).first()
    if item is None:
        raise Http404
    return item


def get_followup_for_user(user, agreement, period: str):
    """The follow-up of a period, or None when nothing has been saved yet."""
    from medborgarlofte.followup.models import FollowUp

    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return (
        FollowUp.objects.filter(agreement=agreement, municipality=agreement.municipality)
        .filter(period=period)
        .prefetch_related("statuses", "narratives", "approvals__user")
        .first()
    )


def followups_for_user(user, agreement):
    from medborgarlofte.followup.models import FollowUp

    if not roles_for(user, agreement.municipality) & READ_ROLES:
        raise Http404
    return FollowUp.objects.filter(agreement=agreement, municipality=agreement.municipality)


# --- Surveys and dialogues (issue 4) ---------------------------------------------------


def survey_waves_for_user(user, municipality):
    from medborgarlofte.surveys.models import SurveyWave

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return SurveyWave.objects.filter(municipality=municipality)


def get_survey_wave_for_user(user, municipality, pk: int, *, edit: bool = False):
    wave = survey_waves_for_user(user, municipality).filter(pk=pk).first()
    if wave is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return wave


def get_survey_value_for_user(user, municipality, pk: int, *, edit: bool = False):
    from medborgarlofte.surveys.models import SurveyValue

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    value = SurveyValue.objects.filter(municipality=municipality, pk=pk).first()
    if value is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return value


def dialogue_entries_for_user(user, municipality):
    from medborgarlofte.dialogues.models import DialogueEntry

    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    return DialogueEntry.objects.filter(municipality=municipality)


def get_dialogue_entry_for_user(user, municipality, pk: int, *, edit: bool = False):
    entry = dialogue_entries_for_user(user, municipality).filter(pk=pk).first()
    if entry is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return entry
