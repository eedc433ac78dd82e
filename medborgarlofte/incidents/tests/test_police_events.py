"""Importing Polisen's events API responses: the real sample and the known gotchas."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from medborgarlofte.incidents.models import PoliceEvent, PoliceImportRun
from medborgarlofte.incidents.police_events import (
    PoliceEventsError,
    import_events,
    occurred_at,
    parse_datetime,
    parse_events,
)

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "polisen_events_sample.json"


def event(**overrides):
    data = {
        "id": 588172,
        "datetime": "2025-06-07 7:32:06 +02:00",
        "name": "06 juni 18.50, Trafikbrott, Kungsör",
        "summary": "Bilist misstänks för brott.",
        "url": "/aktuellt/handelser/2025/juni/6/06-juni-18.50-trafikbrott-kungsor/",
        "type": "Trafikbrott",
        "location": {"name": "Kungsör", "gps": "59.422397,16.097786"},
    }
    data.update(overrides)
    return data


def dump(*events) -> bytes:
    return json.dumps(list(events), ensure_ascii=False).encode()


def test_it_parses_an_hour_without_zero_padding():
    value = parse_datetime("2025-06-07 7:32:06 +02:00")
    assert (value.hour, value.minute, value.utcoffset().total_seconds()) == (7, 32, 7200)


def test_it_reads_the_time_in_the_name_with_colon_and_with_dot():
    published = parse_datetime("2023-06-15 7:39:42 +02:00")
    old = occurred_at(
        "15 juni 07:38, Trafikolycka, vilt, Torsby",
        "/aktuellt/handelser/2023/juni/15/x/",
        published,
    )
    new = occurred_at(
        "06 juni 18.50, Trafikbrott, Kungsör", "/aktuellt/handelser/2025/juni/6/x/", published
    )
    assert (old.year, old.month, old.day, old.hour, old.minute) == (2023, 6, 15, 7, 38)
    assert (new.year, new.month, new.day, new.hour, new.minute) == (2025, 6, 6, 18, 50)


def test_it_takes_the_year_before_for_a_december_name_published_in_january():
    published = parse_datetime("2026-01-01 0:12:00 +01:00")
    value = occurred_at("31 december 23.40, Brand, Habo", "", published)
    assert value.year == 2025


@pytest.mark.django_db
def test_it_imports_the_real_sample_and_counts_by_kommun():
    result = import_events(SAMPLE.read_bytes(), source="sample")
    assert result.rows == 500
    assert result.imported == 500
    assert result.duplicates == 0
    assert result.summaries == 74
    assert PoliceEvent.objects.count() == 500
    assert result.by_kommun["0180"] == 33  # Stockholm
    assert (
        result.by_kommun["0680"]
        == PoliceEvent.objects.filter(municipality__code="0680", is_summary=False).count()
    )
    assert (
        sum(result.by_kommun.values())
        + result.without_kommun
        + sum(1 for e in PoliceEvent.objects.filter(is_summary=True, municipality__isnull=False))
        == 500
    )
    assert (
        not PoliceEvent.objects.filter(type="Trafikolycka, vilt", municipality__isnull=True)
        .filter(location_name="Torsby")
        .exists()
    )


@pytest.mark.django_db
def test_it_adds_nothing_when_the_same_file_is_imported_twice():
    data = SAMPLE.read_bytes()
    import_events(data, source="sample")
    runs = PoliceImportRun.objects.count()
    again = import_events(data, source="sample")
    assert (again.imported, again.duplicates) == (0, 500)
    assert PoliceEvent.objects.count() == 500
    assert PoliceImportRun.objects.count() == runs


@pytest.mark.django_db
def test_it_deduplicates_by_id_inside_one_file():
    result = import_events(dump(event(), event(summary="uppdaterad")), source="x")
    assert (result.imported, result.duplicates) == (1, 1)


@pytest.mark.django_db
def test_it_finds_the_kommun_in_the_name_when_the_location_is_the_county():
    data = dump(
        event(
            id=650297,
            datetime="2026-08-22 18:05:00 +02:00",
            name="22 augusti 17.59, Misshandel, grov, Kävlinge",
            type="Misshandel, grov",
            url="/aktuellt/handelser/2026/augusti/22/22-augusti-17.59-misshandel-grov-kavlinge/",
            location={"name": "Skåne län", "gps": "55.99,13.59"},
        )
    )
    result = import_events(data, source="2026")
    stored = PoliceEvent.objects.get(event_id=650297)
    assert stored.municipality.code == "1261"
    assert stored.county.code == "12"
    assert stored.type == "Misshandel, grov"
    assert result.by_kommun == {"1261": 1}


@pytest.mark.django_db
def test_it_matches_kommun_names_in_another_case():
    data = dump(
        event(
            name="06 juni 18.50, Trafikbrott, Upplands väsby",
            location={"name": "Upplands väsby", "gps": "1,1"},
        )
    )
    import_events(data, source="x")
    assert PoliceEvent.objects.get().municipality.name == "Upplands Väsby"


@pytest.mark.django_db
def test_it_keeps_summaries_but_never_counts_them_for_a_kommun():
    data = dump(
        event(
            id=1,
            type="Sammanfattning natt",
            name="14 juni 07:39, Sammanfattning natt, Jönköpings län",
            location={"name": "Jönköpings län", "gps": "1,1"},
        ),
        event(
            id=2,
            type="Sammanfattning kväll och natt",
            name="14 juni 07:39, Sammanfattning kväll och natt, Jönköping",
            location={"name": "Jönköping", "gps": "1,1"},
        ),
    )
    result = import_events(data, source="x")
    assert result.by_kommun == {}
    assert result.summaries == 2
    assert PoliceEvent.objects.filter(is_summary=True).count() == 2


@pytest.mark.django_db
def test_it_leaves_a_county_event_with_an_empty_place_without_kommun():
    data = dump(
        event(
            name="20 juni 16.00, Brand, ",
            type="Brand",
            location={"name": "Skåne län", "gps": "1,1"},
        )
    )
    result = import_events(data, source="x")
    assert result.without_kommun == 1
    assert PoliceEvent.objects.get().county.code == "12"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, where",
    [
        (b"", "1:1"),
        (SAMPLE.read_bytes()[:5000], ":"),
        (b'{"id": 1}', "1:1"),
        (dump(event(id="588172")), "[0].id"),
        (dump({k: v for k, v in event().items() if k != "name"}), "[0].name"),
        (dump(event(location="Kungsör")), "[0].location.name"),
        (dump(event(datetime="7 juni 2025")), "[0].datetime"),
    ],
    ids=[
        "empty",
        "truncated",
        "object",
        "id-as-string",
        "missing-name",
        "flat-location",
        "bad-datetime",
    ],
)
def test_it_refuses_a_broken_file_with_the_place_of_the_error_and_changes_nothing(data, where):
    with pytest.raises(PoliceEventsError) as caught:
        parse_events(data, "broken.json")
    assert any(where in place for place, _message in caught.value.places())
    with pytest.raises(PoliceEventsError):
        import_events(data, source="broken.json")
    assert PoliceEvent.objects.count() == 0
    assert PoliceImportRun.objects.count() == 0


@pytest.mark.django_db
def test_it_collects_every_error_of_a_file_before_refusing_it():
    with pytest.raises(PoliceEventsError) as caught:
        parse_events(dump(event(), event(id=None), event(type=3)), "x")
    assert [p for p, _m in caught.value.places()] == ["[1].id", "[2].type"]


@pytest.mark.django_db
def test_the_command_prints_a_json_summary(tmp_path):
    out = StringIO()
    call_command("import_police_events", str(SAMPLE), "--format", "json", stdout=out)
    summary = json.loads(out.getvalue())
    assert {"imported", "duplicates", "without_kommun", "by_kommun"} <= summary.keys()
    assert summary["imported"] == 500
    assert summary["by_kommun"]["0680"] >= 1


@pytest.mark.django_db
def test_the_command_previews_with_dry_run_and_reports_broken_files(tmp_path):
    out = StringIO()
    call_command("import_police_events", str(SAMPLE), "--dry-run", stdout=out)
    assert PoliceEvent.objects.count() == 0
    broken = tmp_path / "broken.json"
    broken.write_bytes(SAMPLE.read_bytes()[:300])
    with pytest.raises(CommandError, match="broken.json"):
        call_command("import_police_events", str(broken))
