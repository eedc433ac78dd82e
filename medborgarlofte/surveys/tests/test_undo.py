"""Undo the delete of a survey value (accounts/undo.py, services.restore_value)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.surveys.models import SurveyValue, SurveyWave


@pytest.fixture
def wave(mullsjo):
    found = SurveyWave.objects.create(
        municipality=mullsjo, provider="Polisen", year=2023, area="Mullsjö centrum",
        respondents=246, value_format="index",
    )  # fmt: skip
    for position, (question, value) in enumerate((("Klotter", "1.20"), ("Nedskräpning", "1.35"))):
        SurveyValue.objects.create(
            municipality=mullsjo, wave=found, question=question, value=value, n=240,
            position=position,
        )  # fmt: skip
    return found


def test_a_deleted_value_can_be_restored_once(client, coordinator, wave):
    client.force_login(coordinator)
    item = wave.values.get(question="Nedskräpning")
    response = client.post(reverse("surveys:delete-value", args=["0642", item.pk]))
    assert response["Location"].endswith(f"/omgang/{wave.pk}/#values")
    page = client.get(reverse("surveys:wave", args=["0642", wave.pk])).content.decode()
    assert 'class="undo-bar' in page and "Borttaget: Nedskräpning." in page
    assert reverse("surveys:undo-delete-value", args=["0642", wave.pk]) in page

    response = client.post(reverse("surveys:undo-delete-value", args=["0642", wave.pk]))
    assert response.status_code == 302
    restored = wave.values.get(question="Nedskräpning")
    assert (restored.value, restored.n, restored.position) == (Decimal("1.35"), 240, 1)
    assert AuditEntry.objects.filter(action="survey.restore-value", actor=coordinator).exists()
    page = client.get(reverse("surveys:wave", args=["0642", wave.pk])).content.decode()
    assert 'class="undo-bar' not in page
    client.post(reverse("surveys:undo-delete-value", args=["0642", wave.pk]))
    assert wave.values.count() == 2


def test_it_does_not_restore_over_a_value_entered_since(client, coordinator, wave):
    client.force_login(coordinator)
    item = wave.values.get(question="Klotter")
    client.post(reverse("surveys:delete-value", args=["0642", item.pk]))
    client.post(
        reverse("surveys:save-value", args=["0642", wave.pk]),
        {"question": "Klotter", "value": "1.9", "n": "100"},
    )
    response = client.post(
        reverse("surveys:undo-delete-value", args=["0642", wave.pk]), follow=True
    )
    assert "inget återställdes" in response.content.decode()
    assert wave.values.get(question="Klotter").value == Decimal("1.90")


def test_the_undo_of_one_wave_does_not_restore_on_another(client, coordinator, wave, mullsjo):
    other = SurveyWave.objects.create(
        municipality=mullsjo, provider="Polisen", year=2024, area="Mullsjö centrum",
        respondents=100, value_format="index",
    )  # fmt: skip
    client.force_login(coordinator)
    client.post(reverse("surveys:delete-value", args=["0642", wave.values.first().pk]))
    client.post(reverse("surveys:undo-delete-value", args=["0642", other.pk]))
    assert other.values.count() == 0 and wave.values.count() == 1
