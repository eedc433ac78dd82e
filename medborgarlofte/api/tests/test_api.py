"""The JSON API: personas, tenant isolation, errors as JSON, the public endpoint."""

import json

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse

from medborgarlofte.accounts.models import AuditEntry
from medborgarlofte.agreements import models as m
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.tests.fixtures.documents import full, minimal, row_counts

LIST = reverse("api:list-agreements")
IMPORT = reverse("api:import-agreement")


def document_url(code="0642", year=2024, **query):
    url = reverse("api:agreement-document", args=[code, year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def public_url(code="0642", year=2024):
    return reverse("api:public-agreement-document", args=[code, year])


def english(client: Client) -> Client:
    """Assertions read the English message ids; Swedish is the default (checked below)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(user, **kwargs) -> Client:
    client = english(Client(**kwargs))
    client.force_login(user)
    return client


def post_json(client, doc, **query):
    url = IMPORT + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(
        url, data=json.dumps(doc, ensure_ascii=False).encode(), content_type="application/json"
    )


def publish(version):
    version.status = m.Status.PUBLISHED
    version.save()


@pytest.fixture
def agreements(db):
    """Mullsjö 2024 (published v1 + draft v2), Habo 2024 (draft), Jönköping 2024 (draft)."""
    mullsjo = import_agreement_document(full()).version
    publish(mullsjo)
    import_agreement_document(full(effects="Utkast."))
    import_agreement_document(minimal(municipality="0643"))
    import_agreement_document(minimal(municipality="0680"))
    return mullsjo


def test_it_answers_401_json_to_anonymous_callers(agreements):
    client = english(Client(enforce_csrf_checks=True))
    for response in (
        client.get(LIST),
        client.get(document_url()),
        client.post(IMPORT, data="{}", content_type="application/json"),
    ):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "error" in response.json()
        assert "Location" not in response


@pytest.mark.parametrize(
    "persona, codes",
    [
        ("coordinator", ["0642"]),
        ("police", ["0642", "0643"]),
        ("reader", ["0642"]),
        ("other_coordinator", ["0680"]),
    ],
)
def test_it_lists_only_the_users_kommuner(agreements, request, persona, codes):
    response = logged_in(request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 200
    items = response.json()["agreements"]
    assert sorted(item["municipality"] for item in items) == codes
    if "0642" in codes:
        mullsjo = next(item for item in items if item["municipality"] == "0642")
        assert mullsjo == {
            "municipality": "0642",
            "municipality_name": "Mullsjö",
            "year": 2024,
            "period": {"start": "2024-01-01", "end": "2025-12-31"},
            "latest_version": {"number": 2, "status": "draft"},
            "published_version": 1,
            "url": "/api/v1/agreements/0642/2024/",
        }


@pytest.mark.parametrize("persona", ["coordinator", "police", "reader"])
def test_members_get_the_latest_document_or_a_chosen_version(agreements, request, persona):
    client = logged_in(request.getfixturevalue(persona))
    latest = client.get(document_url())
    assert latest.status_code == 200
    assert latest["X-Agreement-Version"] == "2"
    assert latest.json()["effects"] == "Utkast."
    first = client.get(document_url(version=1))
    assert (first["X-Agreement-Status"], first.json()["effects"]) == ("published", "Ökad trygghet.")
    as_yaml = client.get(document_url(format="yaml"))
    assert as_yaml["Content-Type"] == "application/yaml; charset=utf-8"
    assert yaml.safe_load(as_yaml.content)["effects"] == "Utkast."
    assert client.get(document_url(version=9)).status_code == 404
    assert client.get(document_url(version="x")).status_code == 400
    assert client.get(document_url(year=2031)).status_code == 404


def test_other_kommuner_answer_404_like_unknown_ones(agreements, other_coordinator):
    client = logged_in(other_coordinator)
    hidden = client.get(document_url("0642"))
    missing = client.get(document_url("9999"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert client.get(document_url("0680")).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "police"])
def test_editors_import_json(db, request, persona):
    user = request.getfixturevalue(persona)
    client = logged_in(user)
    response = post_json(client, full())
    assert response.status_code == 201
    body = response.json()
    assert (body["action"], body["version"], body["municipality"], body["year"]) == (
        "created",
        1,
        "0642",
        2024,
    )
    assert body["counts"]["commitments"] == 3
    assert body["url"] == "/api/v1/agreements/0642/2024/"
    assert AuditEntry.objects.get(action="import_agreement").actor == user
    again = post_json(client, full())
    assert (again.status_code, again.json()["action"]) == (200, "unchanged")


def test_it_imports_yaml(coordinator):
    text = yaml.safe_dump(full(), allow_unicode=True, sort_keys=False)
    response = logged_in(coordinator).post(
        IMPORT, data=text.encode(), content_type="application/yaml"
    )
    assert response.status_code == 201
    assert m.Commitment.objects.count() == 3


def test_a_dry_run_saves_nothing(coordinator):
    before = row_counts()
    response = post_json(logged_in(coordinator), full(), dry_run=1)
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert response.json()["summary"][0] == "Dry run: nothing was saved."
    assert row_counts() == before


def test_readers_may_not_import(agreements, reader):
    before = row_counts()
    response = post_json(logged_in(reader), full(effects="Läsaren ändrar."))
    assert response.status_code == 403
    assert response.json()["error"]
    assert row_counts() == before


def test_other_kommuners_coordinators_get_404_on_import(agreements, other_coordinator):
    before = row_counts()
    response = post_json(logged_in(other_coordinator), full(effects="Fel kommun."))
    assert response.status_code == 404
    assert row_counts() == before


def test_invalid_documents_answer_400_with_paths(agreements, coordinator):
    doc = full()
    doc["sections"][0]["commitments"][1]["owners"] = ["polis"]
    doc["period"]["end"] = "2023-01-01"
    before = row_counts()
    response = post_json(logged_in(coordinator), doc)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["path"] for e in errors] == ["period.end", "sections[0].commitments[1].owners[0]"]
    assert errors[1]["message"] == 'unknown party "polis" (declared parties: polisen, kommunen)'
    assert row_counts() == before


@pytest.mark.parametrize(
    "body, content_type, status, words",
    [
        (b"a: &x 1\nb: *x\n", "application/yaml", 400, "anchors and aliases"),
        (b'{"format": ', "application/json", 400, "JSON error at line 1"),
        (b"\xff\xfe", "application/json", 400, "not UTF-8"),
        (b"format: x\n", "text/plain", 415, "application/json or application/yaml"),
    ],
)
def test_it_refuses_unreadable_bodies(coordinator, body, content_type, status, words):
    response = logged_in(coordinator).post(IMPORT, data=body, content_type=content_type)
    assert response.status_code == status
    assert words in json.dumps(response.json(), ensure_ascii=False)


def test_it_refuses_large_bodies_before_reading_them(coordinator, settings):
    settings.MAX_AGREEMENT_UPLOAD_BYTES = 100
    response = logged_in(coordinator).post(IMPORT, data=b"#" * 101, content_type="application/yaml")
    assert response.status_code == 413


def test_it_requires_the_csrf_token_for_session_posts(coordinator):
    client = logged_in(coordinator, enforce_csrf_checks=True)
    refused = post_json(client, full())
    assert refused.status_code == 403
    assert "X-CSRFToken" in refused.json()["error"]
    assert m.Agreement.objects.count() == 0
    client.get(LIST)  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        IMPORT,
        data=json.dumps(full()),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_get_is_not_allowed_on_import(coordinator):
    assert logged_in(coordinator).get(IMPORT).status_code == 405


def test_the_public_endpoint_shows_only_published_versions(agreements):
    client = Client()
    response = client.get(public_url())
    assert response.status_code == 200
    assert response["X-Agreement-Version"] == "1"
    assert response.json()["effects"] == "Ökad trygghet."  # not the newer draft
    assert client.get(public_url() + "?version=1").status_code == 200
    assert client.get(public_url() + "?version=2").status_code == 404  # the draft
    assert client.get(public_url("0643")).status_code == 404  # only a draft
    assert client.get(public_url("0642", 2031)).status_code == 404


def test_the_public_endpoint_follows_the_newest_published_version(agreements, coordinator):
    draft = m.AgreementVersion.objects.get(municipality__code="0642", number=2)
    publish(draft)
    response = logged_in(coordinator).get(public_url())
    assert (response.status_code, response.json()["effects"]) == (200, "Utkast.")


def test_errors_are_swedish_by_default(agreements, coordinator):
    doc = full()
    doc["sections"][0]["commitments"][1]["owners"] = ["polis"]
    client = Client()
    client.force_login(coordinator)
    response = post_json(client, doc)
    assert response.status_code == 400
    assert response["Content-Language"] == "sv"
    error = response.json()["errors"][0]
    assert error["path"] == "sections[0].commitments[1].owners[0]"
    assert '"polis"' in error["message"] and "unknown party" not in error["message"]
    assert "Log in" not in Client().get(LIST).json()["error"]
