import pytest
from django.utils import timezone


@pytest.fixture
def est(db, mullsjo, reporter, coordinator):
    """Mullsjö with the default checklist, two places, two reported events, a meeting."""
    from medborgarlofte.incidents import services
    from medborgarlofte.kommuner.models import Place

    categories = {c.key: c for c in services.ensure_categories(mullsjo)}
    centrum = Place.objects.create(
        municipality=mullsjo,
        name="Mullsjö centrum",
        kind="centre",
        latitude=57.9163,
        longitude=13.8786,
    )
    station = Place.objects.create(
        municipality=mullsjo,
        name="Stationsområdet",
        kind="station",
        latitude=57.9176,
        longitude=13.877,
    )
    today = timezone.localdate()
    report = services.submit_report(
        reporter,
        mullsjo,
        "Mullsjö kommun, fritid",
        [
            services.EventData(
                categories["klotter"],
                today,
                "evening",
                place=centrum,
                description="Klotter på bänken.",
            ),
            services.EventData(categories["skadegorelse"], today, "night", place=station),
        ],
    )
    year, week, _d = today.isocalendar()
    meeting = services.record_meeting(
        coordinator, mullsjo, year, week, date=today, participants=["samordnare"], decisions=""
    )
    action = services.add_action(coordinator, meeting, text="Tvätta bort klottret.")
    return {
        "kommun": mullsjo,
        "categories": categories,
        "places": [centrum, station],
        "incidents": list(report.incidents.order_by("pk")),
        "meeting": meeting,
        "action": action,
        "week": (year, week),
    }
