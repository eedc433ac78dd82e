"""Frozen means frozen (issue 18): staff see a published follow-up as it was published,
with the changes since publication beside it; a published period is closed (a late
activity needs a reason, is marked late and reported by the next follow-up); residents
see what was done, grouped, and "nothing" said plainly."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.followup import services
from medborgarlofte.followup.importing import ImportFailed, import_activities
from medborgarlofte.followup.models import Activity, CommitmentStatus, FollowUp

D = datetime.date
HUNDSOK = {
    "commitment_ref": "m24-09",
    "party_kind": "police",
    "title": "Hundsök i grundskolan",
    "quantity": 1,
    "unit": "hundsök",
}


def _block(page: str, ref: str) -> str:
    """The <li id="c-<ref>"> element of a page: up to the next commitment or section end."""
    start = page.index(f'<li id="c-{ref}">')
    ends = [page.find(m, start + 1) for m in ('<li id="c-', "</section>")]
    return page[start : min(e for e in ends if e != -1)]


def _count(block: str) -> int:
    match = re.search(r"(\d+) aktivitet", block)
    return int(match.group(1)) if match else 0


def _publish(agreement, coordinator, police, period, statuses=None):
    followup, _cleared = services.save_followup(
        agreement, coordinator, period, statuses=statuses or {}, narratives={}
    )
    services.approve_followup(followup, coordinator, "municipality")
    services.approve_followup(followup, police, "police")
    followup.refresh_from_db()
    return services.publish_followup(followup, coordinator)


# --- 1. Frozen means frozen ----------------------------------------------------------------


def test_staff_see_the_published_year_as_residents_do_and_the_changes_beside_it(
    client, demo, coordinator
):
    client.force_login(coordinator)
    staff_url = reverse("followup:followup", args=["0642", 2024, "year"])
    public_url = reverse("followup_public:citizen-page", args=["0642", 2024])
    staff, public = client.get(staff_url).content.decode(), client.get(public_url).content.decode()
    year = FollowUp.objects.get(agreement=demo, period="year")
    refs = [c["ref"] for g in year.snapshot["groups"] for c in g["commitments"]]
    for status in CommitmentStatus.objects.filter(follow_up=year):
        label = str(CommitmentStatus.Status(status.status).label)
        staff_block, public_block = (
            _block(staff, status.commitment_ref),
            _block(public, status.commitment_ref),
        )
        year_status = re.search(r"fu-status-item-year\">(.*?)</div>", public_block, re.S).group(1)
        assert label in staff_block and label in year_status
        assert status.explanation in staff_block and status.explanation in year_status
    for ref in refs:  # the same figures: activity counts
        assert _count(_block(staff, ref)) == _count(_block(public, ref))
    assert "Inga: uppgifterna ger i dag samma ord och siffror" in staff

    # An activity logged late (with a reason) changes neither the public page nor the
    # staff view of what was published; the changes since publication list it.
    before = _block(staff, "m24-09")
    services.log_activity(
        demo, coordinator, date=D(2024, 12, 10), late_reason="Protokollet kom sent", **HUNDSOK
    )
    staff = client.get(staff_url).content.decode()
    assert _block(staff, "m24-09") == before
    assert _count(before) == 4
    changes = staff[staff.index('id="since-publication"') :]
    changes = changes[: changes.index("</section>")]
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", changes
    )
    assert ("m24-09", "Aktiviteter", "4", "5") in rows
    assert ("m24-09", "Indikatorn ”Genomförda hundsök i grundskolan”", "4", "5") in rows
    # The staff report page is the same frozen document, with the same list.
    report = client.get(reverse("followup:report", args=["0642", 2024])).content.decode()
    assert "Ändringar sedan publicering" in report and "Protokollet" not in report


# --- 2. Closed periods ---------------------------------------------------------------------


def test_logging_into_a_published_period_needs_a_reason_and_is_marked_late(demo, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.log_activity(demo, coordinator, date=D(2024, 3, 20), **HUNDSOK)
    message = " ".join(refused.value.messages)
    assert "Perioden Tertial 1 (januari–april) är stängd" in message
    assert "Ange en anledning" in message
    assert not Activity.objects.filter(date=D(2024, 3, 20)).exists()

    activity = services.log_activity(
        demo, coordinator, date=D(2024, 3, 20), late_reason="Rapporten hittades i april", **HUNDSOK
    )
    assert (activity.late, activity.late_period) == (True, "t1")
    assert activity.late_reason == "Rapporten hittades i april"
    entry = AuditEntry.objects.filter(action="log_late_activity").latest("id")
    assert entry.after["late_reason"] == "Rapporten hittades i april"


def test_the_reason_is_scanned_for_personal_data(demo, coordinator):
    with pytest.raises(ValidationError):
        services.log_activity(
            demo, coordinator, date=D(2024, 3, 20), late_reason="Ring 070-123 45 67", **HUNDSOK
        )


def test_the_form_refuses_without_a_reason_and_lists_the_late_activity(client, demo, coordinator):
    client.force_login(coordinator)
    url = reverse("followup:add-activity", args=["0642", 2024])
    post = {**HUNDSOK, "date": "2024-06-11"}
    refused = client.post(url, post)
    assert refused.status_code == 400
    assert "Perioden Tertial 2 (maj–augusti) är stängd" in refused.content.decode()
    done = client.post(url, {**post, "late_reason": "Glömdes bort vid uppföljningen"})
    assert done.status_code == 302
    page = client.get(reverse("followup:activities", args=["0642", 2024])).content.decode()
    assert "sen registrering" in page and "Glömdes bort vid uppföljningen" in page


def test_the_import_refuses_rows_in_a_closed_period_without_a_reason(demo, coordinator):
    head = "datum;löfte;part;aktivitet;antal;enhet"
    bad = f"{head}\n2024-03-21;m24-09;polisen;Hundsök;1;hundsök\n".encode()
    with pytest.raises(ImportFailed) as failure:
        import_activities(demo, coordinator, bad, "sen.csv")
    assert [(i.line, i.column) for i in failure.value.issues] == [(2, "late_reason")]
    good = (
        f"{head};sen_registrering\n2024-03-21;m24-09;polisen;Hundsök;1;hundsök;Efterregistrering\n"
    )
    assert import_activities(demo, coordinator, good.encode(), "sen.csv").created == 1
    row = Activity.objects.get(date=D(2024, 3, 21))
    assert (row.late, row.late_period, row.late_reason) == (True, "t1", "Efterregistrering")


def test_a_late_activity_is_an_addition_in_the_next_follow_up(
    client, published, coordinator, police
):
    on_time = services.log_activity(published, coordinator, date=D(2024, 3, 6), **HUNDSOK)
    assert not on_time.late  # an open period needs no reason
    t1 = _publish(published, coordinator, police, "t1")
    late = services.log_activity(
        published, coordinator, date=D(2024, 3, 7), late_reason="Rapporten kom sent", **HUNDSOK
    )
    assert late.late_period == "t1"
    client.force_login(coordinator)
    draft = client.get(reverse("followup:followup", args=["0642", 2024, "t2"])).content.decode()
    assert "Tillägg till Tertial 1 (januari–april):" in _block(draft, "m24-09")
    t1_page = client.get(reverse("followup:followup", args=["0642", 2024, "t1"])).content.decode()
    assert "Ändringar sedan publicering" in t1_page and "Tillägg till" not in _block(
        t1_page, "m24-09"
    )

    t2 = _publish(published, coordinator, police, "t2", {"m24-09": ("ongoing", "")})
    late.refresh_from_db()
    assert late.reported_in == t2
    items = next(
        c["late_additions"]
        for g in t2.snapshot["groups"]
        for c in g["commitments"]
        if c["ref"] == "m24-09"
    )
    assert items == [
        {
            "period": "t1",
            "date": "2024-03-07",
            "title": "Hundsök i grundskolan",
            "quantity": 1.0,
            "unit": "hundsök",
        }
    ]
    public = client.get(
        reverse("followup_public:citizen-page", args=["0642", 2024])
    ).content.decode()
    assert "Tillägg till Tertial 1 (januari–april):" in _block(public, "m24-09")
    assert "Rapporten kom sent" not in public  # the reason stays internal
    # reported once: the next follow-up (t3) has no additions
    t3 = _publish(published, coordinator, police, "t3")
    assert not any(c["late_additions"] for g in t3.snapshot["groups"] for c in g["commitments"])
    assert t1.snapshot == FollowUp.objects.get(pk=t1.pk).snapshot


# --- 3. Residents see what was done --------------------------------------------------------


def test_residents_see_what_was_done_grouped_and_nothing_said_plainly(client, demo):
    page = client.get(reverse("followup_public:citizen-page", args=["0642", 2024])).content.decode()
    weekly = _block(page, "m24-02")
    assert "Veckovis lägesbild, samordnare och kommunpolis" in weekly
    assert "47 gånger, senast 17 december 2024" in weekly
    hundsok = _block(page, "m24-09")
    assert "Hundsök i grundskolan</span> – 4 gånger, senast 5 december 2024; 4" in hundsok
    orsak = _block(page, "m24-13")  # two different titles: each on its own line
    assert "Orsaksanalys: stölder i centrum</span> – 22 oktober 2024" in orsak
    year = FollowUp.objects.get(agreement=demo, period="year")
    empty = [
        c["ref"]
        for g in year.snapshot["groups"]
        for c in g["commitments"]
        if c["status"] and not c["activities"]["count"]
    ]
    assert empty, "the demo has a commitment with a status and nothing logged"
    assert "Inga aktiviteter registrerade." in _block(page, empty[0])
    assert "Inga aktiviteter registrerade." not in hundsok


def test_what_was_done_passes_the_publication_gate(client, demo):
    year = FollowUp.objects.get(agreement=demo, period="year")
    snapshot = year.snapshot
    for group in snapshot["groups"]:
        for c in group["commitments"]:
            if c["ref"] == "m24-09":
                for g in c["activities"]["groups"]:
                    g["title"] = "Hundsök, ring 070-123 45 67"
    FollowUp.objects.filter(pk=year.pk).update(snapshot=snapshot)
    page = client.get(reverse("followup_public:citizen-page", args=["0642", 2024])).content.decode()
    assert "070-123 45 67" not in page and "[telefonnummer]" in _block(page, "m24-09")
