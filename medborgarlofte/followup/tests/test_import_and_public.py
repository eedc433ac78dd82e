import io
import subprocess

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from medborgarlofte.followup import services
from medborgarlofte.followup.importing import ImportFailed, import_activities
from medborgarlofte.followup.models import Activity, ImportRun, ReminderSent
from medborgarlofte.followup.reminders import send_reminders

GOOD = (
    "datum;löfte;part;aktivitet;antal;enhet;mötestyp\n"
    "2024-03-07;m24-09;polisen;Hundsök i skolan;1;hundsök;\n"
    "2024-02-28;m24-17;kommunen;Informationsmöte;25;hushåll nådda;information\n"
).encode()


def test_it_imports_activities_once(published, coordinator):
    first = import_activities(published, coordinator, GOOD, "a.csv")
    second = import_activities(published, coordinator, GOOD, "a.csv")
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert Activity.objects.count() == 2 and ImportRun.objects.count() == 1


def test_it_collects_every_error_with_line_and_column_and_writes_nothing(published, coordinator):
    bad = GOOD + b"2024-13-01;m24-99;grannen;;x;;\n"
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_activities(published, coordinator, bad, "b.csv")
    columns = {(i.line, i.column) for i in failure.value.issues}
    assert {(4, "date"), (4, "commitment"), (4, "party"), (4, "title"), (4, "quantity")} <= columns
    assert Activity.objects.count() == 0


def test_it_imports_xlsx(published, coordinator):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "commitment", "party", "title", "quantity"])
    sheet.append(["2024-03-07", "m24-09", "police", "Hundsök", 1])
    out = io.BytesIO()
    book.save(out)
    assert import_activities(published, coordinator, out.getvalue(), "a.xlsx").created == 1


def test_it_dry_runs_without_writing(published, coordinator):
    assert import_activities(published, coordinator, GOOD, "a.csv", dry_run=True).created == 2
    assert Activity.objects.count() == 0


def test_it_shows_only_published_follow_ups_to_the_public(client, published, coordinator):
    services.save_followup(
        published,
        coordinator,
        "t1",
        statuses={"m24-01": ("not_done", "Hemligt utkast")},
        narratives={},
    )
    page = client.get(reverse("followup_public:citizen-page", args=["0642", 2024]))
    assert page.status_code == 200 and "Hemligt utkast" not in page.content.decode()
    data = client.get(reverse("followup_public:open-data-json", args=["0642", 2024])).json()
    assert data["followups"] == []


def test_it_answers_404_for_a_year_without_a_published_promise(client, db):
    assert (
        client.get(reverse("followup_public:citizen-page", args=["0642", 1999])).status_code == 404
    )
    assert client.get(reverse("followup_public:api-followup", args=["0642", 1999])).json()["error"]


def test_it_publishes_the_demo_on_the_citizen_page_feed_and_open_data(client, demo):
    client.cookies["medborgarlofte_language"] = "en"  # the language switcher's cookie
    page = client.get(reverse("followup_public:citizen-page", args=["0642", 2024])).content.decode()
    assert "47 of 52 weeks" in page and "Example data" in page
    assert "tillståndsprövningen" in page  # the reason a commitment was not done
    feed = client.get(reverse("followup_public:feed", args=["0642"]))
    assert (
        feed["Content-Type"].startswith("application/atom+xml")
        and feed.content.count(b"<entry>") == 4
    )
    csv_text = client.get(
        reverse("followup_public:open-data-csv", args=["0642", 2024])
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("kommunkod,kommun,år") and "m24-19" in csv_text
    data = client.get(reverse("followup_public:open-data-json", args=["0642", 2024])).json()
    assert [f["period"]["key"] for f in data["followups"]] == ["t1", "t2", "t3", "year"]


def test_it_writes_the_yearly_report_pdf_with_every_commitment(demo, tmp_path, settings):
    pdf = tmp_path / "out.pdf"
    with translation.override("en"):
        call_command(
            "followup_report",
            "0642",
            "2024",
            "--pdf",
            str(pdf),
            "--html",
            str(tmp_path / "r.html"),
            stdout=io.StringIO(),
        )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    version = demo.published_version()
    for commitment in version.commitments.all():
        assert commitment.text[:40] in flat, commitment.ref
    assert "47 of 52 weeks" in flat and "Status: Not done" in flat and "Source:" in flat


def test_it_reminds_owners_once_when_a_week_was_missed(published, coordinator, police):
    import datetime

    today = datetime.date(2024, 2, 14)  # week 6 ended, nothing logged
    first = send_reminders(today)
    assert {r.recipient.username for r in first if r.key.startswith("m24-02:")} == {
        "samordnare",
        "kommunpolis",
    }
    assert len(mail.outbox) == len(first) == ReminderSent.objects.count()
    assert send_reminders(today) == []
    assert len(send_reminders(datetime.date(2024, 4, 25), days=30, dry_run=True)) > 0
    assert ReminderSent.objects.count() == len(first)


def test_it_reminds_before_a_tertial_follow_up_is_due(published, coordinator, police):
    import datetime

    due = [r for r in send_reminders(datetime.date(2024, 5, 5), days=14) if r.kind == "due"]
    assert {r.key for r in due} == {"due:t1"}


def test_the_demo_loads_twice_without_changes(demo, coordinator, police):
    from medborgarlofte.followup.demo import load_followup_demo

    count = Activity.objects.count()
    assert load_followup_demo(coordinator, police) == 0 and Activity.objects.count() == count
