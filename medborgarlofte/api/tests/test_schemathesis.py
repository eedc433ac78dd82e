"""The JSON API against docs/openapi.yaml with Schemathesis (issue 7, item 9).

Every operation of the spec is called through the Django WSGI application (in process,
no network) with requests generated from the spec, once anonymously and once as the
Mullsjö coordinator (session cookie and CSRF token), against a database holding a
published agreement and its follow-up demo. Every response must pass Schemathesis'
checks: no 5xx (`not_a_server_error`), a documented status code, content type, headers
and a body that conforms to the response schema, 401 without the session where the spec
asks for one, 405 for undocumented methods, and schema-violating input refused with 4xx.

The number of examples per operation follows the Hypothesis profile (conftest.py): half
the profile's max_examples, so the normal suite stays quick and the nightly profile runs
thousands.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import make_user

SPEC_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"


class _App:
    """Django's WSGI application, created at the first request (after settings are set)."""

    handler = None

    def __call__(self, environ, start_response):
        if self.handler is None:
            self.handler = WSGIHandler()
        return self.handler(environ, start_response)


SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)
SCHEMA.app = _App()
EXAMPLES = hypothesis_settings(
    max_examples=max(5, hypothesis_settings().max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A document that conforms to the schema may still break the format's rules (a party
# that is not declared, a kommun that does not exist): 400 is the right answer there.
NOT_CHECKED = {"importAgreement": [positive_data_acceptance]}


@pytest.fixture
def world(db, coordinator, mullsjo_document):
    """Mullsjö 2024 published with its follow-up demo; a draft for Habo 2025."""
    from medborgarlofte.agreements import services
    from medborgarlofte.agreements.importing import import_agreement_document
    from medborgarlofte.followup.demo import load_followup_demo

    police = make_user("polis-schema", [("0642", "police"), ("0643", "police")])
    version = import_agreement_document(mullsjo_document, user=coordinator).version
    services.approve_agreement(version, coordinator, "municipality")
    services.approve_agreement(version, police, "police")
    version.refresh_from_db()
    services.publish_agreement(version, coordinator)
    load_followup_demo(coordinator, police)
    habo = dict(mullsjo_document, municipality="0643", title="Medborgarlöfte Habo")
    habo["period"] = {"start": "2025-01-01", "end": "2025-12-31"}
    import_agreement_document(habo, user=police)


@pytest.fixture
def in_process():
    """The test database connection stays open across requests (as Django's test client
    does): Django closes it at every request's start and end otherwise."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Fixed credentials: Schemathesis builds the spec's explicit examples while pytest collects,
# before any fixture runs, so the session and CSRF secret cannot be random.
SESSION_KEY = "schemathesis0coordinator0session"
CSRF_SECRET = "schemathesis0csrf0secret0abcdefg"


@pytest.fixture
def session(coordinator):
    """The coordinator's logged-in session (database sessions), renamed to SESSION_KEY."""
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(coordinator)
    Session.objects.filter(session_key=client.session.session_key).update(session_key=SESSION_KEY)


class _CoordinatorSession:
    """The session cookie and CSRF header as Schemathesis authentication: it then also
    checks that the same request without them (or with made-up ones) answers 401/403."""

    def get(self, case, context):
        return SESSION_KEY

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), "sessionid": data, "csrftoken": CSRF_SECRET}
        case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF_SECRET}


def _call(case):
    excluded = NOT_CHECKED.get(case.operation.definition.raw.get("operationId"), [])
    case.call_and_validate(excluded_checks=excluded)


@pytest.mark.slow
@pytest.mark.django_db
@SCHEMA.parametrize()
@EXAMPLES
def test_the_api_as_an_anonymous_caller(case, world, in_process):
    _call(case)


@pytest.mark.slow
@pytest.mark.django_db
@SCHEMA.parametrize()
@SCHEMA.auth.apply(_CoordinatorSession, refresh_interval=None)
@EXAMPLES
def test_the_api_as_the_coordinator(case, world, in_process, session):
    _call(case)
