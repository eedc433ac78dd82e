import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.followup import services
from medborgarlofte.followup.data import build_followup_data
from medborgarlofte.followup.models import Activity, FollowUpStatus

D = datetime.date


def _log(agreement, user, **extra):
    values = {
        "commitment_ref": "m24-09",
        "date": D(2024, 3, 7),
        "party_kind": "police",
        "title": "Hundsök",
        "quantity": 1,
        "unit": "hundsök",
    }
    return services.log_activity(agreement, user, **{**values, **extra})


def _outcome(data, ref, title=None):
    commitment = next(c for g in data["groups"] for c in g["commitments"] if c["ref"] == ref)
    return (
        commitment
        if title is None
        else next(i for i in commitment["indicators"] if i["title"] == title)
    )


def test_it_logs_an_activity_with_an_audit_entry(published, coordinator):
    activity = _log(published, coordinator)
    assert activity.municipality.code == "0642"
    assert AuditEntry.objects.filter(action="log_activity", object_id=str(activity.pk)).exists()


def test_it_refuses_personal_data_in_the_outcome_unless_confirmed(published, coordinator):
    with pytest.raises(ValidationError):
        _log(published, coordinator, outcome="Ring 070-123 45 67")
    assert Activity.objects.count() == 0
    assert _log(published, coordinator, outcome="Ring 070-123 45 67", confirmed=True).pk


def test_it_refuses_a_reader(published, reader):
    with pytest.raises(PermissionDenied):
        _log(published, reader)


def test_it_updates_the_indicator_when_its_source_is_the_activities(published, coordinator):
    title = "Genomförda hundsök i grundskolan"
    services.set_indicator_source(
        published, coordinator, commitment_ref="m24-09", indicator_title=title, source="activities:"
    )
    before = _outcome(
        build_followup_data(published, published.published_version(), "year"), "m24-09", title
    )
    _log(published, coordinator)
    _log(published, coordinator, date=D(2024, 5, 2))
    after = _outcome(
        build_followup_data(published, published.published_version(), "year"), "m24-09", title
    )
    assert (before["value"], after["value"]) == (0, 2)


def test_it_keeps_the_history_of_manual_values(published, coordinator):
    title = "Hushåll och näringsidkare i Grannsamverkan"
    for day, value in [(D(2024, 1, 1), 300), (D(2024, 6, 1), 340)]:
        services.record_indicator_value(
            published,
            coordinator,
            commitment_ref="m24-17",
            indicator_title=title,
            date=day,
            value=value,
        )
    item = _outcome(
        build_followup_data(published, published.published_version(), "year"), "m24-17", title
    )
    assert item["value"] == 340
    assert [v for _d, v in item["series"]] == [300, 340]


def test_it_answers_no_data_for_sources_without_data(published, coordinator):
    title = "Hushåll och näringsidkare i Grannsamverkan"
    for source in ["crime_statistics:Narkotikabrott", "survey:Narkotikaförsäljning", "nonsense:x"]:
        services.set_indicator_source(
            published, coordinator, commitment_ref="m24-17", indicator_title=title, source=source
        )
        item = _outcome(
            build_followup_data(published, published.published_version(), "year"), "m24-17", title
        )
        assert item["status"] == "no_data" and item["reason"], source


def test_it_requires_an_explanation_when_not_done(published, coordinator):
    with pytest.raises(ValidationError):
        services.save_followup(
            published, coordinator, "t1", statuses={"m24-01": ("not_done", " ")}, narratives={}
        )
    followup, _c = services.save_followup(
        published, coordinator, "t1", statuses={"m24-01": ("not_done", "Sjukdom")}, narratives={}
    )
    assert followup.statuses.get().explanation == "Sjukdom"


def test_it_clears_approvals_on_edit_and_publishes_after_both_approve(
    published, coordinator, police
):
    followup, _c = services.save_followup(
        published, coordinator, "t1", statuses={"m24-01": ("done", "")}, narratives={}
    )
    services.approve_followup(followup, coordinator)
    _f, cleared = services.save_followup(
        published, coordinator, "t1", statuses={"m24-01": ("ongoing", "")}, narratives={}
    )
    assert cleared == 1
    with pytest.raises(ValidationError):
        services.publish_followup(followup, coordinator)
    services.approve_followup(followup, coordinator)
    services.approve_followup(followup, police, "police")
    published_followup = services.publish_followup(followup, coordinator)
    assert published_followup.status == FollowUpStatus.PUBLISHED
    assert _outcome(published_followup.snapshot, "m24-01")["status"] == "ongoing"
    with pytest.raises(ValidationError):
        services.save_followup(published, coordinator, "t1", statuses={}, narratives={})


@pytest.mark.parametrize(
    ("content", "ok"),
    [
        (b"%PDF-1.7 x", True),
        (b"\x89PNG\r\n\x1a\n rest", True),
        (b"\xff\xd8\xff\xe0", True),
        (b"<html><script>", False),
        (b"MZ\x90\x00", False),
    ],
)
def test_it_accepts_only_pdf_and_images_by_content(published, coordinator, content, ok):
    activity = _log(published, coordinator)
    upload = SimpleUploadedFile("evil.pdf", content, content_type="application/pdf")
    if ok:
        assert services.add_evidence(activity, coordinator, upload).size == len(content)
    else:
        with pytest.raises(ValidationError):
            services.add_evidence(activity, coordinator, upload)


def test_it_refuses_files_over_10_mb(published, coordinator):
    activity = _log(published, coordinator)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError):
        services.add_evidence(activity, coordinator, upload)


def test_it_stores_evidence_outside_the_static_and_media_roots(published, coordinator, settings):
    from medborgarlofte.followup.evidence import path_of

    activity = _log(published, coordinator)
    item = services.add_evidence(activity, coordinator, SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    path = path_of(item.stored_name)
    assert path.is_file() and str(settings.MEDBORGARLOFTE_PRIVATE_FILES) in str(path)


def test_an_activity_names_a_place_of_its_own_kommun(client, published, coordinator, mullsjo):
    from django.urls import reverse

    from medborgarlofte.kommuner.models import Municipality, Place

    own = Place.objects.create(municipality=mullsjo, name="Mullsjö centrum")
    other = Place.objects.create(
        municipality=Municipality.objects.get(code="0680"), name="Jönköpings centrum"
    )
    url = reverse("followup:add-activity", args=["0642", 2024])
    data = {"commitment_ref": "m24-09", "date": "2024-03-07", "party_kind": "police"}
    data["title"] = "Trygghetsvandring"
    client.force_login(coordinator)
    assert client.post(url, {**data, "place": other.pk}).status_code == 400
    with pytest.raises(PermissionDenied):
        _log(published, coordinator, place=other)
    assert not Activity.objects.exists()
    assert client.post(url, {**data, "place": own.pk}).status_code == 302
    assert Activity.objects.get().place == own
    page = client.get(reverse("followup:activities", args=["0642", 2024])).content.decode()
    assert "Före och efter på aktiviteternas platser" in page
    assert "7 mars 2024 – 4 juni 2024 (90 dagar)" in page
