"""The gate before anything public (issue 12, item 5; privacy/gate.py).

Personal data is planted straight in the database (as an old row, an import or direct
SQL would leave it), bypassing the forms: publication must refuse it, naming the place
in Swedish; a coordinator may dismiss one finding with a reason (audited, that exact
text only); and every public output redacts what is left.
"""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import priorities
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import Commitment, Status
from medborgarlofte.followup import services as followup_services
from medborgarlofte.followup.models import Activity, FollowUp, FollowUpStatus
from medborgarlofte.lagesbild import services as lagesbild_services
from medborgarlofte.lagesbild.models import Lagesbild, Problem
from medborgarlofte.privacy import gate
from medborgarlofte.privacy.models import PersonalDataDismissal

PHONE = "070-123 45 67"
PNR = "19460506-6424"  # a valid personnummer (Luhn), made up
PHONE_TITLE = f"Kontakt rektor {PHONE}"
PLACE = "Aktiviteten ”Kontakt rektor …” (2024-03-04), fältet Titel: telefonnummer"


def _publish(version, coordinator, police):
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    return agreement_services.publish_agreement(version, coordinator)


@pytest.fixture
def draft(db, coordinator, mullsjo_document):
    return import_agreement_document(mullsjo_document, user=coordinator).version


@pytest.fixture
def published(draft, coordinator, police):
    _publish(draft, coordinator, police)
    return draft.agreement


def _planted_activity(agreement, title=PHONE_TITLE):
    return Activity.objects.create(
        municipality=agreement.municipality,
        agreement=agreement,
        commitment_ref="m24-09",
        date=datetime.date(2024, 3, 4),
        party_kind="police",
        title=title,
    )


@pytest.fixture
def agreed_followup(published, coordinator, police):
    followup, _cleared = followup_services.save_followup(
        published, coordinator, "t1", statuses={"m24-09": ("ongoing", "")}, narratives={}
    )
    followup_services.approve_followup(followup, coordinator)
    followup_services.approve_followup(followup, police, "police")
    followup.refresh_from_db()
    return followup


# --- publication is refused, naming the place ------------------------------------------


def test_publishing_a_followup_with_a_phone_number_in_an_activity_title_is_refused(
    agreed_followup, coordinator
):
    activity = _planted_activity(agreed_followup.agreement)
    with translation.override("sv"), pytest.raises(gate.PersonalDataFound) as refused:
        followup_services.publish_followup(agreed_followup, coordinator)
    assert [f.message() for f in refused.value.findings] == [PLACE]
    assert refused.value.findings[0].object_id == activity.pk
    assert PLACE in " ".join(refused.value.messages)
    assert "publicerades inte" in " ".join(refused.value.messages)
    agreed_followup.refresh_from_db()
    assert agreed_followup.status == FollowUpStatus.AGREED and agreed_followup.snapshot is None


def test_the_publish_page_names_the_activity_in_swedish(client, agreed_followup, coordinator):
    _planted_activity(agreed_followup.agreement)
    client.force_login(coordinator)
    url = reverse("followup:publish-followup", args=["0642", 2024, "t1"])
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 409
    text = response.content.decode()
    assert "Inte publicerad: personuppgifter hittades" in text
    assert PLACE in text
    assert PHONE not in text  # the place is named, the data is not repeated
    assert "Markera som inte en personuppgift" in text  # coordinators may dismiss
    assert FollowUp.objects.get().status == FollowUpStatus.AGREED


def test_fixing_the_text_lets_the_followup_be_published(agreed_followup, coordinator):
    activity = _planted_activity(agreed_followup.agreement)
    with pytest.raises(gate.PersonalDataFound):
        followup_services.publish_followup(agreed_followup, coordinator)
    Activity.objects.filter(pk=activity.pk).update(title="Kontakt rektor")
    published = followup_services.publish_followup(agreed_followup, coordinator)
    assert published.status == FollowUpStatus.PUBLISHED


def test_publishing_an_agreement_with_a_phone_number_in_a_commitment_is_refused(
    client, draft, coordinator, police
):
    Commitment.objects.filter(version=draft, ref="m24-01").update(
        text=f"Polisen svarar i telefon {PHONE} varje vardag."
    )
    agreement_services.approve_agreement(draft, coordinator, "municipality")
    agreement_services.approve_agreement(draft, police, "police")
    draft.refresh_from_db()
    with translation.override("sv"), pytest.raises(gate.PersonalDataFound) as refused:
        agreement_services.publish_agreement(draft, coordinator)
    (finding,) = refused.value.findings
    assert finding.message().startswith("Åtagandet m24-01 ”Polisen svarar i telefon …")
    assert finding.message().endswith("vardag.”, fältet Löfte: telefonnummer")
    client.force_login(coordinator)
    response = client.post(reverse("agreements:publish", args=[draft.agreement_id, 1]))
    assert response.status_code == 409
    assert "Åtagandet m24-01" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.AGREED


@pytest.fixture
def lagesbild(db, coordinator, mullsjo):
    lb = lagesbild_services.create_lagesbild(
        mullsjo,
        coordinator,
        title="Lägesbild Mullsjö 2023",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        promise_year=2024,
    )
    lagesbild_services.add_problem(
        lb,
        coordinator,
        title="Narkotika i centrum",
        behaviour="Försäljning av narkotika",
        place="Resecentrum",
        time="Kvällar",
        chosen=True,
    )
    return lb


def test_approving_a_lagesbild_with_a_personnummer_in_a_problem_is_refused(
    client, lagesbild, coordinator, police
):
    Problem.objects.filter(lagesbild=lagesbild).update(
        behaviour=f"Försäljning av narkotika, säljaren har personnummer {PNR}"
    )
    lagesbild_services.approve_lagesbild(lagesbild, coordinator, "municipality")
    with translation.override("sv"), pytest.raises(gate.PersonalDataFound) as refused:
        lagesbild_services.approve_lagesbild(lagesbild, police, "police")
    (finding,) = refused.value.findings
    assert finding.message() == (
        "Problemet ”Narkotika i centrum”, fältet Beteende: personnummer"
    ), finding.message()
    assert not lagesbild.versions.exists()
    assert lagesbild.approvals.count() == 1  # the refused approval was not stored
    client.force_login(police)
    url = reverse("lagesbild:approve", args=[lagesbild.pk])
    response = client.post(url, {"party_kind": "police", "action": "approve"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "Problemet ”Narkotika i centrum”" in text and PNR not in text
    assert "Markera som inte en personuppgift" not in text  # police may not dismiss
    assert Lagesbild.objects.get().status == Lagesbild.Status.DRAFT


# --- dismissing one finding --------------------------------------------------------------


def _finding(followup, user):
    with pytest.raises(gate.PersonalDataFound) as refused:
        followup_services.publish_followup(followup, user)
    return refused.value.findings[0]


def test_a_coordinator_dismisses_one_finding_with_a_reason(
    client, agreed_followup, coordinator, police
):
    activity = _planted_activity(agreed_followup.agreement)
    finding = _finding(agreed_followup, coordinator)
    back = reverse("followup:followup", args=["0642", 2024, "t1"])
    dismiss = reverse("privacy:dismiss-finding")

    client.force_login(police)  # police may publish, but not dismiss
    response = client.post(dismiss, {"target": finding.target, "reason": "Växeln", "next": back})
    assert response.status_code == 403
    client.force_login(coordinator)
    response = client.post(dismiss, {"target": finding.target, "reason": " ", "next": back})
    assert response.status_code == 302 and not PersonalDataDismissal.objects.exists()
    response = client.post(
        dismiss,
        {"target": finding.target, "reason": "Skolans växelnummer, inte en person", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    dismissal = PersonalDataDismissal.objects.get()
    assert dismissal.municipality.code == "0642" and dismissal.user == coordinator
    assert dismissal.kind == "phone" and PHONE not in dismissal.text_hash
    entry = AuditEntry.objects.get(action="dismiss_personal_data_finding")
    assert entry.after["reason"] == "Skolans växelnummer, inte en person"
    assert entry.object_id == str(activity.pk)

    followup_services.publish_followup(agreed_followup, coordinator)  # now it passes
    agreed_followup.refresh_from_db()
    assert agreed_followup.status == FollowUpStatus.PUBLISHED
    # a dismissed hit is not redacted in the public output either
    response = client.get(reverse("followup_public:open-data-json", args=["0642", 2024]))
    assert PHONE in response.content.decode()


def test_a_dismissal_holds_only_for_that_exact_text(agreed_followup, coordinator):
    activity = _planted_activity(agreed_followup.agreement)
    finding = _finding(agreed_followup, coordinator)
    gate.dismiss(coordinator, finding.target, "Skolans växel")
    Activity.objects.filter(pk=activity.pk).update(title=f"Ringde rektor {PHONE}")
    again = _finding(agreed_followup, coordinator)  # an edit brings the hit back
    assert again.object_id == activity.pk
    other = _planted_activity(agreed_followup.agreement)  # same text, another row
    Activity.objects.filter(pk=activity.pk).delete()
    assert _finding(agreed_followup, coordinator).object_id == other.pk


def test_a_dismissal_is_refused_for_another_kommun_and_for_personal_data_in_the_reason(
    agreed_followup, coordinator, other_coordinator
):
    _planted_activity(agreed_followup.agreement)
    finding = _finding(agreed_followup, coordinator)
    with pytest.raises(ValidationError):  # another kommun's row: "no longer there"
        gate.dismiss(other_coordinator, finding.target, "Växeln")
    with pytest.raises(ValidationError):
        gate.dismiss(coordinator, finding.target, f"Ring {PHONE} så förstår du")
    with pytest.raises(ValidationError):  # a field that is not published
        gate.dismiss(coordinator, finding.target.replace(":title:", ":outcome:"), "Växeln")
    assert not PersonalDataDismissal.objects.exists()


# --- every public output redacts what is left --------------------------------------------


@pytest.fixture
def planted_public(published, coordinator, police):
    """A published agreement and follow-up, then personal data written straight into
    the database (and the frozen snapshot) as an old row or direct SQL would leave it."""
    version = published.published_version()
    followup, _c = followup_services.save_followup(
        published,
        coordinator,
        "year",
        statuses={"m24-09": ("ongoing", "")},
        narratives={},
        summary="Året följdes upp.",
    )
    followup_services.approve_followup(followup, coordinator)
    followup_services.approve_followup(followup, police, "police")
    followup = followup_services.publish_followup(followup, coordinator)
    snapshot = followup.snapshot
    for group in snapshot["groups"]:
        for commitment in group["commitments"]:
            commitment["text"] = f"Ring {PHONE} eller uppge {PNR}."
            commitment["explanation"] = f"Kontakt {PHONE}"
            commitment["activities"]["items"] = [
                {
                    "date": "2024-03-04",
                    "title": f"Kontakt rektor {PHONE}",
                    "quantity": None,
                    "unit": "",
                    "meeting_type": "",
                    "is_example": False,
                }
            ]
            commitment["activities"]["count"] = 1
            # as a snapshot from before issue 18: grouped from its items when shown
            commitment["activities"].pop("groups", None)
    Commitment.objects.filter(version=version, ref="m24-01").update(
        text=f"Ring {PHONE} eller uppge {PNR}."
    )
    FollowUp.objects.filter(pk=followup.pk).update(
        snapshot=snapshot, summary=f"Frågor: {PHONE}, {PNR}"
    )
    return published


def _pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(body)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_no_public_output_carries_planted_personal_data(client, planted_public, tmp_path):

    from django.core.cache import caches

    caches["shared"].clear()
    pages = {
        "agreement html": reverse("publicsite:agreement", args=["0642", 2024]),
        "agreement json": reverse("publicsite:agreement-download", args=["0642", 2024, "json"]),
        "agreement yaml": reverse("publicsite:agreement-download", args=["0642", 2024, "yaml"]),
        "api": reverse("api:public-agreement-document", args=["0642", 2024]),
        "citizen html": reverse("followup_public:citizen-page", args=["0642", 2024]),
        "open data json": reverse("followup_public:open-data-json", args=["0642", 2024]),
        "open data csv": reverse("followup_public:open-data-csv", args=["0642", 2024]),
        "api followup": reverse("followup_public:api-followup", args=["0642", 2024]),
        "atom": reverse("followup_public:feed", args=["0642"]),
        "national atom": reverse("followup_public:national-feed"),
        "pdf": reverse("followup_public:report-pdf", args=["0642", 2024]),
    }
    redacted = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content
        text = _pdf_text(body, tmp_path) if name == "pdf" else body.decode("utf-8")
        for secret in (PHONE, PNR, PNR[2:], "070-123"):
            assert secret not in text, (name, secret)
        redacted[name] = text
    replacement = gate.replacement("phone")
    for name in ("agreement html", "api", "citizen html", "open data csv", "atom"):
        assert replacement in redacted[name], name  # redacted, not dropped
    assert "Kontakt rektor" in redacted["pdf"]


def test_public_text_is_cached_and_leaves_clean_text_alone(db, django_assert_num_queries):
    clean = "Polisen och kommunen gör trygghetsvandringar varje månad."
    with django_assert_num_queries(0):
        assert gate.public_text(clean) is clean
        assert gate.public_data({"ref": "m24-01", "items": [clean, 3, None]}) == {
            "ref": "m24-01",
            "items": [clean, 3, None],
        }
    assert gate.public_text(f"Ring {PHONE}") == f"Ring {gate.replacement('phone')}"


def test_the_public_lagesbild_chain_redacts_planted_personal_data(
    client, lagesbild, published, coordinator, police
):
    from medborgarlofte.lagesbild.models import LagesbildVersion

    lagesbild_services.approve_lagesbild(lagesbild, coordinator, "municipality")
    frozen = lagesbild_services.approve_lagesbild(lagesbild, police, "police")
    draft = agreement_services.start_new_version(published, coordinator)
    commitment = draft.commitments.get(ref="m24-15")
    priorities.link_commitment_problems(commitment, coordinator, lagesbild.problems.all())
    _publish(draft, coordinator, police)
    content = frozen.content  # planted in the frozen snapshot, as direct SQL would
    content["problems"][0]["behaviour"] = f"Säljaren nås på {PHONE}, personnummer {PNR}"
    LagesbildVersion.objects.filter(pk=frozen.pk).update(content=content)
    Commitment.objects.filter(pk=commitment.pk).update(text=f"Vi ringer {PHONE}.")
    page = client.get(reverse("lagesbild_public:chain", args=["0642", 2024])).content.decode()
    assert "Narkotika i centrum" in page
    for secret in (PHONE, PNR):
        assert secret not in page
    assert f"Vi ringer {gate.replacement('phone')}." in page


def test_every_published_text_can_be_dismissed(agreed_followup, lagesbild):
    """Each field a provider lists is one a coordinator may dismiss a finding in."""
    from medborgarlofte.followup import publication as followup_publication
    from medborgarlofte.lagesbild import publication as lagesbild_publication

    _planted_activity(agreed_followup.agreement)
    version = agreed_followup.agreement.published_version()
    items = [
        *followup_publication.texts(agreed_followup, version),
        *lagesbild_publication.texts(lagesbild),
    ]
    listed = {(f"{i.obj._meta.app_label}.{i.obj._meta.model_name}", i.field) for i in items}
    assert {m for m, _f in listed} >= {
        "agreements.commitment",
        "followup.activity",
        "lagesbild.problem",
    }
    assert {(m, f) for m, f in listed if f not in gate.DISMISSABLE.get(m, set())} == set()
