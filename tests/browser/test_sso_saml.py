"""A police officer of Mullsjö signs in through the local SAML IdP (tests/idp/saml.py)
with multi-factor authentication and lands on Mullsjö's staff page (issue 19).

The IdP runs on 127.0.0.1, the live server on localhost: the ACS receives a cross-site
POST, as from a real IdP, without the session cookie (SameSite=Lax)."""

import urllib.request

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import GroupRole, IdentityProvider, Membership, User
from medborgarlofte.kommuner.models import Municipality
from tests.idp.saml import served_idp

from .conftest import browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

AREA = "Lokalpolisområde Jönköping"


def test_a_police_officer_signs_in_through_the_saml_idp(browser, live_server, settings, tmp_path):
    settings.TWO_FACTOR_REQUIRED = True
    idp = served_idp(directory=tmp_path)
    try:
        mullsjo = Municipality.objects.get(code="0642")
        Municipality.objects.filter(code__in=["0642", "0643"]).update(police_area=AREA)
        provider = IdentityProvider.objects.create(
            slug="polisen",
            name="Polisen",
            organisation="police",
            protocol="saml",
            police_areas=AREA,
            saml_metadata=idp.metadata(),
        )
        GroupRole.objects.create(
            provider=provider, group="lpo-jonkoping", municipality=mullsjo, role="police"
        )
        metadata_url = live_server.url + reverse("accounts:saml-metadata", args=["polisen"])
        with urllib.request.urlopen(metadata_url) as response:  # noqa: S310 (the live server)
            idp.trust(response.read().decode())
        idp.add_user("polis", "polis-0004", "polis@polisen.se", ["lpo-jonkoping"], mfa=True)

        page = new_page(browser, live_server)
        # The IdP is the one other origin this page may reach.
        page.context.route(f"{idp.base_url}/**", lambda route: route.continue_())
        page.goto("/konto/sso/polisen/?next=/arbete/kommun/0642/")
        assert page.url.startswith(idp.sso_url)
        page.get_by_role("button", name="Logga in som polis").click()
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_url("**/arbete/kommun/0642/")
        assert "Mullsjö" in page.locator("h1").inner_text()
        assert page.external_requests == []
        user = User.objects.get(external_identity__subject="polis-0004")
        assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
            "police"
        ]
    finally:
        idp.shutdown()
