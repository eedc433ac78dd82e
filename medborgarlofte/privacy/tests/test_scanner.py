import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from medborgarlofte.privacy.scanner import (
    KIND_LABELS,
    KINDS,
    REDACTION,
    REPLACEMENTS,
    luhn_ok,
    redact,
    scan,
)


def kinds(text):
    return [(hit.kind, hit.text) for hit in scan(text)]


@pytest.mark.parametrize(
    "text",
    [
        "19811218-9876",
        "811218-9876",
        "8112189876",
        "198112189876",
        "811218+9876",
        "20811218-9876",
        "811218 9876",
        "19811218 9876",
        "460506 6424",
    ],
)
def test_it_finds_personnummer_in_every_written_form(text):
    assert kinds(f"Mitt nummer är {text}.") == [("personnummer", text)]


@pytest.mark.parametrize("text", ["751073 2626", "19751073 2626", "751073-2626", "7510732626"])
def test_spaced_and_unseparated_samordningsnummer_are_not_phone_numbers(text):
    assert kinds(f"Han har {text} på kortet.") == [("samordningsnummer", text)]


def test_a_spaced_personnummer_starting_with_zero_is_not_a_phone_number():
    assert kinds("Född 050506 1234.") == [("personnummer", "050506 1234")]


def test_it_checks_the_luhn_digit():
    assert luhn_ok("8112189876")
    assert not luhn_ok("8112189875")
    assert kinds("Fel kontrollsiffra 811218-9875 här") == [("possible_personnummer", "811218-9875")]


@pytest.mark.parametrize("text", ["811218-9875", "19811218-9875", "811218 9875", "811278-9872"])
def test_a_date_valid_number_with_a_wrong_check_digit_is_a_possible_personnummer(text):
    assert kinds(f"Nummer {text} på lappen") == [("possible_personnummer", text)]


@pytest.mark.parametrize(
    "text",
    [
        "Ordernummer 811218-9875 gäller lamporna.",  # a reference, says the text
        "Organisationsnummer 212000-1835 står på fakturan.",  # month 20: not a date
        "Org.nr 556016-0680.",
        "Nummer 8112189875 på lappen.",  # no separator and no person cue
    ],
)
def test_reference_numbers_are_not_possible_personnummer(text):
    assert kinds(text) == []


def test_a_wrong_check_digit_without_separator_is_flagged_after_a_person_cue():
    assert kinds("Personnummer 8112189875") == [("possible_personnummer", "8112189875")]


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
    "text",
    [
        "Storgatan 12",
        "Per Brahes väg 3B",
        "Nya vägen 14",
        "Industrigatan 7A",
        "Kyrkplan 3",
        "Torggatan 4-13",
        "Storgatan 1024",
    ],
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
        # Plans and documents named by year (written before the scanner was changed).
        "Åtgärdsplan 2024–2026 beslutades i kommunstyrelsen.",
        "Enligt Handlingsplan 2025 ska parken rustas.",
        "Trygghetsplan 2024-2027 gäller för hela kommunen.",
        "Översiktsplan 2030 pekar ut centrum.",
        "Verksamhetsplan 2026 tar upp fritidsgården.",
        "Stationsgatan 2024–2026 byggs om.",
    ],
)
def test_it_leaves_look_alikes_alone(text):
    assert kinds(text) == []


def test_it_redacts_every_hit_with_a_replacement_per_kind():
    text = "Ring 070-123 45 67 eller mejla a@b.se, pnr 811218-9876, grannen Sven Karlsson."
    assert redact(text) == (
        "Ring [telefonnummer] eller mejla [e-postadress], pnr [personnummer], grannen [namn]."
    )
    assert redact(text, replacement=REDACTION) == "Ring […] eller mejla […], pnr […], grannen […]."


def test_every_kind_has_a_label_and_a_replacement():
    assert set(KIND_LABELS) == set(KINDS) == set(REPLACEMENTS)
    assert scan("Ring 070-123 45 67")[0].replacement == "[telefonnummer]"
    with translation.override("sv"):
        assert str(KIND_LABELS["name"]) == "namn"
        assert str(KIND_LABELS["possible_personnummer"]) == "möjligt personnummer"
        assert str(KIND_LABELS["phone"]) == "telefonnummer"
        assert str(scan("grannen Sven")[0].label) == "namn"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Grannen Sven Karlsson på Storgatan 5 säljer knark.", "Sven Karlsson"),
        ("Kalle Andersson sprejade klotter.", "Kalle Andersson"),
        ("kontakt rektor Anna Svensson 070-123 45 67", "Anna Svensson"),
        ("Vi pratade med Anna-Karin Svensson-Berg i går.", "Anna-Karin Svensson-Berg"),
        ("Det var Örjan Åström som ringde.", "Örjan Åström"),
        ("Ingrid Bergströms hund blev skrämd.", "Ingrid Bergströms"),
        ("Rektor Anna har lovat svar.", "Anna"),
        ("grannen Sven har sett bilen", "Sven"),
        ("min son Kalle blev slagen", "Kalle"),
        ("Kalle (14 år) blev rånad.", "Kalle"),
        ("Björn sa att han såg dem.", "Björn"),
        ("Jag var där med Kalle hela kvällen.", "Kalle"),
        ("Per Holm har anmält inbrottet.", "Per Holm"),
    ],
)
def test_it_finds_names(text, name):
    assert [t for k, t in kinds(text) if k == "name"] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Storgatan har fått ny belysning.",
        "Många i Mullsjö är oroliga.",
        "Röda korset och Svenska kyrkan ordnar nattvandring.",
        "Det är stökigt utanför Ica Kvantum.",
        "Polisen och Socialtjänsten samverkar med Fritidsgården.",
        "Per person blir det 200 kr.",
        "Bo i området har blivit otryggare.",
        "Berg och dal hela vägen.",
        "Ek och björk har planterats.",
        "Sten kastades mot bussen.",
        "Maj och juni är värst.",
        "Hans bil blev repad vid Willys.",
        "Det ligger glas på Per Brahes väg.",
        "Nora kommun har samma problem.",
        "Polisen Syd har ett nytt kontor.",
    ],
)
def test_places_organisations_and_common_words_are_not_names(text):
    assert kinds(text) == []


def test_the_caller_can_name_places_that_are_not_people():
    text = "Det var lugnt i Sandhem och Klara i helgen."
    assert [k for k, _ in kinds(text)] == ["name"]  # Klara mid-sentence: a person
    assert scan(text, places=("Klara", "Sandhem")) == []
    # but the context of a person wins: "grannen Klara"
    assert [h.text for h in scan("grannen Klara sa det", places=("Klara",))] == ["Klara"]


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
