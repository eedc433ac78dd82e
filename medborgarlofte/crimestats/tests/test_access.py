"""Every internal statistics URL, every persona (the driver: accounts/tests/access_matrix.py).

The kommun's statistics pages are read-only for its roles; the national files are the
operator's (Django staff or superusers), no kommun role suffices."""

import pytest
from django.urls import reverse

from medborgarlofte.accounts.tests.access_matrix import AccessMatrix
from medborgarlofte.crimestats.models import CrimeStatistic, ImportRun

# name: (method, URL arguments for Mullsjö, rule)
ACCESS = {
    "crimestats:statistics": ("get", ["0642"], "read"),
    "crimestats:download-summary": ("get", ["0642", "json"], "read"),
    "crimestats:national-upload": ("get", [], "operator"),
    "crimestats:national-import": ("post", [], "operator"),
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    """Nothing to build: the URLs take fixed arguments. The operator's files go to a
    temporary directory."""
    settings.MEDBORGARLOFTE_PRIVATE_FILES = tmp_path


class TestAccess(AccessMatrix):
    namespace = "crimestats"
    table = ACCESS

    def url(self, name, args, world, user):
        return reverse(name, args=args)

    def state(self):
        return (CrimeStatistic.objects.count(), ImportRun.objects.count())


def test_it_refuses_writes_the_pages_do_not_offer(client, reader):
    client.force_login(reader)
    before = (CrimeStatistic.objects.count(), ImportRun.objects.count())
    response = client.post(reverse("crimestats:statistics", args=["0642"]))
    assert response.status_code in {200, 405}
    assert (CrimeStatistic.objects.count(), ImportRun.objects.count()) == before
