"""Any follow-up rhythm: tertial, quarter, half year, the plan's own dates, and multi-year
agreements with follow-ups per year (issue 14, item 5)."""

import datetime
import subprocess
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import AgreementVersion
from medborgarlofte.followup import periods, services
from medborgarlofte.followup.models import FollowUp
from medborgarlofte.followup.reminders import pending_reminders

D = datetime.date
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "agreements"


def test_rhythms_from_the_follow_up_plan():
    assert periods.schedule_word("kvartal") == ("quarter", ())
    assert periods.schedule_word(["halvår"]) == ("half_year", ())
    assert periods.schedule_word(None) == ("tertial", ())
    assert periods.schedule_word(["2024-06-15", "2024-11-30"]) == (
        "dates",
        (D(2024, 6, 15), D(2024, 11, 30)),
    )
    quarters = periods.Rhythm("quarter", (), 2024, 2024)
    assert quarters.keys() == ["q1", "q2", "q3", "q4", "year"]
    q2 = quarters.spec("q2")
    assert (q2.start, q2.end, q2.due) == (D(2024, 4, 1), D(2024, 6, 30), D(2024, 7, 14))
    assert quarters.spec("year").due == D(2025, 3, 31)
    assert quarters.spec("t1").end == D(2024, 4, 30)  # an earlier tertial follow-up still opens
    assert quarters.spec("q1-2025") is None
    halves = periods.Rhythm("half_year", (), 2024, 2024)
    assert halves.keys() == ["h1", "h2", "year"]
    dated = periods.Rhythm("dates", (D(2024, 6, 15), D(2024, 11, 30)), 2024, 2024)
    assert dated.keys() == ["d1", "d2", "year"]
    d2 = dated.spec("d2")
    assert (d2.start, d2.end, d2.due) == (D(2024, 6, 16), D(2024, 11, 30), D(2024, 11, 30))
    assert dated.spec("d3") is None


def test_a_two_year_agreement_has_the_periods_of_both_years():
    rhythm = periods.Rhythm("tertial", (), 2021, 2022)
    assert rhythm.keys() == ["t1", "t2", "t3", "year", "t1-2022", "t2-2022", "t3-2022", "year-2022"]
    assert rhythm.stored_key(2022, "year") == "year-2022"
    assert rhythm.stored_key(2021, "t2") == "t2"
    assert rhythm.stored_key(2023, "t1") is None
    assert rhythm.spec("t3-2022").end == D(2022, 12, 31)
    assert rhythm.next_due(D(2022, 5, 1), {"t1", "t2", "t3", "year"}) == ("t1-2022", D(2022, 5, 14))


def _publish(agreement, coordinator, police, key, as_of):
    refs = list(agreement.published_version().commitments.values_list("ref", flat=True))
    followup, _c = services.save_followup(
        agreement,
        coordinator,
        key,
        statuses=dict.fromkeys(refs, ("ongoing", "")),
        narratives={},
        summary=f"Uppföljning {key}.",
    )
    services.approve_followup(followup, coordinator, "municipality")
    services.approve_followup(followup, police, "police")
    return services.publish_followup(followup, coordinator, as_of=as_of)


@pytest.mark.django_db
def test_a_quarterly_follow_up_end_to_end(client, published, coordinator, police):
    agreement = published
    AgreementVersion.objects.filter(agreement=agreement).update(follow_up_schedule="kvartal")
    code, year = agreement.municipality.code, agreement.year
    client.force_login(coordinator)

    page = client.get(reverse("followup:year", args=[code, year])).content.decode()
    for base in ("q1", "q2", "q3", "q4", "year"):
        assert reverse("followup:followup", args=[code, year, base]) in page
    assert reverse("followup:followup", args=[code, year, "t1"]) not in page
    assert "Kvartal 2 (april–juni)" in page

    # The reminder of the first quarter's follow-up, by its own due date.
    keys = {r.key for r in pending_reminders(D(2024, 4, 5)) if r.kind == "due"}
    assert "due:q1" in keys
    assert not any(key.startswith("due:t") for key in keys)

    for base, as_of in (
        ("q1", D(2024, 3, 31)),
        ("q2", D(2024, 6, 30)),
        ("q3", D(2024, 9, 30)),
        ("q4", D(2024, 12, 31)),
        ("year", D(2024, 12, 31)),
    ):
        assert client.get(reverse("followup:followup", args=[code, year, base])).status_code == 200
        _publish(agreement, coordinator, police, base, as_of)
    client.logout()

    citizen = client.get(reverse("followup_public:citizen-page", args=[code, year]))
    text = citizen.content.decode()
    for label in ("Kvartal 1", "Kvartal 2", "Kvartal 3", "Kvartal 4"):
        assert label in text
    data = client.get(reverse("followup_public:open-data-json", args=[code, year])).json()
    assert [f["period"]["key"] for f in data["followups"]] == ["q1", "q2", "q3", "q4", "year"]
    assert data["followups"][1]["period"]["start"] == "2024-04-01"
    csv = client.get(reverse("followup_public:open-data-csv", args=[code, year])).content
    assert ",q3," in csv.decode("utf-8") or ";q3;" in csv.decode("utf-8")

    pdf = client.get(reverse("followup_public:report-pdf", args=[code, year]))
    assert pdf.status_code == 200
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "Mullsjö" in pdf_text


@pytest.mark.django_db
def test_a_period_outside_the_agreement_is_not_found(client, published, coordinator):
    client.force_login(coordinator)
    url = reverse("followup:followup", args=["0642", 2024, "d1"])  # no dates in the plan
    assert client.get(url).status_code == 404
    assert client.get(reverse("followup:followup", args=["0642", 2024, "t2"])).status_code == 200


@pytest.mark.django_db
def test_a_two_year_agreement_has_a_follow_up_per_year(client):
    from conftest import make_user

    coordinator = make_user("samordnare-jkpg", [("0680", "coordinator")])
    police = make_user("polis-jkpg", [("0680", "police")])
    document = yaml.safe_load((EXAMPLES / "jonkoping-2021.yaml").read_text(encoding="utf-8"))
    version = import_agreement_document(document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    agreement = version.agreement
    assert (agreement.period_start.year, agreement.period_end.year) == (2021, 2022)

    client.force_login(coordinator)
    second = client.get(reverse("followup:year", args=["0680", 2022]))
    assert second.status_code == 200
    page = second.content.decode()
    assert reverse("followup:followup", args=["0680", 2022, "t1"]) in page
    assert reverse("followup:year", args=["0680", 2021]) in page  # the other year
    assert client.get(reverse("followup:followup", args=["0680", 2022, "year"])).status_code == 200
    assert client.get(reverse("followup:year", args=["0680", 2023])).status_code == 404

    _publish(agreement, coordinator, police, "year", D(2021, 12, 31))
    _publish(agreement, coordinator, police, "year-2022", D(2022, 12, 31))
    followups = FollowUp.objects.filter(agreement=agreement).order_by("period")
    assert [f.period for f in followups] == ["year", "year-2022"]
    assert followups[1].snapshot["period"]["start"] == "2022-01-01"
    assert followups[1].snapshot["period"]["year"] == 2022

    client.logout()
    citizen = client.get(reverse("followup_public:citizen-page", args=["0680", 2021]))
    assert citizen.status_code == 200
    assert "Hela året 2022" in citizen.content.decode()
    assert client.get(reverse("followup_public:report-pdf", args=["0680", 2021])).status_code == 200
