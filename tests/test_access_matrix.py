"""Every URL of the agreements and the JSON API, every persona; every URL has a decision.

The agreements' table (TABLE) and the API's (API_TABLE) are driven by the shared access
matrix, medborgarlofte/accounts/tests/access_matrix.py, like each app's ACCESS table in
medborgarlofte/<app>/tests/test_access.py. A named URL that is neither public by design
nor in one of these tables fails the suite, so a new view cannot land without an access
decision and a test of it.

Personas (conftest.py): Mullsjö's coordinator and the LPO's kommunpolis are allowed; a
reader of Mullsjö may read but not write (403 on writes); the coordinator of another
kommun, a reporter and the operator (staff, no kommun role) get 404; anonymous visitors
are sent to the login page (the API answers 401).
"""

import json

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix, allowed, url_names
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.agreements.models import AgreementVersion, Status

# Everyone's start page; a user with one kommun is sent on to it (the reporter to the
# reports), the kommunpolis of two kommuner and the operator see the list.
DASHBOARD = {
    "coordinator": allowed(302),
    "police": allowed(200),
    "reader": allowed(302),
    "reporter": allowed(302),
    "operator": allowed(200),
    "other_coordinator": allowed(302),
}

# name: (method, kind of arguments, rule of accounts/tests/access_matrix.py)
TABLE = {
    "agreements:dashboard": ("get", "none", DASHBOARD),
    "agreements:municipality": ("get", "code", "read"),
    "agreements:upload-agreement": ("get", "code", "write"),
    "agreements:audit-log": ("get", "code", "write"),
    "agreements:agreement": ("get", "agreement", "read"),
    "agreements:new-version": ("post", "agreement", "write"),
    "agreements:history": ("get", "agreement", "read"),
    "agreements:version": ("get", "version", "read"),
    "agreements:download-version": ("get", "download", "read"),
    "agreements:update-details": ("post", "version", "write"),
    "agreements:add-focus-area": ("post", "version", "write"),
    "agreements:delete-focus-area": ("post", "focus_area", "write"),
    "agreements:add-crime-category": ("post", "version", "write"),
    "agreements:delete-crime-category": ("post", "crime_category", "write"),
    "agreements:add-section": ("post", "version", "write"),
    "agreements:update-section": ("post", "section", "write"),
    "agreements:add-commitment": ("post", "section", "write"),
    "agreements:update-commitment": ("post", "commitment", "write"),
    "agreements:add-indicator": ("post", "commitment", "write"),
    "agreements:delete-indicator": ("post", "indicator", "write"),
    "agreements:undo-delete": ("post", "version", "write"),
    "agreements:approve": ("post", "version", "write"),
    "agreements:publish": ("post", "version", "write"),
    "agreements:apply-priorities": ("post", "version", "write"),
    "agreements:link-problems": ("post", "commitment", "write"),
    # issue 14: next year's promise and the general part in the browser
    "agreements:copy-agreement": ("post", "agreement", "write"),
    "agreements:drop-commitment": ("post", "commitment", "write"),
    "agreements:update-focus-area": ("post", "focus_area", "write"),
    "agreements:update-crime-category": ("post", "crime_category", "write"),
    "agreements:add-party": ("post", "version", "write"),
    "agreements:update-party": ("post", "party", "write"),
    "agreements:add-signatory": ("post", "version", "write"),
    "agreements:update-signatory": ("post", "signatory", "write"),
    "agreements:add-basis-item": ("post", "version", "write"),
    "agreements:update-basis-item": ("post", "basis", "write"),
}

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


def test_it_has_an_access_decision_for_every_url_of_every_app():
    """Every named URL is public by design, or has a row in an access table with tests."""
    known = TABLE.keys() | API_TABLE.keys() | _app_tables().keys()
    undecided = sorted(
        name
        for name in url_names()
        if ":" in name
        and name.split(":")[0] not in PUBLIC_NAMESPACES
        and not name.split(":")[0].endswith("_public")
        and name not in known
    )
    assert undecided == [], "URLs without an access decision (add them to an ACCESS table)"


def test_every_app_table_is_driven_by_the_matrix():
    """Each app's test_access.py runs its ACCESS through an AccessMatrix class."""
    import importlib
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "medborgarlofte"
    undriven = []
    for path in sorted(package.glob("*/tests/test_access.py")):
        module = importlib.import_module(
            f"medborgarlofte.{path.parent.parent.name}.tests.test_access"
        )
        tables = [
            value.table
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, AccessMatrix)
        ]
        if not any(table is module.ACCESS for table in tables):
            undriven.append(str(path.relative_to(package)))
    assert undriven == []


@pytest.fixture
def draft_version(db, coordinator, mullsjo_document):
    result = import_agreement_document(mullsjo_document, user=coordinator)
    version = result.version
    assert version.status == Status.DRAFT
    commitment = version.commitments.first()
    commitment.indicators.create(municipality=version.municipality, title="Test", kind="output")
    return version


def _state():
    return sorted(AgreementVersion.objects.values_list("pk", "status", "title", "updated_at"))


class TestAccess(AccessMatrix):
    namespace = "agreements"
    table = TABLE
    redirects = frozenset({"agreements:agreement"})  # to its latest version

    @pytest.fixture
    def world(self, draft_version):
        return draft_version

    def url(self, name, kind, version, user):
        agreement = version.agreement
        section = version.sections.first()
        commitment = version.commitments.first()
        v = [agreement.pk, version.number]
        args = {
            "none": [],
            "code": [version.municipality.code],
            "agreement": [agreement.pk],
            "version": v,
            "download": [*v, "yaml"],
            "focus_area": [*v, version.focus_areas.first().pk],
            "crime_category": [*v, version.crime_categories.first().pk],
            "section": [*v, section.pk],
            "commitment": [*v, commitment.pk],
            "indicator": [*v, commitment.indicators.first().pk],
            "party": [*v, version.parties.first().pk],
            "signatory": [*v, version.signatories.first().pk],
            "basis": [*v, version.basis.first().pk],
        }[kind]
        return reverse(name, args=args)

    def state(self):
        return _state()


def test_views_never_query_tenant_models_directly():
    """Views fetch tenant data through the access modules only (a grep, as the house rules
    say)."""
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

# Without a role in the kommun: 404, as on the pages; anonymous callers get 401 (no login
# page to send them to).
_OUTSIDE = {"reporter": 404, "operator": 404, "other_coordinator": 404}
_API = {"anonymous": 401, "coordinator": allowed(200), "police": allowed(200)}

# name: (method, arguments, persona -> answer)
API_TABLE = {
    # the list of the caller's agreements: empty without a role
    "api:list-agreements": (
        "get",
        "none",
        {**_API, "reader": allowed(200), **dict.fromkeys(_OUTSIDE, allowed(200))},
    ),
    "api:agreement-document": ("get", "year", {**_API, "reader": allowed(200), **_OUTSIDE}),
    "api:import-agreement": ("post", "none", {**_API, "reader": 403, **_OUTSIDE}),
    # the public document: nothing is published yet, so 404 for everyone
    "api:public-agreement-document": (
        "get",
        "year",
        dict.fromkeys(("anonymous", "coordinator", "police", "reader", *_OUTSIDE), 404),
    ),
}


class TestApiAccess(AccessMatrix):
    namespace = "api"
    table = API_TABLE

    @pytest.fixture
    def world(self, draft_version, mullsjo_document):
        return {"version": draft_version, "document": mullsjo_document}

    def url(self, name, kind, world, user):
        version = world["version"]
        args = [] if kind == "none" else [version.municipality.code, version.agreement.year]
        return reverse(name, args=args)

    def call(self, client, name, world, user):
        url = self.url(name, self.table[name][1], world, user)
        if self.table[name][0] == "post":
            document = json.dumps(world["document"])
            return client.post(url, document, content_type="application/json")
        return client.get(url)

    def state(self):
        return _state()


@pytest.mark.parametrize("persona", ["reporter", "operator", "other_coordinator"])
def test_the_api_lists_no_agreements_without_a_role(client, draft_version, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("api:list-agreements"))
    assert response.json()["agreements"] == []
