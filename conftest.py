"""Shared fixtures: the personas every access test uses.

- coordinator: Mullsjö (0642) coordinator
- police: kommunpolis of the LPO, holding Mullsjö and Habo (0643)
- reader: member of Mullsjö's local crime-prevention council
- other_coordinator: coordinator of Jönköping (0680), a different tenant
"""

import pytest

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
def mullsjo_document():
    """The Mullsjö 2024 agreement as a parsed exchange document."""
    from pathlib import Path

    import yaml

    path = Path(__file__).parent / "examples" / "agreements" / "mullsjo-2024.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
