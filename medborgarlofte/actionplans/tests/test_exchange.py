"""The åtgärdsplan as JSON (docs/formats/actionplan.md): export → import into an empty
kommun → export gives the same document; a commitment link the new kommun cannot hold is
dropped and named."""

import json

import pytest

from medborgarlofte.actionplans import exchange, services
from medborgarlofte.actionplans.models import ActionPlan
from medborgarlofte.kommuner.models import Municipality

from .conftest import DECISION


def _without_kommun(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "municipality"}


@pytest.fixture
def decided_plan(plan, coordinator, police):
    measure = plan.measures.get()
    services.record_followup(
        measure, coordinator, year=2024, term="t1", status="ongoing", explanation="Två vandringar."
    )
    services.record_followup(
        measure, coordinator, year=2024, term="year", status="done", explanation="Klart."
    )
    services.approve_plan(plan, coordinator, "municipality")
    services.approve_plan(plan, police, "police")
    services.decide_plan(plan, coordinator, **DECISION)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def habo_coordinator(db):
    from conftest import make_user

    return make_user("samordnare-habo", [("0643", "coordinator")])


def test_export_import_export_gives_the_same_document(decided_plan, habo_coordinator):
    first = exchange.export_plan(decided_plan)
    # through JSON text, as a file would carry it
    data = json.loads(json.dumps(first, ensure_ascii=False))
    habo = Municipality.objects.get(code="0643")
    assert not ActionPlan.objects.filter(municipality=habo).exists()

    imported, notes = exchange.import_plan(habo, habo_coordinator, data)

    assert notes == []
    assert imported.municipality == habo and imported.status == ActionPlan.Status.DECIDED
    again = exchange.export_plan(imported)
    assert again["municipality"] == {"code": "0643", "name": "Habo"}
    assert _without_kommun(again) == _without_kommun(first)
    # what the export holds
    assert first["decision"]["paragraph"] == "§ 12"
    assert [f["status"] for f in first["measures"][0]["followup"]] == ["ongoing", "done"]
    assert first["measures"][0]["problems"] == ["Klotter i centrum"]
    assert first["lagesbild"]["problems"][0]["place"] == "Centrum"


def test_a_commitment_link_without_its_medborgarlofte_is_dropped_and_named(
    plan, coordinator, habo_coordinator
):
    from medborgarlofte.agreements.models import Agreement

    agreement = Agreement.objects.create(
        municipality=plan.municipality,
        period_start="2024-01-01",
        period_end="2024-12-31",
    )
    services.link_measure(
        plan.measures.get(), coordinator, agreement=agreement, commitment_ref="m24-06"
    )
    data = exchange.export_plan(plan)
    assert data["measures"][0]["commitment"] == {"year": 2024, "ref": "m24-06"}
    habo = Municipality.objects.get(code="0643")

    imported, notes = exchange.import_plan(habo, habo_coordinator, data)

    assert imported.status == ActionPlan.Status.DRAFT
    assert len(notes) == 1 and "m24-06" in notes[0]
    assert exchange.export_plan(imported)["measures"][0]["commitment"] is None


def test_it_refuses_what_is_not_an_export(mullsjo, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        exchange.import_plan(mullsjo, coordinator, {"schema": "medborgarlofte/1"})
    assert not ActionPlan.objects.exists()


def test_a_reader_cannot_import(decided_plan, reader):
    from django.core.exceptions import PermissionDenied

    data = exchange.export_plan(decided_plan)
    before = ActionPlan.objects.count()
    with pytest.raises(PermissionDenied):
        exchange.import_plan(decided_plan.municipality, reader, data)
    assert ActionPlan.objects.count() == before


def test_a_place_travels_by_its_name_and_an_unknown_one_is_named(
    plan, coordinator, habo_coordinator
):
    from medborgarlofte.kommuner.models import Place

    measure = plan.measures.get()
    station = Place.objects.create(municipality=plan.municipality, name="Stationsområdet")
    services.update_measure(measure, coordinator, place=station)
    data = json.loads(json.dumps(exchange.export_plan(plan), ensure_ascii=False))
    assert data["measures"][0]["place"] == "Stationsområdet"
    habo = Municipality.objects.get(code="0643")

    # Habo has no place of that name: imported without one, and the note says so
    imported, notes = exchange.import_plan(habo, habo_coordinator, data)
    assert imported.measures.get().place is None
    assert len(notes) == 1 and "Stationsområdet" in notes[0]

    # with a place of that name (an alias, other case) it is Habo's own that is named
    habo_station = Place.objects.create(
        municipality=habo, name="Habo station", aliases=["stationsområdet"]
    )
    again, notes = exchange.import_plan(habo, habo_coordinator, data)
    assert notes == [] and again.measures.get().place == habo_station
