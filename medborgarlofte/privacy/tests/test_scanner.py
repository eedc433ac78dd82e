import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from medborgarlofte.privacy.scanner import luhn_ok, redact, scan


def kinds(text):
    return [(hit.kind, hit.text) for hit in scan(text)]


@pytest.mark.parametrize(
    "text",
    ["19811218-9876", "811218-9876", "8112189876", "198112189876", "811218+9876", "20811218-9876"],
)
def test_it_finds_personnummer_in_every_written_form(text):
    assert kinds(f"Mitt nummer är {text}.")[0][0] == "personnummer"


def test_it_checks_the_luhn_digit():
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")
    assert kinds("Fel kontrollsiffra 811218-9875 här") == []


def test_it_finds_samordningsnummer():
    assert kinds("811278-9873") == [("samordningsnummer", "811278-9873")]


def test_it_refuses_impossible_dates():
    # Luhn-valid, but 13th month
    digits = next(
        f"8113{d:02d}{s:04d}"
        for d in range(1, 29)
        for s in range(10000)
        if luhn_ok(f"8113{d:02d}{s:04d}")
    )
    assert kinds(digits[:6] + "-" + digits[6:]) == []


@pytest.mark.parametrize(
    "text",
    [
        "070-123 45 67",
        "0701234567",
        "+46 70 123 45 67",
        "08-123 456 78",
        "036-10 20 30",
        "0046 70 123 45 67",
        "+46 (0)70 123 45 67",
        "0392-123 45",
    ],
)
def test_it_finds_phone_numbers(text):
    assert kinds(f"Ring {text} efter lunch") == [("phone", text)]


def test_it_finds_email_addresses():
    assert kinds("Mejla anna.svensson@mullsjo.se!") == [("email", "anna.svensson@mullsjo.se")]


@pytest.mark.parametrize(
    "text", ["Storgatan 12", "Per Brahes väg 3B", "Nya vägen 14", "Industrigatan 7A"]
)
def test_it_finds_street_addresses_with_a_number(text):
    assert kinds(f"Det hände på {text} i går.") == [("address", text)]


@pytest.mark.parametrize(
    "text",
    [
        "Mötet är 2024-05-06 kl 07.25.",
        "Det kostar 1 234 kr.",
        "Postnummer 565 31 Mullsjö.",
        "Diarienummer 5000-K123456-24.",
        "Bussen går 07:38.",
        "Ärende 2023/456 gällde 12 personer.",
        "Vi gick på vägen 3 gånger.",
        "Ring 112 vid nödläge.",
        "Plan 2 i huset.",
        "Storgatan har fått ny belysning.",
    ],
)
def test_it_leaves_look_alikes_alone(text):
    assert kinds(text) == []


def test_it_redacts_every_hit():
    text = "Ring 070-123 45 67 eller mejla a@b.se, pnr 811218-9876."
    assert redact(text) == "Ring […] eller mejla […], pnr […]."


def test_the_command_prints_one_json_object_per_line(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("Inget här\nRing 070-123 45 67\n", encoding="utf-8")
    out = StringIO()
    call_command("scan_personal_data", str(path), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"line": 1, "hits": []},
        {"line": 2, "hits": [{"kind": "phone", "start": 5, "end": 18}]},
    ]


def test_the_command_refuses_non_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Göteborg".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("scan_personal_data", str(path), stdout=StringIO())
