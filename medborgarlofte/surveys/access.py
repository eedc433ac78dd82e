"""Who may see and change the survey waves of a kommun (built on accounts.access)."""

from medborgarlofte.accounts.access import (  # noqa: F401  (re-exported building blocks)
    EDIT_ROLES,
    READ_ROLES,
    can_edit,
    get_kommun_row_for_user,
    get_municipality_for_user,
    kommun_rows_for_user,
    require_edit,
    roles_for,
)

from .models import SurveyValue, SurveyWave


def survey_waves_for_user(user, municipality):
    return kommun_rows_for_user(user, municipality, SurveyWave.objects.all())


def get_survey_wave_for_user(user, municipality, pk: int, *, edit: bool = False):
    waves = survey_waves_for_user(user, municipality)
    return get_kommun_row_for_user(user, municipality, waves, pk, edit=edit)


def get_survey_value_for_user(user, municipality, pk: int, *, edit: bool = False):
    values = kommun_rows_for_user(user, municipality, SurveyValue.objects.all())
    return get_kommun_row_for_user(user, municipality, values, pk, edit=edit)
