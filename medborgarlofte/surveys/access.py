"""Who may see and change the survey waves of a kommun (built on accounts.access)."""

from django.http import Http404

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_municipality_for_user,
    require_edit,
    roles_for,
)

from .models import SurveyValue, SurveyWave


def survey_waves_for_user(user, municipality):
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
    if not roles_for(user, municipality) & READ_ROLES:
        raise Http404
    value = SurveyValue.objects.filter(municipality=municipality, pk=pk).first()
    if value is None:
        raise Http404
    if edit:
        require_edit(user, municipality)
    return value
