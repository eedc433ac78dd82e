"""Retention (gallring): `medborgarlofte apply_retention` and the rules of each app.

Rows are made at a chosen moment by moving Django's clock (auto_now_add and the audit
log's time follow it), then the rules run at the real time.
"""

import datetime
import os
import re
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_user
from medborgarlofte.accounts import audit
from medborgarlofte.accounts.models import AuditEntry, User
from medborgarlofte.dialogues import services as dialogue_services
from medborgarlofte.dialogues.models import DialogueEntry
from medborgarlofte.dialogues.summary import dialogue_section
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy import retention

NOW = timezone.now()
OLD = retention.subtract_months(NOW, 30)  # past the 24-month default for free text
YOUNG = retention.subtract_months(NOW, 1)
SECRET = "Det luktar cannabis bakom Kvarnbacksskolan varje fredag"


@contextmanager
def clock(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def dialogue(kommun, user, moment, text):
    with clock(moment):
        return dialogue_services.create_entry(
            kommun,
            user,
            dialogue_services.EntryData(
                source="citizen", date=timezone.localdate(moment), area="Centrum", text=text
            ),
        )


def disposals(kind=None):
    entries = AuditEntry.objects.filter(action="retention.dispose")
    return list(entries.filter(object_type=kind) if kind else entries)


@pytest.fixture
def jonkoping(db):
    return Municipality.objects.get(code="0680")


@pytest.fixture
def dialogues(mullsjo, jonkoping, coordinator, other_coordinator, settings):
    # Jönköping's own gallringsbeslut keeps dialogue texts for four years.
    settings.RETENTION_BY_KOMMUN = {("0680", "dialogue_text"): 48}
    return {
        "old": dialogue(mullsjo, coordinator, OLD, SECRET),
        "young": dialogue(mullsjo, coordinator, YOUNG, "Mörkt vid busshållplatsen på kvällen"),
        "other": dialogue(jonkoping, other_coordinator, OLD, "Klotter vid Munksjön " + SECRET),
    }


def test_old_dialogue_texts_go_young_ones_and_other_kommuner_stay(dialogues, mullsjo):
    old_period = (OLD.date() - datetime.timedelta(days=40), OLD.date() + datetime.timedelta(days=1))
    counts_before = dialogue_section(mullsjo, *old_period)

    groups = retention.apply(NOW, {"dialogue_text"})

    old, young, other = (DialogueEntry.objects.get(pk=e.pk) for e in dialogues.values())
    assert old.text == ""
    assert young.text.startswith("Mörkt")
    assert other.text.endswith(SECRET)  # Jönköping: 48 months, the entry is 30 months old
    # What the lägesbild counts is unchanged: entries per source, theme and area.
    assert dialogue_section(mullsjo, *old_period) == counts_before
    assert counts_before["total_entries"] == 1 and counts_before["themes"]
    # The copy of the text in the audit log went with it; the young entry's copy stays.
    copies = {
        e.object_id: e.after["text"] for e in AuditEntry.objects.filter(action="dialogue.create")
    }
    assert copies[str(old.pk)] == "" and copies[str(young.pk)].startswith("Mörkt")
    assert copies[str(other.pk)].endswith(SECRET)
    # One group, one audit entry: counts and the rule, never the content.
    assert [(g.rule.kind, g.municipality.code, g.disposed) for g in groups] == [
        ("dialogue_text", "0642", {"texts": 1, "audit copies": 1})
    ]
    [entry] = disposals("dialogue_text")
    assert entry.municipality == mullsjo and entry.actor is None
    assert entry.after["disposed"] == {"texts": 1, "audit copies": 1}
    assert entry.after["months"] == 24
    assert entry.after["setting"] == "RETENTION_DIALOGUE_TEXT_MONTHS"
    assert "cannabis" not in f"{entry.summary} {entry.after}"


def test_a_kommun_with_a_shorter_period_loses_its_texts_sooner(dialogues, settings):
    settings.RETENTION_BY_KOMMUN = {("0680", "dialogue_text"): 12}
    groups = retention.apply(NOW, {"dialogue_text"})
    assert sorted((g.municipality.code, g.setting) for g in groups) == [
        ("0642", "RETENTION_DIALOGUE_TEXT_MONTHS"),
        ("0680", "RETENTION_BY_KOMMUN"),
    ]
    assert DialogueEntry.objects.get(pk=dialogues["other"].pk).text == ""


def test_zero_months_keeps_the_data(dialogues, settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "dialogue_text": 0}
    assert retention.apply(NOW, {"dialogue_text"}) == []
    assert DialogueEntry.objects.get(pk=dialogues["old"].pk).text == SECRET


def test_a_dry_run_lists_per_kind_and_kommun_and_changes_nothing(dialogues):
    entries_before = AuditEntry.objects.count()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert re.search(
        r"would dispose of dialogue_text +0642 Mullsjö +1 texts, 1 audit copies", out.getvalue()
    )
    assert "0680" not in out.getvalue()
    assert "(dry run)" in out.getvalue()
    assert AuditEntry.objects.count() == entries_before
    assert DialogueEntry.objects.get(pk=dialogues["old"].pk).text == SECRET
    assert (
        AuditEntry.objects.get(action="dialogue.create", object_id=dialogues["old"].pk).after[
            "text"
        ]
        == SECRET
    )


def test_a_second_run_does_nothing(dialogues):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "disposed of dialogue_text" in out.getvalue()
    entries = AuditEntry.objects.count()
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().strip() == "0 item(s) in 0 group(s) disposed of"
    assert AuditEntry.objects.count() == entries


def test_the_command_refuses_unknown_kinds_and_a_date_without_dry_run(db):
    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("apply_retention", "--only", "everything")
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("apply_retention", "--today", "2030-01-01")


def test_a_dry_run_can_look_ahead(mullsjo, coordinator):
    dialogue(mullsjo, coordinator, YOUNG, SECRET)
    out = StringIO()
    ahead = (NOW + datetime.timedelta(days=800)).date().isoformat()
    call_command("apply_retention", "--dry-run", "--today", ahead, stdout=out)
    assert "would dispose of dialogue_text" in out.getvalue()


# --- Incidents and police events --------------------------------------------------------


@pytest.fixture
def incidents(mullsjo, coordinator):
    from medborgarlofte.incidents import services

    reporter = make_user("rapportor", [("0642", "reporter")])
    category = {c.key: c for c in services.ensure_categories(mullsjo)}["klotter"]

    def report(moment, description):
        with clock(moment):
            made = services.submit_report(
                reporter,
                mullsjo,
                "Fritid",
                [
                    services.EventData(
                        category,
                        timezone.localdate(moment),
                        "evening",
                        description=description,
                    )
                ],
            )
            incident = made.incidents.get()
            return services.handle_incident(coordinator, incident, "Sanerat av " + description)

    return {"old": report(OLD, SECRET), "young": report(YOUNG, "Klotter på bänken")}


def test_old_incident_texts_go_and_the_weekly_counts_stay(incidents, mullsjo):
    from medborgarlofte.incidents.models import Incident
    from medborgarlofte.incidents.weekly import weekly_lagesbild

    year, week, _day = timezone.localdate(OLD).isocalendar()
    before = weekly_lagesbild(mullsjo, year, week)

    retention.apply(NOW, {"incident_text"})

    old, young = (Incident.objects.get(pk=i.pk) for i in incidents.values())
    assert (old.description, old.action_taken) == ("", "")
    assert (young.description, young.action_taken) == (
        "Klotter på bänken",
        "Sanerat av Klotter på bänken",
    )
    after = weekly_lagesbild(mullsjo, year, week)
    assert after["total"] == before["total"] == 1
    assert after["by_category"] == before["by_category"]
    # No copy left in the audit log (the report's snapshot and the handling).
    assert not AuditEntry.objects.filter(after__icontains="cannabis").exists()
    assert AuditEntry.objects.filter(after__icontains="Klotter").count() == 2
    [entry] = disposals("incident_text")
    assert entry.after["disposed"] == {"texts": 1, "audit copies": 2}


def test_old_police_event_summaries_go(mullsjo):
    from medborgarlofte.incidents.models import PoliceEvent

    def event(event_id, moment):
        return PoliceEvent.objects.create(
            event_id=event_id,
            municipality=mullsjo,
            published_at=moment,
            occurred_at=moment,
            name="Misshandel, Mullsjö",
            summary=SECRET,
            url="/x",
            type="Misshandel",
            location_name="Mullsjö",
        )

    event(1, OLD), event(2, YOUNG)
    national = event(3, OLD)
    PoliceEvent.objects.filter(pk=national.pk).update(municipality=None)
    groups = retention.apply(NOW, {"police_event_text"})
    assert {(g.municipality and g.municipality.code) for g in groups} == {"0642", None}
    summaries = dict(PoliceEvent.objects.values_list("event_id", "summary"))
    assert summaries == {1: "", 2: SECRET, 3: ""}
    assert PoliceEvent.objects.get(event_id=1).type == "Misshandel"


# --- Files on disk ----------------------------------------------------------------------


@pytest.fixture
def activity(mullsjo, coordinator, mullsjo_document, settings, tmp_path):
    from medborgarlofte.agreements.importing import import_agreement_document
    from medborgarlofte.followup.models import Activity

    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    agreement = import_agreement_document(mullsjo_document, user=coordinator).version.agreement
    return Activity.objects.create(
        municipality=mullsjo,
        agreement=agreement,
        commitment_ref="x",
        date=timezone.localdate(),
        party_kind="municipality",
        title="Trygghetsvandring",
    )


def test_old_evidence_files_leave_the_disk_with_their_rows(
    activity, coordinator, settings, django_capture_on_commit_callbacks
):
    from medborgarlofte.followup import services
    from medborgarlofte.followup.evidence import path_of
    from medborgarlofte.followup.models import Evidence

    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "evidence_files": 36}
    with clock(retention.subtract_months(NOW, 37)):
        old = services.add_evidence(activity, coordinator, SimpleUploadedFile("a.pdf", b"%PDF-1"))
    young = services.add_evidence(activity, coordinator, SimpleUploadedFile("b.pdf", b"%PDF-2"))
    old_path, young_path = path_of(old.stored_name), path_of(young.stored_name)
    assert old_path.is_file() and young_path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(NOW, {"evidence_files"})

    assert list(Evidence.objects.values_list("pk", flat=True)) == [young.pk]
    assert not old_path.exists() and young_path.is_file()
    assert disposals("evidence_files")[0].after["disposed"] == {"files": 1}


def test_files_no_row_refers_to_go_after_a_day(activity, coordinator):
    from medborgarlofte.followup import services
    from medborgarlofte.followup.evidence import path_of, private_root

    kept = services.add_evidence(activity, coordinator, SimpleUploadedFile("a.pdf", b"%PDF-1"))
    directory = private_root() / "evidence" / "0642"
    stale, fresh = directory / "stale.pdf", directory / "fresh.pdf"
    stale.write_bytes(b"%PDF-left by a failed upload")
    fresh.write_bytes(b"%PDF-an upload in progress")
    two_days_ago = (NOW - datetime.timedelta(days=2)).timestamp()
    os.utime(stale, (two_days_ago, two_days_ago))
    os.utime(path_of(kept.stored_name), (two_days_ago, two_days_ago))

    [group] = retention.apply(NOW, {"orphan_evidence_files"})

    assert group.municipality.code == "0642" and group.disposed == {"files": 1}
    assert not stale.exists() and fresh.is_file() and path_of(kept.stored_name).is_file()


def test_leftovers_of_dialogue_uploads_go_after_an_hour(
    mullsjo, coordinator, monkeypatch, tmp_path
):
    import tempfile

    from medborgarlofte.dialogues import uploads

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # not other runs' uploads
    fresh = uploads.save_upload(coordinator, mullsjo, "svar2.csv", b"datum;text\n")
    token = uploads.save_upload(coordinator, mullsjo, "svar.csv", b"datum;text\n")
    old = NOW - datetime.timedelta(hours=2)
    for suffix in (".bin", ".json"):
        os.utime(uploads._directory() / f"{token}{suffix}", (old.timestamp(), old.timestamp()))

    [group] = retention.apply(NOW, {"dialogue_upload_leftovers"})

    assert group.disposed == {"files": 2}
    assert uploads.load_upload(fresh, coordinator, mullsjo) is not None
    assert not (uploads._directory() / f"{token}.bin").exists()


# --- The audit log ----------------------------------------------------------------------


def test_old_audit_entries_are_disposed_of_and_the_disposal_is_logged(mullsjo, coordinator):
    with clock(retention.subtract_months(NOW, 61)):
        old = audit.record(user=coordinator, action="changed", municipality=mullsjo, summary="x")
        national = audit.record(user=coordinator, action="changed", summary="national")
    young = audit.record(user=coordinator, action="changed", municipality=mullsjo, summary="y")

    groups = retention.apply(NOW, {"audit_log"})

    assert {(g.municipality and g.municipality.code): g.disposed for g in groups} == {
        "0642": {"entries": 1},
        None: {"entries": 1},
    }
    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and national.pk not in remaining and young.pk in remaining
    assert len(disposals("audit_log")) == 2


def test_the_audit_log_stays_append_only_outside_the_sanctioned_path(mullsjo, coordinator):
    with clock(retention.subtract_months(NOW, 61)):
        old = audit.record(user=coordinator, action="changed", municipality=mullsjo)
    young = audit.record(user=coordinator, action="changed", municipality=mullsjo)
    entries = AuditEntry.objects.all()
    with pytest.raises(PermissionError):
        entries.filter(pk=old.pk).delete()
    with pytest.raises(PermissionError):
        entries.filter(pk=old.pk).update(after={})
    cutoff = retention.subtract_months(NOW, 60)
    with audit.retention_disposal(cutoff):
        with pytest.raises(PermissionError):  # younger than the cutoff
            entries.filter(pk__in=[old.pk, young.pk]).delete()
        with pytest.raises(PermissionError):  # never an update
            entries.filter(pk=old.pk).update(summary="rewritten")
        with pytest.raises(PermissionError):
            entries.get(pk=old.pk).delete()
    assert entries.count() == 2


def test_the_audit_log_cannot_be_set_below_a_year(mullsjo, coordinator, settings):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "audit_log": 6}
    with pytest.raises(ImproperlyConfigured, match="minimum of 12 months"):
        retention.plan(NOW, {"audit_log"})


def test_only_the_retention_rules_use_the_sanctioned_path():
    package = Path(retention.__file__).resolve().parent.parent
    pattern = r"retention_disposal|AUDIT_DISPOSAL_CUTOFF|blank_copied_text|dispose_entries"
    allowed = {
        "accounts/audit.py",
        "accounts/models.py",
        "accounts/retention.py",
        "dialogues/retention.py",
        "incidents/retention.py",
    }
    users = {
        str(path.relative_to(package))
        for path in package.glob("*/*.py")
        if re.search(pattern, path.read_text("utf-8"))
    }
    assert users == allowed


# --- Accounts, logins, sessions, form keys ------------------------------------------------


def test_deactivated_accounts_lose_their_personal_data_after_a_year(db):
    gone = make_user("avslutad", [("0642", "coordinator")], first_name="Anna", last_name="Berg")
    TOTPDevice.objects.create(user=gone, name="telefon")
    quit_recently = make_user("nyss-avslutad", is_active=False)
    still_here = make_user("aktiv")
    User.objects.filter(pk__in=[gone.pk, still_here.pk]).update(
        last_login=retention.subtract_months(NOW, 13)
    )
    User.objects.filter(pk=gone.pk).update(is_active=False)
    User.objects.filter(pk=quit_recently.pk).update(last_login=retention.subtract_months(NOW, 2))

    [group] = retention.apply(NOW, {"inactive_accounts"})

    gone.refresh_from_db()
    assert group.municipality is None and group.disposed == {"accounts": 1}
    assert (gone.username, gone.first_name, gone.last_name, gone.email) == (
        f"gallrad-{gone.pk}",
        "",
        "",
        "",
    )
    assert not gone.has_usable_password()
    assert not TOTPDevice.objects.filter(user=gone).exists()
    assert User.objects.get(pk=quit_recently.pk).username == "nyss-avslutad"
    assert User.objects.get(pk=still_here.pk).email == "aktiv@example.se"
    assert retention.apply(NOW, {"inactive_accounts"}) == []


def test_old_login_records_and_expired_sessions_go(db):
    from axes.models import AccessAttempt, AccessLog

    def log(moment, **extra):
        with clock(moment):
            return AccessLog.objects.create(
                username="samordnare", ip_address="192.0.2.7", user_agent="UA", **extra
            )

    old, young = log(retention.subtract_months(NOW, 4)), log(YOUNG)
    with clock(retention.subtract_months(NOW, 4)):
        AccessAttempt.objects.create(
            username="x", ip_address="192.0.2.8", user_agent="UA", failures_since_start=3
        )
    expired, valid = SessionStore(), SessionStore()
    expired.set_expiry(-10)
    expired["a"] = 1
    expired.save()
    valid["a"] = 1
    valid.save()

    groups = retention.apply(timezone.now(), {"login_records", "expired_sessions"})

    assert {g.rule.kind: g.disposed for g in groups} == {
        "login_records": {"logins": 1, "failed logins": 1, "failures": 0},
        "expired_sessions": {"sessions": 1},
    }
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [young.pk]
    assert old.pk != young.pk
    assert list(Session.objects.values_list("session_key", flat=True)) == [valid.session_key]


def test_form_keys_are_forgotten_after_a_day(mullsjo):
    import uuid

    entry = dialogue_services._new_entry(
        mullsjo,
        dialogue_services.EntryData(source="public_form", date=NOW.date(), text="Hej"),
        None,
    )
    fresh = dialogue_services._new_entry(
        mullsjo,
        dialogue_services.EntryData(source="public_form", date=NOW.date(), text="Hej igen"),
        None,
    )
    DialogueEntry.objects.filter(pk=entry.pk).update(
        idempotency_key=uuid.uuid4(), created_at=NOW - datetime.timedelta(days=2)
    )
    DialogueEntry.objects.filter(pk=fresh.pk).update(idempotency_key=uuid.uuid4())

    [group] = retention.apply(NOW, {"dialogue_form_keys"})

    assert group.disposed == {"keys": 1}
    assert DialogueEntry.objects.get(pk=entry.pk).idempotency_key is None
    assert DialogueEntry.objects.get(pk=fresh.pk).idempotency_key is not None


# --- Configuration and documentation ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0642dialogue_text=12", "642.dialogue_text=12", "0642.everything=12", "0642.audit_log=x"],
)
def test_a_malformed_kommun_override_stops_the_start(value):
    from medborgarlofte import settings as project_settings

    with pytest.raises(ImproperlyConfigured, match="RETENTION_BY_KOMMUN"):
        project_settings._retention_by_kommun(value)


@pytest.mark.parametrize(
    "override, message",
    [
        (("9999", "dialogue_text"), "no kommun 9999"),
        (("0642", "login_records"), "login_records belongs to no kommun"),
    ],
)
def test_an_override_that_cannot_apply_stops_the_command(db, settings, override, message):
    settings.RETENTION_BY_KOMMUN = {override: 12}
    with pytest.raises(ImproperlyConfigured, match=message):
        retention.plan(NOW)


def test_a_kommun_override_is_read():
    from medborgarlofte import settings as project_settings

    assert project_settings._retention_by_kommun(" 0642.dialogue_text=12, 0680.audit_log=120") == {
        ("0642", "dialogue_text"): 12,
        ("0680", "audit_log"): 120,
    }


def test_every_rule_is_in_the_table_of_docs_privacy_md():
    text = (Path(retention.__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    for rule in retention.rules():
        assert re.search(rf"^\| `{rule.kind}` \|", text, re.MULTILINE), rule.kind
        if rule.fixed_age is None:
            assert f"`{retention.setting_name(rule.kind)}`" in text, rule.kind


def test_staff_see_that_a_text_was_disposed_of(dialogues, client, coordinator):
    retention.apply(NOW, {"dialogue_text"})
    client.force_login(coordinator)
    client.cookies["medborgarlofte_language"] = "en"
    page = client.get(reverse("dialogues:entry", args=["0642", dialogues["old"].pk]))
    assert "The text has been disposed of under the retention rules" in page.content.decode()
    period = {"fran": OLD.date().isoformat(), "till": NOW.date().isoformat()}
    listing = client.get(reverse("dialogues:municipality", args=["0642"]), period)
    listing = listing.content.decode()
    assert "(disposed of)" in listing and "Mörkt vid busshållplatsen" in listing
