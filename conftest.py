"""Shared fixtures: the personas every access test uses.

- coordinator: Mullsjö (0642) coordinator
- police: kommunpolis of the LPO, holding Mullsjö and Habo (0643)
- reader: member of Mullsjö's local crime-prevention council
- other_coordinator: coordinator of Jönköping (0680), a different tenant
- reporter: reports EST events in Mullsjö (sees only their own reports)
- operator: Django staff without a kommun role (the national files)

The access tests drive every URL with every persona: medborgarlofte/accounts/tests/
access_matrix.py.
"""

import pytest

# The local identity providers of the single sign-on tests (issue 19).
pytest_plugins = ["tests.idp.oidc"]


def _hypothesis_profiles():
    """Hypothesis profiles (docs/development.md, "Fuzzing"): `default` for the normal suite,
    `ci` (the same, reproducible) when CI is set, `nightly` (>= 10 000 examples per property)
    with HYPOTHESIS_PROFILE=nightly."""
    import os

    from hypothesis import settings

    settings.register_profile("default", max_examples=50, deadline=None, print_blob=True)
    settings.register_profile(
        "ci", settings.get_profile("default"), derandomize=True, database=None
    )
    settings.register_profile("nightly", max_examples=10_000, deadline=None, print_blob=True)
    settings.load_profile(
        os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
    )


_hypothesis_profiles()

PASSWORD = "korrekt-häst-batteri-häftklammer"


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Two-factor login has its own tests (accounts/tests/test_two_factor.py); elsewhere
    # personas log in with force_login and a password only.
    settings.TWO_FACTOR_REQUIRED = False
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


DEMO_PASSWORD = "lösenord-för-demo-4417"


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (medborgarlofte.demo.loader.load_demo), loaded once for a test module and
    rolled back at its end: each test of the module runs in its own savepoint inside, as
    Django's setUpTestData does. Loading the demo takes seconds; for tests that only read
    it (or change it inside their own savepoint), once per module is enough."""
    from django.db import transaction
    from django.test import override_settings

    from medborgarlofte.demo.loader import load_demo

    quick = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDBORGARLOFTE_PRIVATE_FILES=tmp_path_factory.mktemp("private"),
    )
    with django_db_blocker.unblock(), quick, transaction.atomic():
        load_demo(DEMO_PASSWORD)
        yield
        transaction.set_rollback(True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark transactional tests `serial`: scripts/run_tests.py runs them after the others,
    because each empties the tables (reference data included) when it ends, and
    pytest-xdist would otherwise run ordinary tests after them in the same worker.
    Then put the tests marked `slow` first."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        fixtures = set(getattr(item, "fixturenames", ()))
        if transactional or fixtures & {"transactional_db", "live_server"}:
            item.add_marker(pytest.mark.serial)
    # The long tests first (stable otherwise): with scripts/run_tests.py's small schedule
    # chunks, pytest-xdist then hands them out one by one while the short ones fill the gaps.
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("slow") is None)


def make_user(username, memberships=(), **extra):
    from medborgarlofte.accounts.models import Membership, User
    from medborgarlofte.kommuner.models import Municipality

    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.se", **extra
    )
    for code, role in memberships:
        Membership.objects.create(
            user=user, municipality=Municipality.objects.get(code=code), role=role
        )
    return user


@pytest.fixture
def mullsjo(db):
    from medborgarlofte.kommuner.models import Municipality

    return Municipality.objects.get(code="0642")


@pytest.fixture
def coordinator(db):
    return make_user("samordnare", [("0642", "coordinator")])


@pytest.fixture
def police(db):
    return make_user("kommunpolis", [("0642", "police"), ("0643", "police")])


@pytest.fixture
def reader(db):
    return make_user("bra-ledamot", [("0642", "reader")])


@pytest.fixture
def other_coordinator(db):
    return make_user("samordnare-jkpg", [("0680", "coordinator")])


@pytest.fixture
def reporter(db):
    return make_user("rapportor", [("0642", "reporter")])


@pytest.fixture
def operator(db):
    return make_user("driftansvarig", is_staff=True)


@pytest.fixture
def mullsjo_document():
    """The Mullsjö 2024 agreement as a parsed exchange document."""
    from pathlib import Path

    import yaml

    path = Path(__file__).parent / "examples" / "agreements" / "mullsjo-2024.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


_CHECKED = {"responses": 0}


_FROM_WORKERS: list[tuple[int, int, int]] = []


def _own_checks() -> tuple[int, int, int]:
    from medborgarlofte.accounts import tenancy

    return (
        _CHECKED["responses"],
        tenancy.STATS["checked"],
        tenancy.STATS["across_kommuner"],
    )


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker sends its figures to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["medborgarlofte_checks"] = _own_checks()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    figures = getattr(node, "workeroutput", {}).get("medborgarlofte_checks")
    if figures:
        _FROM_WORKERS.append(tuple(figures))


def pytest_terminal_summary(terminalreporter):
    """The figures docs/security.md quotes: how much the suite-wide checks saw."""
    responses, checked, across = (sum(c) for c in zip(_own_checks(), *_FROM_WORKERS, strict=False))
    terminalreporter.write_line(
        f"security headers checked on {responses} responses; tenant guard checked "
        f"{checked} queries on tenant tables during requests "
        f"({across} marked across_kommuner)"
    )


def assert_security_headers(response) -> None:
    """The headers every response must carry (docs/security.md, bar "headers")."""
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ") if part}
    script = directives.get("script-src", directives.get("default-src"))
    assert script == ["'self'"], f"script-src {script!r} on {response.wsgi_request.path}"
    for name, value in (
        ("frame-ancestors", ["'none'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'none'"]),
    ):
        assert directives.get(name) == value, f"CSP {name} on {response.wsgi_request.path}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in {
        "same-origin",
        "strict-origin",
        "no-referrer",
    }
    assert response.headers.get("X-Frame-Options") == "DENY"
    user = getattr(response.wsgi_request, "user", None)
    if user is not None and user.is_authenticated:
        assert "no-store" in response.headers.get("Cache-Control", ""), (
            f"an authenticated page may be cached: {response.wsgi_request.path}"
        )


@pytest.fixture(autouse=True, scope="session")
def _every_test_client_checks_the_security_headers():
    """Every django.test.Client in the suite (fixture or made by a test) checks each response."""
    from django.test import Client

    original = Client.request

    def request(self, **request):
        response = original(self, **request)
        assert_security_headers(response)
        _CHECKED["responses"] += 1
        return response

    Client.request = request
    yield
    Client.request = original
