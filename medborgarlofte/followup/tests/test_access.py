"""Every internal follow-up URL, every persona (see tests/test_access_matrix.py)."""

import pytest
from django.urls import reverse

from medborgarlofte.followup.models import Activity, FollowUp, IndicatorValue

# name: (method, arguments, reader may do it)
ACCESS = {
    "followup:municipality": ("get", "code", True),
    "followup:year": ("get", "year", True),
    "followup:activities": ("get", "year", True),
    "followup:add-activity": ("post", "year", False),
    "followup:import-activities": ("post", "year", False),
    "followup:delete-activity": ("post", "activity", False),
    "followup:add-evidence": ("post", "activity", False),
    "followup:download-evidence": ("get", "evidence", True),
    "followup:indicator": ("get", "indicator", True),
    "followup:add-indicator-value": ("post", "indicator", False),
    "followup:set-indicator-source": ("post", "indicator", False),
    "followup:report": ("get", "year", True),
    "followup:report-pdf": ("get", "year", True),
    "followup:followup": ("get", "period", True),
    "followup:save-followup": ("post", "period", False),
    "followup:approve-followup": ("post", "period", False),
    "followup:publish-followup": ("post", "period", False),
    # the user's own to-do list and e-mail setting: no kommun in the address
    "followup:todo": ("get", "none", True),
    "followup:todo-digest": ("post", "none", True),
}

PDF = b"%PDF-1.4\n%minimal\n"


@pytest.fixture
def world(published, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from medborgarlofte.followup import services

    activity = services.log_activity(
        published,
        coordinator,
        commitment_ref="m24-09",
        date=published.period_start,
        party_kind="police",
        title="Hundsök",
        quantity=1,
        unit="hundsök",
    )
    evidence = services.add_evidence(activity, coordinator, SimpleUploadedFile("a.pdf", PDF))
    return {"agreement": published, "activity": activity, "evidence": evidence}


def _url(name, kind, world):
    base = ["0642", 2024]
    args = {
        "none": [],
        "code": ["0642"],
        "year": base,
        "activity": [*base, world["activity"].pk],
        "evidence": [*base, world["evidence"].pk],
        "indicator": [*base, "m24-17", 0],
        "period": [*base, "t1"],
    }[kind]
    return reverse(name, args=args)


def _data(name):
    if name == "followup:add-activity":
        return {
            "commitment_ref": "m24-09",
            "date": "2024-03-01",
            "party_kind": "police",
            "title": "x",
        }
    if name == "followup:add-indicator-value":
        return {"date": "2024-03-01", "value": "5"}
    if name == "followup:set-indicator-source":
        return {"source_kind": "activities", "source_detail": "activities:"}
    if name == "followup:save-followup":
        return {"status_m24-01": "done"}
    return {}


def _state():
    return (
        sorted(Activity.objects.values_list("pk", "title")),
        IndicatorValue.objects.count(),
        sorted(FollowUp.objects.values_list("pk", "status", "updated_at")),
    )


def _call(client, name, world):
    method, kind, _reader = ACCESS[name]
    return getattr(client, method)(
        _url(name, kind, world), _data(name) if method == "post" else None
    )


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_sends_anonymous_visitors_to_login(client, world, name):
    response = _call(client, name, world)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", sorted(n for n, row in ACCESS.items() if row[1] != "none"))
def test_it_answers_404_to_a_coordinator_of_another_kommun(client, world, other_coordinator, name):
    client.force_login(other_coordinator)
    before = _state()
    assert _call(client, name, world).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["coordinator", "police"])
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_coordinator_and_police_in(client, world, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = _call(client, name, world)
    assert response.status_code in {200, 302}, response.content[:500]


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_it_lets_a_reader_read_but_not_write(client, world, reader, name):
    client.force_login(reader)
    before = _state()
    response = _call(client, name, world)
    if ACCESS[name][2]:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code == 403
    assert _state() == before


def test_it_serves_evidence_as_an_attachment_that_is_not_sniffed(client, world, reader):
    client.force_login(reader)
    response = client.get(_url("followup:download-evidence", "evidence", world))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
