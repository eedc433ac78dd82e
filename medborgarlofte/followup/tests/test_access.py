"""Every internal follow-up URL, every persona (the driver: accounts/tests/access_matrix.py)."""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.followup.models import Activity, FollowUp, IndicatorValue

# name: (method, kind of arguments, rule[, POST data])
ACCESS = {
    "followup:municipality": ("get", "code", "read"),
    "followup:year": ("get", "year", "read"),
    "followup:activities": ("get", "year", "read"),
    "followup:add-activity": (
        "post",
        "year",
        "write",
        {"commitment_ref": "m24-09", "date": "2024-03-01", "party_kind": "police", "title": "x"},
    ),
    "followup:import-activities": ("post", "year", "write"),
    "followup:delete-activity": ("post", "activity", "write"),
    "followup:add-evidence": ("post", "activity", "write"),
    "followup:download-evidence": ("get", "evidence", "read"),
    "followup:indicator": ("get", "indicator", "read"),
    "followup:add-indicator-value": (
        "post",
        "indicator",
        "write",
        {"date": "2024-03-01", "value": "5"},
    ),
    "followup:set-indicator-source": (
        "post",
        "indicator",
        "write",
        {"source_kind": "activities", "source_detail": "activities:"},
    ),
    "followup:report": ("get", "year", "read"),
    "followup:report-pdf": ("get", "year", "read"),
    "followup:followup": ("get", "period", "read"),
    "followup:save-followup": ("post", "period", "write", {"status_m24-01": "done"}),
    "followup:approve-followup": ("post", "period", "write"),
    "followup:publish-followup": ("post", "period", "write"),
    # the user's own to-do list and e-mail setting: no kommun in the address
    "followup:todo": ("get", "none", "any"),
    "followup:todo-digest": ("post", "none", "any"),
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


class TestAccess(AccessMatrix):
    namespace = "followup"
    table = ACCESS
    pdf = frozenset({"followup:report-pdf"})

    def url(self, name, kind, world, user):
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

    def state(self):
        return (
            sorted(Activity.objects.values_list("pk", "title")),
            IndicatorValue.objects.count(),
            sorted(FollowUp.objects.values_list("pk", "status", "updated_at")),
        )


def test_it_serves_evidence_as_an_attachment_that_is_not_sniffed(client, world, reader):
    client.force_login(reader)
    response = client.get(
        reverse("followup:download-evidence", args=["0642", 2024, world["evidence"].pk])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
