"""Every internal survey URL, every persona (the driver: accounts/tests/access_matrix.py)."""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.surveys.models import SurveyThreshold, SurveyValue, SurveyWave

_WAVE = {"wave-provider": "Polisen", "wave-respondents": "100", "wave-value_format": "index"}

# name: (method, kind of arguments, rule[, POST data])
ACCESS = {
    "surveys:municipality": ("get", "code", "read"),
    "surveys:import-survey": ("get", "code", "write"),
    "surveys:set-thresholds": (
        "post",
        "code",
        "write",
        {"normal_max": "1.4", "act_from": "1.9"},
    ),
    "surveys:create-wave": (
        "post",
        "code",
        "write",
        {**_WAVE, "wave-year": "2024", "wave-area": "Sandhem"},
    ),
    "surveys:wave": ("get", "wave", "read"),
    "surveys:update-wave": (
        "post",
        "wave",
        "write",
        {**_WAVE, "wave-year": "2023", "wave-area": "Ändrat", "wave-respondents": "101"},
    ),
    "surveys:delete-wave": ("post", "wave", "write"),
    "surveys:save-value": (
        "post",
        "wave",
        "write",
        {"question": "Nedskräpning", "value": "1.3", "n": "90"},
    ),
    "surveys:delete-value": ("post", "value", "write"),
    "surveys:undo-delete-value": ("post", "wave", "write"),
}


@pytest.fixture
def world(mullsjo):
    found = SurveyWave.objects.create(
        municipality=mullsjo, provider="Polisen", year=2023, area="Mullsjö centrum",
        respondents=200, value_format="index",
    )  # fmt: skip
    SurveyValue.objects.create(municipality=mullsjo, wave=found, question="Klotter", value="1.2")
    return found


class TestAccess(AccessMatrix):
    namespace = "surveys"
    table = ACCESS

    def url(self, name, kind, wave, user):
        code = wave.municipality.code
        args = {
            "code": [code],
            "wave": [code, wave.pk],
            "value": [code, wave.values.first().pk],
        }[kind]
        return reverse(name, args=args)

    def state(self):
        return (
            sorted(SurveyWave.objects.values_list("pk", "area", "respondents", "updated_at")),
            sorted(SurveyValue.objects.values_list("pk", "question", "value", "n")),
            sorted(SurveyThreshold.objects.values_list("pk", "normal_max", "act_from")),
        )
