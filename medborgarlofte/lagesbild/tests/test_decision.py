"""The kommun's decision on the statutory lägesbild (lag 2023:196 4 §; docs/statutory.md).

The demo test (demo/tests/test_demo.py) decides a complete version; here the refusals."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from medborgarlofte.lagesbild import services
from medborgarlofte.lagesbild.models import LagesbildDecision

DECISION = {
    "body": "kommunstyrelsen",
    "decided_on": date(2024, 2, 1),
    "paragraph": "§ 12",
    "reference": "KS 2024/3",
}


def test_a_version_without_the_parts_of_4_paragraph_is_not_decided(frozen, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.decide_version(frozen, coordinator, **DECISION)
    message = " ".join(refused.value.messages)
    assert "consequences" in message or "konsekvens" in message
    assert not LagesbildDecision.objects.exists()


def test_only_the_kommuns_coordinator_decides(frozen, police, reader):
    for user in (police, reader):
        with pytest.raises(PermissionDenied):
            services.decide_version(frozen, user, **DECISION)
    assert not LagesbildDecision.objects.exists()


def test_the_gaps_name_each_missing_part():
    gaps = services.statutory_gaps({"sections": [], "analysis": ""})
    assert len(gaps) == 3
    from medborgarlofte.lagesbild.composition import MAPPING_KEYS

    complete = {
        "sections": [{"key": sorted(MAPPING_KEYS)[0], "available": True}],
        "consequences_text": "Skadegörelse kostar kommunen 1,2 miljoner kronor om året.",
        "analysis": "Narkotikahandeln vid resecentrum driver otryggheten.",
    }
    assert services.statutory_gaps(complete) == []
