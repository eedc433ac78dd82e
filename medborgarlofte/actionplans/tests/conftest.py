from datetime import date

import pytest

DECISION = {
    "body": "kommunstyrelsen",
    "body_name": "",
    "decided_on": date(2024, 2, 6),
    "paragraph": "§ 12",
    "reference": "KS 2024/31",
}


@pytest.fixture
def plan(db, coordinator, police, mullsjo):
    from medborgarlofte.actionplans import services
    from medborgarlofte.lagesbild import services as lb_services

    lb = lb_services.create_lagesbild(
        mullsjo,
        coordinator,
        title="Lägesbild Mullsjö 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        promise_year=2024,
    )
    problem = lb_services.add_problem(
        lb,
        coordinator,
        title="Klotter i centrum",
        behaviour="Klotter",
        place="Centrum",
        time="Helger",
        chosen=True,
    )
    plan = services.create_plan(
        mullsjo,
        coordinator,
        lagesbild=lb,
        title="Åtgärdsplan 2024–2026",
        first_year=2024,
        last_year=2026,
        summary="",
        police_take_part=True,
    )
    services.add_measure(
        plan,
        coordinator,
        problems=[problem],
        title="Trygghetsvandringar i centrum",
        description="",
        responsible="Kommunledningsförvaltningen",
        partners="Polisen, fastighetsägare",
        with_police=True,
        starts=date(2024, 1, 1),
        ends=date(2026, 12, 31),
        hours=120,
        cost=15000,
        expected_effect="Färre otrygga platser",
        indicator="Antal åtgärdade platser",
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def draft_agreement(db, coordinator, mullsjo_document):
    from medborgarlofte.agreements.importing import import_agreement_document

    return import_agreement_document(mullsjo_document, user=coordinator).version


@pytest.fixture
def cooperation(db, coordinator, mullsjo):
    """A draft samverkansöverenskommelse 2024–2027 with one goal."""
    from medborgarlofte.actionplans import services

    cooperation = services.create_cooperation(
        mullsjo,
        coordinator,
        title="Samverkansöverenskommelse 2024–2027",
        first_year=2024,
        last_year=2027,
        problems="Otrygghet i centrum",
        organisation="Styrgrupp två gånger per år",
        follow_up_method="Tertialvis uppföljning",
    )
    services.add_goal(
        cooperation,
        coordinator,
        title="Ökad trygghet i centrum",
        indicator="Trygghetsindex",
        baseline="2,1 (2023)",
        target="under 1,7 år 2027",
    )
    cooperation.refresh_from_db()
    return cooperation
