"""The council report sums, per measure, the activities logged against its commitment
within its from–to dates (followup/process.py) in the PDF body and the DOCX."""

from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from medborgarlofte.council import report
from medborgarlofte.followup.models import Activity
from medborgarlofte.followup.tests.conftest import published  # noqa: F401  (fixture)

from .test_report import _docx, _docx_text


def test_each_measure_shows_planned_and_used(plan, published):  # noqa: F811
    measure = plan.measures.get()
    measure.agreement, measure.commitment_ref = published, "m24-09"
    measure.save()
    common = {
        "municipality": published.municipality,
        "agreement": published,
        "party_kind": "police",
    }
    Activity.objects.create(
        **common,
        commitment_ref="m24-09",
        date=date(2024, 3, 1),
        title="A",
        hours=Decimal("2.5"),
        cost=1000,
        reach=40,
    )
    Activity.objects.create(
        **common, commitment_ref="m24-09", date=date(2024, 5, 1), title="B", hours=Decimal("1.5")
    )
    Activity.objects.create(
        **common, commitment_ref="m24-01", date=date(2024, 5, 1), title="C", hours=Decimal("9")
    )
    with translation.override("sv"):
        data = report.build(plan.municipality)
        row = data["plan"]["measures"][0]
        assert row["used"] == {"activities": 2, "hours": Decimal("4.0"), "cost": 1000, "reach": 40}
        text = report.used_text(row["used"])
        assert text == "2 aktiviteter · 4 timmar · 1\xa0000 kr · 40 personer nådda"
        assert " ".join(text.split()) in _docx_text(_docx(report.report_docx(data)))
        html = render_to_string("council/_body.html", {"report": data})
    assert "Använt (loggade aktiviteter)" in html and "2 aktiviteter" in html
