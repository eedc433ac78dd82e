from datetime import date

import pytest

MARKER = "HEMLIG-MARKOR-7731"


@pytest.fixture
def lagesbild(db, coordinator, police, mullsjo):
    from medborgarlofte.lagesbild import services

    lb = services.create_lagesbild(
        mullsjo,
        coordinator,
        title="Lägesbild Mullsjö 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        promise_year=2024,
    )
    problem = services.add_problem(
        lb,
        coordinator,
        title="Narkotika i centrum",
        behaviour="Försäljning av narkotika",
        place="Resecentrum",
        time="Kvällar",
        focus_area="Säkerhet och trygghet i centrum",
        chosen=True,
    )
    services.add_evidence(
        problem,
        coordinator,
        kind="survey",
        label="Narkotika upplevs som problem: index 2,1",
        snapshot={"source": "Polisens trygghetsundersökning", "as_of": "2023"},
        strength=1.0,
    )
    services.add_evidence(
        problem, police, kind="intelligence", label="", snapshot={}, strength=0.67
    )
    services.save_intelligence(
        mullsjo,
        police,
        period_start=lb.period_start,
        period_end=lb.period_end,
        text=f"Underrättelser: {MARKER} i centrum.",
    )
    lb.refresh_from_db()
    return lb


@pytest.fixture
def frozen(lagesbild, coordinator, police):
    from medborgarlofte.lagesbild import services

    services.approve_lagesbild(lagesbild, coordinator, "municipality")
    return services.approve_lagesbild(lagesbild, police, "police")
