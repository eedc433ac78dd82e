"""Process follow-up: hours, cost and reach per activity, summed (issue 15, item 5)."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from medborgarlofte.followup import process
from medborgarlofte.followup.importing import ImportFailed, import_activities
from medborgarlofte.followup.models import Activity

ACTIVITIES = [
    {
        "commitment_ref": "a",
        "date": date(2024, 2, 1),
        "hours": Decimal("2.5"),
        "cost": 1000,
        "reach": 40,
    },
    {"commitment_ref": "a", "date": date(2024, 6, 1), "hours": None, "cost": 500, "reach": None},
    {
        "commitment_ref": "b",
        "date": date(2024, 3, 1),
        "hours": Decimal("4"),
        "cost": None,
        "reach": 0,
    },
    {"commitment_ref": "b", "date": date(2024, 3, 2), "hours": None, "cost": None, "reach": None},
]


def test_sums_per_commitment_tell_not_reported_from_zero():
    total = process.totals(ACTIVITIES)
    assert (total.activities, total.hours, total.cost, total.reach) == (4, Decimal("6.5"), 1500, 40)
    assert total.reported == {"hours": 2, "cost": 2, "reach": 2}
    by_ref = process.totals_by_commitment(ACTIVITIES)
    assert list(by_ref) == ["a", "b"]
    assert (by_ref["a"].hours, by_ref["a"].cost, by_ref["a"].reach) == (Decimal("2.5"), 1500, 40)
    # b: a reach of 0 was reported; its cost was not
    assert (by_ref["b"].reach, by_ref["b"].cost) == (0, None)
    assert process.totals([]).any is False


def test_a_measure_counts_only_its_commitment_within_its_window():
    measure = SimpleNamespace(
        agreement_id=1,
        commitment_ref="a",
        starts=date(2024, 1, 1),
        ends=date(2024, 4, 30),
        hours=10,
        cost=4000,
    )
    usage = process.measure_usage(measure, ACTIVITIES)
    assert (usage.used.activities, usage.used.hours, usage.used.cost) == (1, Decimal("2.5"), 1000)
    assert (usage.hours_share, usage.cost_share) == (0.25, 0.25)
    unlinked = process.measure_usage(
        SimpleNamespace(**{**vars(measure), "commitment_ref": ""}), ACTIVITIES
    )
    assert unlinked.linked is False and unlinked.used.activities == 0


def test_the_importer_reads_hours_cost_and_reach_and_refuses_bad_values(published, coordinator):
    good = (
        "datum;löfte;part;aktivitet;timmar;kostnad;antal nådda\n"
        "2024-03-07;m24-09;polisen;Hundsök i skolan;2,5;12 500;120\n"
        "2024-03-08;m24-09;kommunen;Trygghetsvandring;;;\n"
    ).encode()
    assert import_activities(published, coordinator, good, "a.csv").created == 2
    first = Activity.objects.get(title="Hundsök i skolan")
    assert (first.hours, first.cost, first.reach) == (Decimal("2.50"), 12500, 120)
    assert Activity.objects.get(title="Trygghetsvandring").hours is None
    bad = (
        "date;commitment;party;title;hours;cost;reach\n2024-03-09;m24-09;police;X;-1;1,5;många\n"
    ).encode()
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_activities(published, coordinator, bad, "b.csv")
    assert {i.column for i in failure.value.issues} == {"hours", "cost", "reach"}


def test_the_pages_show_the_sums_and_the_form_stores_them(client, published, coordinator):
    client.force_login(coordinator)
    code = published.municipality.code
    response = client.post(
        reverse("followup:add-activity", args=[code, 2024]),
        {
            "commitment_ref": "m24-09",
            "date": "2024-03-07",
            "party_kind": "police",
            "title": "Hundsök",
            "hours": "3,5",
            "cost": "1200",
            "reach": "75",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert (activity.hours, activity.cost, activity.reach) == (Decimal("3.50"), 1200, 75)
    with translation.override("sv"):
        page = client.get(reverse("followup:year", args=[code, 2024])).content.decode()
        editor = client.get(reverse("followup:followup", args=[code, 2024, "t1"])).content.decode()
    for html in (page, editor):
        assert "Timmar, kostnad och antal nådda" in html
        assert "3,5" in html and "1\xa0200" in html and ">75<" in html
