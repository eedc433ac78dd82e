"""The operator's national files: upload, preview per kommun, import; freshness."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from medborgarlofte.crimestats import operator
from medborgarlofte.crimestats.models import CrimeStatistic, ImportRun
from medborgarlofte.kommuner.models import Population

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def staff(db, tmp_path, settings):
    from conftest import make_user

    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path
    return make_user("drift", is_staff=True)


def _upload(client, name, kind="bra-yearly", year=""):
    content = (DATA / name).read_bytes() if (DATA / name).exists() else name.encode()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        reverse("crimestats:national-upload"), {"kind": kind, "year": year, "file": file}
    )


def test_the_operator_previews_then_imports_all_or_nothing(client, staff):
    client.force_login(staff)
    assert client.get(reverse("crimestats:national-upload")).status_code == 200
    response = _upload(client, "bra_yearly_2021.csv")
    preview = response.context["preview"]
    assert preview.rows == 290 and preview.new == 290 and len(preview.kommuner) == 290
    assert "Spånga-Tensta" in preview.skipped
    assert CrimeStatistic.objects.count() == 0  # a preview saves nothing
    token = response.context["token"]
    response = client.post(reverse("crimestats:national-import"), {"token": token})
    assert response.status_code == 302
    assert CrimeStatistic.objects.filter(source="bra", year=2021).count() == 290
    run = ImportRun.objects.get(source="bra")
    assert run.user == staff
    # The same file again: unchanged everywhere and marked as imported before.
    preview = _upload(client, "bra_yearly_2021.csv").context["preview"]
    assert (preview.new, preview.changed, preview.unchanged) == (0, 0, 290)
    assert preview.already_imported == run
    # A used token is gone.
    client.post(reverse("crimestats:national-import"), {"token": token})
    assert ImportRun.objects.count() == 1


def test_a_changed_population_shows_per_kommun(client, staff):
    client.force_login(staff)
    csv = "kommunkod;år;folkmängd\n0642;2024;7600\n0643;2024;12000\n0680;2025;150000\n"
    before = Population.objects.get(municipality__code="0642", year=2024).population
    response = client.post(
        reverse("crimestats:national-upload"),
        {"kind": "population", "file": SimpleUploadedFile("folkmangd.csv", csv.encode())},
    )
    rows = {k.code: (k.new, k.changed, k.unchanged) for k in response.context["preview"].kommuner}
    expected_0642 = (0, 0, 1) if before == 7600 else (0, 1, 0)
    assert rows["0642"] == expected_0642 and rows["0680"] == (1, 0, 0)
    client.post(reverse("crimestats:national-import"), {"token": response.context["token"]})
    assert Population.objects.get(municipality__code="0680", year=2025).population == 150000


def test_a_bad_file_is_refused_with_its_problems_and_nothing_to_import(client, staff):
    client.force_login(staff)
    data = "Kommun;Antal;Per 100 000 inv.\r\nAtlantis;5;1\r\n"
    response = client.post(
        reverse("crimestats:national-upload"),
        {"kind": "bra-yearly", "year": "2024", "file": SimpleUploadedFile("b.csv", data.encode())},
    )
    assert response.context["preview"] is None and response.context["token"] == ""
    assert any("Atlantis" in line for line in response.context["problems"])
    assert "Atlantis" in response.content.decode()


def test_another_operators_token_is_not_accepted(client, staff):
    from conftest import make_user

    client.force_login(staff)
    token = _upload(client, "bra_yearly_2024.csv").context["token"]
    client.force_login(make_user("drift2", is_staff=True))
    client.post(reverse("crimestats:national-import"), {"token": token})
    assert CrimeStatistic.objects.count() == 0


def test_coordinators_see_freshness_in_swedish(client, staff, coordinator):
    data = (DATA / "bra_yearly_2024.csv").read_bytes()
    operator.import_file("bra-yearly", data, "bra_yearly_2024.csv", None, staff)
    ImportRun.objects.update(at=timezone.make_aware(datetime.datetime(2025, 3, 12, 10)))
    with translation.override("sv"):
        assert "Brå 2024, hämtad 12 mars 2025" in operator.freshness()
    client.force_login(coordinator)
    page = client.get(
        reverse("crimestats:statistics", args=["0642"]), HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    assert re.search(r"Brå 2024, (hämtad|fetched) 12 (mars|March) 2025", page)
