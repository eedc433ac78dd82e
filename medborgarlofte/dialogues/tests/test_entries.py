import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.dialogues.models import DialogueEntry, EntryTheme

PNR = "811218-9876"  # invented, Luhn-valid


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _staff_post(client, text, **extra):
    data = {"source": "citizen", "date": "2023-11-07", "area": "Torget", "text": text, **extra}
    return client.post(reverse("dialogues:create-entry", args=["0642"]), data)


def test_staff_must_remove_or_confirm_what_the_scanner_finds(client, coordinator):
    client.force_login(coordinator)
    response = _staff_post(client, f"Ring 070-123 45 67 om klotter, pnr {PNR}")
    assert response.status_code == 400
    assert '<mark class="hit"' in response.content.decode()
    assert DialogueEntry.objects.count() == 0
    assert _staff_post(client, "Klotter på torget").status_code == 302
    confirmed = _staff_post(client, "Mopeder på Storgatan 12", confirm_personal_data="on")
    assert confirmed.status_code == 302
    entry = DialogueEntry.objects.get(text__contains="Storgatan")
    assert entry.personal_data_confirmed and entry.theme_keys == ["trafik"]
    assert AuditEntry.objects.filter(action="dialogue.create").count() == 2


def test_staff_can_edit_the_themes(client, coordinator):
    client.force_login(coordinator)
    _staff_post(client, "Klotter på torget")
    entry = DialogueEntry.objects.get()
    url = reverse("dialogues:update-themes", args=["0642", entry.pk])
    client.post(url, {"themes": ["skadegorelse", "ungdomar"]})
    entry.refresh_from_db()
    assert entry.theme_keys == ["skadegorelse", "ungdomar"] and entry.tags_edited
    assert client.post(url, {"themes": ["nonsense"]}).status_code == 400


def test_the_public_form_removes_personal_data_and_tells_the_writer(client, mullsjo):
    url = reverse("dialogues_public:form", args=["0642"])
    assert client.get(url).status_code == 200
    text = f"Buskörning vid stationen. Ring 070-123 45 67 eller mejla a@b.se. {PNR}"
    response = client.post(url, {"text": text, "area": "Storgatan 3"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert "removed=" in response["Location"]
    entry = DialogueEntry.objects.get()
    assert "070" not in entry.text and "a@b.se" not in entry.text and PNR not in entry.text
    assert entry.area == "[…]" and entry.source == "public_form"
    assert entry.created_by is None and entry.theme_keys == ["trafik"]
    stored = " ".join(str(v) for v in DialogueEntry.objects.values().get().values())
    assert "10.1.2.3" not in stored
    audit = " ".join(str(v) for v in AuditEntry.objects.values().get().values())
    assert "10.1.2.3" not in audit
    thanks = client.get(response["Location"]).content.decode()
    assert "phone" in response["Location"] and "email" in response["Location"]
    assert thanks.count("<li>") >= 4


def test_the_public_form_works_without_javascript_and_drops_bots(client, mullsjo):
    url = reverse("dialogues_public:form", args=["0642"])
    page = client.get(url).content.decode()
    assert "<script" not in page and 'name="website"' in page
    response = client.post(url, {"text": "Klotter", "website": "http://spam"})
    assert response.status_code == 302
    assert DialogueEntry.objects.count() == 0


def test_the_public_form_is_rate_limited_per_address(client, mullsjo):
    url = reverse("dialogues_public:form", args=["0642"])
    codes = [
        client.post(url, {"text": f"Klotter nummer {i}"}, REMOTE_ADDR="10.9.9.9").status_code
        for i in range(7)
    ]
    assert codes[:5] == [302] * 5 and codes[5:] == [429, 429]
    assert client.post(url, {"text": "Annat"}, REMOTE_ADDR="10.9.9.8").status_code == 302
    assert DialogueEntry.objects.count() == 6


def test_the_public_form_answers_404_for_an_unknown_kommun(client, db):
    assert client.get(reverse("dialogues_public:form", args=["9999"])).status_code == 404


CSV = (
    "Inskickad;Område;Svar\n"
    "2023-11-07 18:30;Torget;Klotter överallt\n"
    "2023-11-08;Stationen;Ring mig 070-123 45 67 om mopederna\n"
    ";Skolan;\n"
).encode()


def _upload(client, content=CSV, name="export.csv"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("dialogues:import-upload", args=["0642"]), {"file": upload})


def test_the_import_previews_hits_then_saves_once(client, coordinator):
    client.force_login(coordinator)
    response = _upload(client)
    assert response.status_code == 302
    url = response["Location"]
    mapping = {
        "text": "2",
        "date": "0",
        "area": "1",
        "source": "citizen",
        "personal_data": "redact",
    }
    preview = client.post(url, {**mapping, "preview": "1"})
    assert preview.status_code == 200
    assert '<mark class="hit"' in preview.content.decode()
    assert DialogueEntry.objects.count() == 0
    assert client.post(url, {**mapping, "confirm": "1"}).status_code == 302
    texts = sorted(DialogueEntry.objects.values_list("text", flat=True))
    assert texts == ["Klotter överallt", "Ring mig [telefonnummer] om mopederna"]
    assert EntryTheme.objects.filter(theme="trafik").count() == 1
    assert client.post(url, {**mapping, "confirm": "1"}).status_code == 404  # file removed
    again = _upload(client)["Location"]
    client.post(again, {**mapping, "confirm": "1"})
    assert DialogueEntry.objects.count() == 2


def test_the_import_reports_bad_dates_with_line_and_column(client, coordinator):
    client.force_login(coordinator)
    url = _upload(client, b"Datum,Text\n7 nov,Klotter\n")["Location"]
    response = client.post(
        url,
        {"text": "1", "date": "0", "source": "staff", "personal_data": "redact", "preview": "1"},
    )
    assert response.status_code == 400
    assert "export.csv" in response.content.decode() and "7 nov" in response.content.decode()
    assert DialogueEntry.objects.count() == 0


def test_the_import_refuses_a_file_that_is_not_a_table(client, coordinator):
    client.force_login(coordinator)
    assert _upload(client, b"\xff\xfe\x00bad", "x.csv").status_code == 400


def test_the_summary_page_lists_themes(client, coordinator):
    from medborgarlofte.dialogues.demo import load_dialogues_demo

    load_dialogues_demo()
    client.force_login(coordinator)
    page = client.get(reverse("dialogues:municipality", args=["0642"])).content.decode()
    assert "Klotter" in page and ("Exempeldata" in page or "Example data" in page)
    assert DialogueEntry.objects.filter(date__year=2023, date__month=11).count() == 152
    assert datetime.date(2023, 11, 7) in set(DialogueEntry.objects.values_list("date", flat=True))
