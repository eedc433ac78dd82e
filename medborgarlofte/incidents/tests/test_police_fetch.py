"""fetch_police_events without network: the HTTP function and the sleep are injected."""

import json
import socket

import pytest

from medborgarlofte.incidents.models import PoliceEvent
from medborgarlofte.incidents.police_fetch import MIN_INTERVAL, FetchError, fetch_police_events


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def body(event_id, place="Mullsjö"):
    return json.dumps(
        [
            {
                "id": event_id,
                "datetime": "2026-03-02 9:01:00 +01:00",
                "name": f"02 mars 08.40, Skadegörelse, {place}",
                "summary": "Krossad ruta.",
                "url": "/aktuellt/handelser/2026/mars/2/x/",
                "type": "Skadegörelse",
                "location": {"name": "Jönköpings län", "gps": "57.37,14.34"},
            }
        ]
    ).encode()


@pytest.mark.django_db
def test_it_asks_for_the_county_sends_a_user_agent_and_waits_between_calls():
    calls, sleeps = [], []

    def fake_fetch(url, headers):
        calls.append((url, headers))
        return 200, body(len(calls), "Mullsjö" if len(calls) == 1 else "Kungsör")

    outcome = fetch_police_events(["0642", "0484"], fetch=fake_fetch, sleep=sleeps.append)
    assert len(calls) == 2
    assert "J%C3%B6nk%C3%B6pings+l%C3%A4n" in calls[0][0]
    assert all("Medborgarlofte" in headers["User-Agent"] for _u, headers in calls)
    assert len(sleeps) == 1 and sleeps[0] > MIN_INTERVAL - 1
    assert outcome.results[0].by_kommun == {"0642": 1}
    assert PoliceEvent.objects.count() == 2


@pytest.mark.django_db
def test_it_stops_on_429_and_saves_nothing():
    with pytest.raises(FetchError, match="429"):
        fetch_police_events(["0642"], fetch=lambda url, headers: (429, b""), sleep=lambda s: None)
    assert PoliceEvent.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_an_unknown_kommun():
    with pytest.raises(FetchError):
        fetch_police_events(["9999"], fetch=lambda url, headers: (200, b"[]"), sleep=lambda s: None)
