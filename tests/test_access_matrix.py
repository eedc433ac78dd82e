"""Every internal URL, every persona.

The table below lists each URL name of the internal apps with how to fill its
arguments. A URL pattern missing from the table fails the suite, so a new view
cannot land without an access decision and a test of it.

Personas (conftest.py): Mullsjö coordinator and the LPO's kommunpolis are allowed;
a reader of Mullsjö may read but not write (403 on writes); the coordinator of
another kommun gets 404; anonymous visitors are sent to the login page.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import AgreementVersion, Status

INTERNAL_NAMESPACES = {"agreements"}

# name: (method, kind of arguments, reader may do it)
TABLE = {
    "agreements:dashboard": ("get", "none", True),
    "agreements:municipality": ("get", "code", True),
    "agreements:upload-agreement": ("get", "code", False),
    "agreements:audit-log": ("get", "code", False),
    "agreements:agreement": ("get", "agreement", True),
    "agreements:new-version": ("post", "agreement", False),
    "agreements:history": ("get", "agreement", True),
    "agreements:version": ("get", "version", True),
    "agreements:download-version": ("get", "download", True),
    "agreements:update-details": ("post", "version", False),
    "agreements:add-focus-area": ("post", "version", False),
    "agreements:delete-focus-area": ("post", "focus_area", False),
    "agreements:add-crime-category": ("post", "version", False),
    "agreements:delete-crime-category": ("post", "crime_category", False),
    "agreements:add-section": ("post", "version", False),
    "agreements:update-section": ("post", "section", False),
    "agreements:add-commitment": ("post", "section", False),
    "agreements:update-commitment": ("post", "commitment", False),
    "agreements:add-indicator": ("post", "commitment", False),
    "agreements:delete-indicator": ("post", "indicator", False),
    "agreements:undo-delete": ("post", "version", False),
    "agreements:approve": ("post", "version", False),
    "agreements:publish": ("post", "version", False),
    "agreements:apply-priorities": ("post", "version", False),
    "agreements:link-problems": ("post", "commitment", False),
    # issue 14: next year's promise and the general part in the browser
    "agreements:copy-agreement": ("post", "agreement", False),
    "agreements:drop-commitment": ("post", "commitment", False),
    "agreements:update-focus-area": ("post", "focus_area", False),
    "agreements:update-crime-category": ("post", "crime_category", False),
    "agreements:add-party": ("post", "version", False),
    "agreements:update-party": ("post", "party", False),
    "agreements:add-signatory": ("post", "version", False),
    "agreements:update-signatory": ("post", "signatory", False),
    "agreements:add-basis-item": ("post", "version", False),
    "agreements:update-basis-item": ("post", "basis", False),
}


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


# Namespaces that are public by design (published, aggregated data only; or the login).
PUBLIC_NAMESPACES = {"publicsite", "accounts", "admin"}


def _app_tables() -> dict:
    """ACCESS tables of the other apps: medborgarlofte/<app>/tests/test_access.py."""
    import importlib
    from pathlib import Path

    rows = {}
    package = Path(__file__).resolve().parent.parent / "medborgarlofte"
    for path in sorted(package.glob("*/tests/test_access.py")):
        module = importlib.import_module(
            f"medborgarlofte.{path.parent.parent.name}.tests.test_access"
        )
        rows.update(module.ACCESS)
    return rows


def test_it_has_an_access_row_for_every_internal_url():
    internal = {n for n in _names() if n.split(":")[0] in INTERNAL_NAMESPACES}
    assert internal - TABLE.keys() == set(), "internal URLs without an access decision"
    assert TABLE.keys() - internal == set(), "access rows for URLs that no longer exist"


def test_it_has_an_access_decision_for_every_url_of_every_app():
    """Every named URL is public by design, or has a row in an access table with tests."""
    known = TABLE.keys() | API_TABLE.keys() | _app_tables().keys()
    undecided = sorted(
        name
        for name in _names()
        if ":" in name
        and name.split(":")[0] not in PUBLIC_NAMESPACES
        and not name.split(":")[0].endswith("_public")
        and name not in known
    )
    assert undecided == [], "URLs without an access decision (add them to an ACCESS table)"


@pytest.fixture
def draft_version(db, coordinator, mullsjo_document):
    result = import_agreement_document(mullsjo_document, user=coordinator)
    version = result.version
    assert version.status == Status.DRAFT
    commitment = version.commitments.first()
    commitment.indicators.create(municipality=version.municipality, title="Test", kind="output")
    return version


def _url(name, kind, version):
    agreement = version.agreement
    section = version.sections.first()
    commitment = version.commitments.first()
    args = {
        "none": [],
        "code": [version.municipality.code],
        "agreement": [agreement.pk],
        "version": [agreement.pk, version.number],
        "download": [agreement.pk, version.number, "yaml"],
        "focus_area": [agreement.pk, version.number, version.focus_areas.first().pk],
        "crime_category": [agreement.pk, version.number, version.crime_categories.first().pk],
        "section": [agreement.pk, version.number, section.pk],
        "commitment": [agreement.pk, version.number, commitment.pk],
        "indicator": [agreement.pk, version.number, commitment.indicators.first().pk],
        "party": [agreement.pk, version.number, version.parties.first().pk],
        "signatory": [agreement.pk, version.number, version.signatories.first().pk],
        "basis": [agreement.pk, version.number, version.basis.first().pk],
    }[kind]
    return reverse(name, args=args)


def _state():
    return sorted(AgreementVersion.objects.values_list("pk", "status", "title", "updated_at"))


@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_sends_anonymous_visitors_to_login(client, draft_version, name):
    method, kind, _reader = TABLE[name]
    response = getattr(client, method)(_url(name, kind, draft_version))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", sorted(n for n, row in TABLE.items() if row[1] != "none"))
def test_it_answers_404_to_a_coordinator_of_another_kommun(
    client, draft_version, other_coordinator, name
):
    method, kind, _reader = TABLE[name]
    client.force_login(other_coordinator)
    before = _state()
    response = getattr(client, method)(_url(name, kind, draft_version))
    assert response.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("persona", ["coordinator", "police"])
@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_lets_coordinator_and_police_in(client, draft_version, request, persona, name):
    method, kind, _reader = TABLE[name]
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(_url(name, kind, draft_version))
    assert response.status_code in {200, 302}, response.content[:500]


@pytest.mark.parametrize("name", sorted(TABLE))
def test_it_lets_a_reader_read_but_not_write(client, draft_version, reader, name):
    method, kind, reader_allowed = TABLE[name]
    client.force_login(reader)
    before = _state()
    response = getattr(client, method)(_url(name, kind, draft_version))
    if reader_allowed:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code == 403
    assert _state() == before


def test_views_never_query_tenant_models_directly():
    """Views fetch tenant data through accounts.access only (a grep, as the house rules say)."""
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "medborgarlofte"
    offenders = []
    for path in package.glob("*/views.py"):
        text = path.read_text(encoding="utf-8")
        for model in (
            "Agreement",
            "AgreementVersion",
            "Commitment",
            "Section",
            "AuditEntry",
            "Membership",
        ):
            if f"{model}.objects" in text:
                offenders.append(f"{path.relative_to(package)}: {model}.objects")
    assert offenders == []


# --- The JSON API -----------------------------------------------------------------------

# name: (method, arguments, anonymous, reader, coordinator of another kommun)
API_TABLE = {
    "api:list-agreements": ("get", "none", 401, 200, 200),
    "api:agreement-document": ("get", "year", 401, 200, 404),
    "api:import-agreement": ("post", "none", 401, 403, 404),
    "api:public-agreement-document": ("get", "year", 404, 404, 404),  # nothing published yet
}


def test_it_has_an_access_row_for_every_api_url():
    assert {n for n in _names() if n.startswith("api:")} == API_TABLE.keys()


def _api_call(client, name, version, mullsjo_document):
    method, kind = API_TABLE[name][:2]
    args = [] if kind == "none" else [version.municipality.code, version.agreement.year]
    url = reverse(name, args=args)
    if method == "post":
        import json

        return client.post(url, json.dumps(mullsjo_document), content_type="application/json")
    return client.get(url)


@pytest.mark.parametrize("name", sorted(API_TABLE))
@pytest.mark.parametrize("persona", ["anonymous", "reader", "other_coordinator"])
def test_it_answers_each_api_persona(
    client, draft_version, mullsjo_document, request, name, persona
):
    expected = dict(
        zip(["anonymous", "reader", "other_coordinator"], API_TABLE[name][2:], strict=True)
    )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before = _state()
    response = _api_call(client, name, draft_version, mullsjo_document)
    assert response.status_code == expected[persona]
    assert _state() == before
    if persona == "other_coordinator" and name == "api:list-agreements":
        assert response.json()["agreements"] == []


@pytest.mark.parametrize("persona", ["coordinator", "police"])
@pytest.mark.parametrize("name", sorted(set(API_TABLE) - {"api:public-agreement-document"}))
def test_it_lets_coordinator_and_police_use_the_api(
    client, draft_version, mullsjo_document, request, persona, name
):
    client.force_login(request.getfixturevalue(persona))
    response = _api_call(client, name, draft_version, mullsjo_document)
    assert response.status_code == 200, response.content[:300]
