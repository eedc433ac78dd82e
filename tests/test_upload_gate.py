"""Every upload and import entry point goes through the gate (medborgarlofte/privacy/uploads.py).

For each web form and command that accepts a file: a hostile file (a renamed program, or a
200 MB zip bomb in a 200 kB XLSX) is refused with an error that names the file, and the
database (every table, audit log and import runs included), the private files and the
dialogue upload directory are unchanged. Oversized web uploads get a form error, not a 500.
The gate's own tests are in medborgarlofte/privacy/tests/test_uploads.py.
"""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medborgarlofte.privacy.tests import hostile

RENAMED_PROGRAM = "a program (an executable file)"
ZIP_BOMB = "possible zip bomb"


@pytest.fixture(autouse=True)
def _english_and_private_files(settings, tmp_path):
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path / "private"
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return hostile.zip_bomb()


def state() -> dict:
    """Row counts of every table, the private files and the dialogue uploads waiting."""
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    private = Path(settings.MEDBORGARLOFTE_PRIVATE_FILES)
    waiting = private / "dialogue-uploads"
    counts["private files"] = sorted(private.rglob("*")) if private.exists() else []
    counts["dialogue uploads"] = sorted(waiting.glob("*")) if waiting.exists() else []
    return counts


def browser(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def upload(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def command_refuses(tmp_path, command, data, name, *args) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as info:
        call_command(
            command, *[str(path) if a == "FILE" else a for a in args], stdout=io.StringIO()
        )
    return str(info.value)


@pytest.fixture
def published(db, coordinator, police, mullsjo_document):
    """Mullsjö 2024, published (the follow-up pages need it)."""
    from medborgarlofte.agreements import services
    from medborgarlofte.agreements.importing import import_agreement_document

    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, coordinator, "municipality")
    services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    services.publish_agreement(version, coordinator)
    return version.agreement


# --- Commands ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name", "hostile_file", "args", "words"),
    [
        ("import_crime_statistics", "brott.xlsx", "bomb", ["FILE", "--format", "tidy"], ZIP_BOMB),
        (
            "import_crime_statistics",
            "bra.csv",
            "program",
            ["FILE", "--category", "Narkotikabrott", "--period", "2024"],
            RENAMED_PROGRAM,
        ),
        ("import_population", "folkmangd.json", "program", ["FILE"], RENAMED_PROGRAM),
        ("import_kolada", "kolada.json", "program", ["FILE"], RENAMED_PROGRAM),
        ("import_survey", "enkat.xlsx", "bomb", ["FILE", "--kommun", "0642"], ZIP_BOMB),
        ("import_police_events", "handelser.json", "program", ["FILE"], RENAMED_PROGRAM),
        ("import_agreement", "avtal.yaml", "program", ["FILE"], RENAMED_PROGRAM),
    ],
)
def test_every_import_command_refuses_a_hostile_file_and_writes_nothing(
    db, tmp_path, zip_bomb, command, name, hostile_file, args, words
):
    data = zip_bomb if hostile_file == "bomb" else hostile.EXE
    before = state()
    message = command_refuses(tmp_path, command, data, name, *args)
    assert name in message and words in message
    assert state() == before


def test_the_activities_command_refuses_a_zip_bomb_and_writes_nothing(
    published, coordinator, tmp_path, zip_bomb
):
    before = state()
    message = command_refuses(
        tmp_path,
        "import_activities",
        zip_bomb,
        "aktiviteter.xlsx",
        "0642",
        "2024",
        "FILE",
        "--user",
        coordinator.username,
    )
    assert "1 error(s); nothing was imported" in message
    assert state() == before


def test_a_command_refuses_a_file_over_import_max_bytes_before_reading_it(db, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    before = state()
    message = command_refuses(
        tmp_path, "import_crime_statistics", b"kommunkod;antal\n" * 10, "stor.csv", "FILE"
    )
    assert message == "stor.csv: the file is 160 bytes; at most 100 bytes are accepted"
    assert state() == before


# --- Web forms -------------------------------------------------------------------------------


def test_the_survey_form_refuses_a_zip_bomb_naming_the_file(coordinator, zip_bomb):
    client, url = browser(coordinator), reverse("surveys:import-survey", args=["0642"])
    before = state()
    response = client.post(url, {"file": upload(zip_bomb, "enkat.xlsx")})
    assert response.status_code == 400
    assert "enkat.xlsx: the part xl/worksheets/sheet1.xml is compressed" in response.text
    assert state() == before


def test_the_dialogue_upload_refuses_a_zip_bomb_and_keeps_no_file(coordinator, zip_bomb):
    client, url = browser(coordinator), reverse("dialogues:import-upload", args=["0642"])
    before = state()
    response = client.post(url, {"file": upload(zip_bomb, "svar.xlsx")})
    assert response.status_code == 400
    assert "svar.xlsx: " in response.text and ZIP_BOMB in response.text
    assert state() == before


def test_the_activities_form_refuses_a_zip_bomb(published, coordinator, zip_bomb):
    client, url = browser(coordinator), reverse("followup:import-activities", args=["0642", 2024])
    before = state()
    response = client.post(url, {"file": upload(zip_bomb, "aktiviteter.xlsx")})
    assert response.status_code == 400
    assert "aktiviteter.xlsx: " in response.text and ZIP_BOMB in response.text
    assert state() == before


def test_the_evidence_form_refuses_a_renamed_program(published, coordinator):
    from medborgarlofte.followup import services

    activity = services.log_activity(
        published, coordinator, commitment_ref="m24-09", date=published.period_start,
        party_kind="police", title="Hundsök", quantity=1, unit="hundsök",
    )  # fmt: skip
    client = browser(coordinator)
    before = state()
    url = reverse("followup:add-evidence", args=["0642", 2024, activity.pk])
    response = client.post(url, {"file": upload(hostile.EXE, "protokoll.pdf")}, follow=True)
    assert f"protokoll.pdf: the content is {RENAMED_PROGRAM}" in response.text
    assert state() == before


def test_the_agreement_form_refuses_a_renamed_program(coordinator):
    client, url = browser(coordinator), reverse("agreements:upload-agreement", args=["0642"])
    before = state()
    response = client.post(url, {"file": upload(hostile.EXE, "avtal.yaml")})
    assert response.status_code == 400
    assert "avtal.yaml" in response.text and RENAMED_PROGRAM in response.text
    assert state() == before


def test_the_api_refuses_a_document_that_is_not_text(coordinator):
    client = browser(coordinator)
    before = state()
    response = client.post(
        reverse("api:import-agreement"), data=hostile.PNG, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("the content is a PNG image")
    assert state() == before


# --- Oversized web uploads: a form error, not a 500 --------------------------------------------


@pytest.fixture
def small_limits(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    settings.MAX_AGREEMENT_UPLOAD_BYTES = 1000
    settings.EVIDENCE_MAX_BYTES = 1000


@pytest.mark.parametrize(
    ("url_name", "args", "name"),
    [
        ("surveys:import-survey", ["0642"], "enkat.csv"),
        ("dialogues:import-upload", ["0642"], "svar.csv"),
        ("agreements:upload-agreement", ["0642"], "avtal.yaml"),
    ],
)
def test_an_oversized_upload_gets_a_form_error(coordinator, small_limits, url_name, args, name):
    client = browser(coordinator)
    before = state()
    data = b"provider;year\n" + b"x;2024\n" * 2000
    response = client.post(reverse(url_name, args=args), {"file": upload(data, name)})
    assert response.status_code == 200  # the form is shown again with the error
    assert f"{name}: the file is {len(data)} bytes; at most 1000 bytes are accepted" in (
        response.text
    )
    assert state() == before


def test_an_oversized_activities_file_gets_a_form_error(published, coordinator, small_limits):
    client, url = browser(coordinator), reverse("followup:import-activities", args=["0642", 2024])
    before = state()
    response = client.post(url, {"file": upload(b"x" * 5000, "stor.csv")})
    assert "stor.csv: the file is 5000 bytes; at most 1000 bytes are accepted" in response.text
    assert state() == before


def test_an_oversized_api_document_gets_413(coordinator, small_limits):
    client = browser(coordinator)
    before = state()
    response = client.post(
        reverse("api:import-agreement"), data=b"{}" + b" " * 5000, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"] == "The document is larger than 1000 bytes."
    assert state() == before
