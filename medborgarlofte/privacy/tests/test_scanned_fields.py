"""The one scanning mechanism (privacy/fields.py) in the staff forms, importers and the
database scan. Names arrive with the scanner's name detection; these use a phone number
and a personnummer."""

import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from medborgarlofte.agreements import forms as agreement_forms
from medborgarlofte.dialogues import forms as dialogue_forms
from medborgarlofte.dialogues.models import DialogueEntry
from medborgarlofte.followup import forms as followup_forms
from medborgarlofte.incidents import forms as incident_forms
from medborgarlofte.lagesbild import forms as lagesbild_forms
from medborgarlofte.privacy.fields import REDACT_ACTION, redact_text, scan_row
from medborgarlofte.surveys import forms as survey_forms


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    """Mullsjö 2024, approved by both parties and published (as in followup's tests)."""
    from medborgarlofte.agreements import services as agreement_services
    from medborgarlofte.agreements.importing import import_agreement_document

    version = import_agreement_document(mullsjo_document, user=coordinator).version
    agreement_services.approve_agreement(version, coordinator, "municipality")
    agreement_services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, coordinator)
    return version.agreement


PHONE = "070-123 45 67"
PNR = "19811218-9876"  # a valid personnummer (Luhn)


def _qd(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = value
    return query


# (form class, constructor kwargs, valid data, the free-text field to plant data in)
SIMPLE_FORMS = [
    (incident_forms.HandleForm, {}, {"action_taken": "Vi städade"}, "action_taken"),
    (incident_forms.CategoryForm, {}, {"name": "Klotter"}, "name"),
    (
        incident_forms.MeetingForm,
        {},
        {"date": "2024-03-01", "participants": "police", "decisions": "Mer ljus"},
        "decisions",
    ),
    (agreement_forms.CrimeCategoryForm, {}, {"name": "Narkotika"}, "name"),
    (lagesbild_forms.MoveForm, {}, {"direction": "up", "reason": "Viktigt"}, "reason"),
    (survey_forms.ThresholdForm, {}, {"normal_max": "1", "act_from": "2", "note": "ok"}, "note"),
    (followup_forms.IndicatorValueForm, {}, {"date": "2024-01-01", "value": "3"}, "note"),
    (
        dialogue_forms.EntryForm,
        {},
        {"source": "citizen", "date": "2024-03-01", "text": "Mopeder vid torget"},
        "text",
    ),
    (
        dialogue_forms.EntryForm,
        {},
        {"source": "citizen", "date": "2024-03-01", "text": "Mopeder"},
        "area",
    ),
]


def _meeting_choice():
    return incident_forms.MEETING_ROLES[0][0]


@pytest.mark.parametrize("secret", [PHONE, PNR])
@pytest.mark.parametrize(("form_class", "kwargs", "data", "field"), SIMPLE_FORMS)
def test_each_staff_form_refuses_then_redacts_then_accepts(
    db, form_class, kwargs, data, field, secret
):
    if "participants" in data:
        data = {**data, "participants": _meeting_choice()}
    planted = {**data, field: f"Kontakt {secret} idag"}
    form = form_class(_qd(planted), **kwargs)
    assert not form.is_valid()
    assert field in form.errors
    assert form.personal_data_hits[field]
    # One click: the hits are replaced server-side and the form comes back for a check.
    form = form_class(_qd({**planted, REDACT_ACTION: "1"}), **kwargs)
    assert not form.is_valid()
    assert form.personal_data_redacted
    redacted = form.data[field]
    assert secret not in redacted and redacted.startswith("Kontakt [")
    # Saving the redacted text goes through.
    form = form_class(_qd({**planted, field: redacted}), **kwargs)
    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == redacted


def test_a_confirmed_hit_is_accepted(db):
    data = {"name": f"Ring {PHONE}", "confirm_personal_data": "on"}
    form = incident_forms.CategoryForm(_qd(data))
    assert form.is_valid()
    assert form.personal_data_confirmed
    assert "confirm_personal_data" not in form.cleaned_data  # not passed on to services


def test_redact_text_uses_a_placeholder_per_kind():
    text = f"Ring {PHONE} eller skriv till a.b@example.se, pnr {PNR}"
    assert redact_text(text) == (
        "Ring [telefonnummer] eller skriv till [e-postadress], pnr [personnummer]"
    )


def test_scan_row_refuses_or_redacts():
    row = {"title": "Möte", "participants": f"Anna {PNR}", "quantity": 3}
    same, found = scan_row(row, ("title", "participants"))
    assert same is row and list(found) == ["participants"]
    clean, found = scan_row(row, ("title", "participants"), "redact")
    assert clean["participants"] == "[namn] [personnummer]" and row["participants"] != clean


# --- the activity form end to end (the hole from the issue: the title) --------------------


@pytest.fixture
def activity_url():
    return reverse("followup:add-activity", args=["0642", 2024])


def _activity(title):
    return {
        "commitment_ref": "m24-09",
        "date": "2024-03-01",
        "party_kind": "police",
        "title": title,
    }


@pytest.mark.parametrize("secret", [PHONE, PNR])
def test_the_activity_title_is_scanned_highlighted_and_redacted(
    client, published, coordinator, activity_url, secret
):
    from medborgarlofte.followup.models import Activity

    client.force_login(coordinator)
    title = f"Kontakt rektor {secret}"
    response = client.post(activity_url, _activity(title))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<mark class="hit"' in page and f">{secret}<" in page
    assert f'name="{REDACT_ACTION}"' in page
    assert not Activity.objects.exists()

    response = client.post(activity_url, {**_activity(title), REDACT_ACTION: "1"})
    assert response.status_code == 400
    assert not Activity.objects.exists()
    redacted = "Kontakt rektor [" + ("telefonnummer]" if secret == PHONE else "personnummer]")
    assert f'value="{redacted}"' in response.content.decode()

    response = client.post(activity_url, _activity(redacted))
    assert response.status_code == 302
    assert Activity.objects.get().title == redacted


def test_the_activity_service_scans_the_title_too(published, coordinator):
    import datetime

    from django.core.exceptions import ValidationError

    from medborgarlofte.followup import services

    with pytest.raises(ValidationError):
        services.log_activity(
            published, coordinator, commitment_ref="m24-09", date=datetime.date(2024, 3, 1),
            party_kind="police", title=f"Ring {PHONE}",
        )  # fmt: skip


def test_a_dialogue_entry_is_stored_redacted(client, coordinator, mullsjo):
    client.force_login(coordinator)
    url = reverse("dialogues:create-entry", args=["0642"])
    data = {"source": "citizen", "date": "2024-03-01", "text": f"Ring {PNR}", "area": "Torget"}
    assert client.post(url, data).status_code == 400
    response = client.post(url, {**data, REDACT_ACTION: "1"})
    assert 'value="Torget"' in response.content.decode()
    assert "Ring [personnummer]" in response.content.decode()
    assert client.post(url, {**data, "text": "Ring [personnummer]"}).status_code == 302
    assert DialogueEntry.objects.get().text == "Ring [personnummer]"


# --- importers -----------------------------------------------------------------------------

HEADER = "datum;löfte;part;aktivitet;antal;enhet;mötestyp;deltagare;utfall;beslut\n"


@pytest.mark.parametrize("column", ["aktivitet", "enhet", "deltagare", "utfall", "beslut"])
@pytest.mark.parametrize("secret", [PHONE, PNR])
def test_import_activities_refuses_personal_data_in_every_text_column(
    published, coordinator, column, secret
):
    from medborgarlofte.followup.importing import ImportFailed, import_activities
    from medborgarlofte.followup.models import Activity

    cells = dict.fromkeys(HEADER.strip().split(";"), "")
    cells.update({"datum": "2024-03-07", "löfte": "m24-09", "part": "polisen", "aktivitet": "Möte"})
    cells[column] = f"rektor {secret}"
    data = (HEADER + ";".join(cells.values()) + "\n").encode()
    with translation.override("sv"), pytest.raises(ImportFailed) as failure:
        import_activities(published, coordinator, data, "a.csv")
    issues = failure.value.issues
    assert len(issues) == 1 and issues[0].line == 2
    assert "personuppgifter" in issues[0].message
    assert secret not in issues[0].message
    assert Activity.objects.count() == 0


def test_the_import_activities_command_refuses_a_personnummer_in_deltagare(
    published, coordinator, tmp_path
):
    from django.core.management.base import CommandError

    from medborgarlofte.followup.models import Activity

    path = tmp_path / "a.csv"
    path.write_text(
        HEADER + f"2024-03-07;m24-09;polisen;Möte;;;;rektor {PNR};;\n", encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_activities", "0642", "2024", str(path), "--user", coordinator.username,
            stderr=err,
        )  # fmt: skip
    said = err.getvalue() + str(refused.value)
    assert "participants" in said and PNR not in said
    assert not Activity.objects.exists()


# --- the database scan ----------------------------------------------------------------------


def test_scan_personal_data_database_lists_rows_without_the_data(db, mullsjo):
    import datetime

    hit = DialogueEntry.objects.create(
        municipality=mullsjo, source="citizen", date=datetime.date(2024, 3, 1),
        text=f"Ring {PHONE}", area=f"nära {PNR}", fingerprint="a",
    )  # fmt: skip
    DialogueEntry.objects.create(
        municipality=mullsjo, source="citizen", date=datetime.date(2024, 3, 1),
        text="Mopeder vid torget", fingerprint="b",
    )  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    call_command("scan_personal_data", "--database", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0] == "app\tmodel\tid\tfield\tkind"
    assert set(lines[1:]) == {
        f"dialogues\tDialogueEntry\t{hit.pk}\ttext\tphone",
        f"dialogues\tDialogueEntry\t{hit.pk}\tarea\tpersonnummer",
    }
    assert PHONE not in out.getvalue() and PNR not in out.getvalue()
    assert "2" in err.getvalue()


def test_scan_personal_data_database_per_kommun(db, mullsjo):
    import datetime

    from medborgarlofte.kommuner.models import Municipality

    other = Municipality.objects.exclude(pk=mullsjo.pk).first()
    DialogueEntry.objects.create(
        municipality=other, source="citizen", date=datetime.date(2024, 3, 1),
        text=f"Ring {PHONE}", fingerprint="c",
    )  # fmt: skip
    out = io.StringIO()
    call_command("scan_personal_data", "--database", "--kommun", "0642", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert out.getvalue().splitlines()[1:] == []
    out = io.StringIO()
    call_command("scan_personal_data", "--database", "--kommun", other.code, "--json",
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    assert '"kind": "phone"' in out.getvalue()


@pytest.mark.parametrize("secret", [PHONE, PNR])
def test_the_survey_import_refuses_personal_data_in_a_text_column(db, secret):
    from medborgarlofte.surveys.importing import parse_survey
    from medborgarlofte.surveys.tables import TableError

    data = (
        "provider;year;area;respondents;response_rate;question;index;n\n"
        f"Polisen;2023;Mullsjö centrum;250;48,5;Klotter hos {secret};1,8;241\n"
    ).encode()
    with translation.override("sv"), pytest.raises(TableError) as failure:
        parse_survey(data, "a.csv")
    text = str(failure.value) + " ".join(str(p) for p in failure.value.problems)
    assert "personuppgifter" in text and "(question)" in text
    assert secret not in text


@pytest.mark.parametrize("secret", [PHONE, PNR])
def test_the_agreement_import_refuses_personal_data_with_its_path(
    db, coordinator, mullsjo_document, secret
):
    from medborgarlofte.agreements.exchange import DocumentError
    from medborgarlofte.agreements.importing import import_agreement_document
    from medborgarlofte.agreements.models import Agreement

    mullsjo_document["sections"][0]["commitments"][0]["text"] += f" Ring {secret}."
    with pytest.raises(DocumentError) as failure:
        import_agreement_document(mullsjo_document, user=coordinator)
    paths = [issue.path for issue in failure.value.errors]
    assert paths == ["sections[0].commitments[0].text"]
    assert secret not in str(failure.value)
    assert not Agreement.objects.exists()


def test_the_dialogue_import_replaces_personal_data_in_every_column(db, coordinator, mullsjo):
    import datetime

    from medborgarlofte.dialogues.importing import Mapping, Row, import_rows

    row = Row(line=2, date=datetime.date(2024, 3, 1), text=f"Ring {PHONE}", area=f"hos {PNR}")
    mapping = Mapping(text=0, source="citizen")
    import_rows(
        mullsjo, coordinator, name="a.csv", sha256="0" * 64, rows=[row], mapping=mapping,
        personal_data="redact",
    )  # fmt: skip
    entry = DialogueEntry.objects.get()
    assert (entry.text, entry.area) == ("Ring [telefonnummer]", "hos [personnummer]")


def test_the_follow_up_editor_scans_its_run_time_fields(published, coordinator):
    from medborgarlofte.followup.forms import FollowUpForm

    groups = [{"key": "fa", "commitments": [{"ref": "m24-01"}]}]
    data = {"summary": "Bra", "narrative_fa": f"Ring {PHONE}", "explanation_m24-01": PNR}
    form = FollowUpForm(_qd(data), groups=groups)
    assert not form.is_valid()
    assert set(form.personal_data_hits) == {"narrative_fa", "explanation_m24-01"}
    form = FollowUpForm(_qd({**data, REDACT_ACTION: "1"}), groups=groups)
    assert not form.is_valid()
    assert form.data["narrative_fa"] == "Ring [telefonnummer]"
    assert form.data["explanation_m24-01"] == "[personnummer]"
