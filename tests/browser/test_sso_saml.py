"""A police officer of Mullsjö signs in through the local SAML IdP (tests/idp/saml.py)
with multi-factor authentication and lands on Mullsjö's staff page; Mullsjö's
coordinator signs in through the kommun's SAML provider without it and meets our own
second step (issue 19; the OpenID Connect test has the opposite pair).

The IdP runs on 127.0.0.1, the live server on localhost: the ACS receives a cross-site
POST, as from a real IdP, without the session cookie (SameSite=Lax)."""

import urllib.request

import pytest
from django.urls import reverse

from medborgarlofte.accounts.models import GroupRole, IdentityProvider, Membership, Role, User
from medborgarlofte.kommuner.models import Municipality
from tests.idp.saml import served_idp

from .conftest import browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

AREA = "Lokalpolisområde Jönköping"


def _trusted_provider(idp, live_server, slug, group, kommun, role, **fields):
    """A SAML provider row for the IdP, one group mapped, and the IdP trusting its SP."""
    provider = IdentityProvider.objects.create(
        slug=slug, protocol="saml", saml_metadata=idp.metadata(), **fields
    )
    GroupRole.objects.create(provider=provider, group=group, municipality=kommun, role=role)
    metadata_url = live_server.url + reverse("accounts:saml-metadata", args=[slug])
    with urllib.request.urlopen(metadata_url) as response:  # noqa: S310 (the live server)
        idp.trust(response.read().decode())


def _sign_in(browser, live_server, idp, slug, login):
    page = new_page(browser, live_server)
    # The IdP is the one other origin this page may reach.
    page.context.route(f"{idp.base_url}/**", lambda route: route.continue_())
    page.goto(f"/konto/sso/{slug}/?next=/arbete/kommun/0642/")
    assert page.url.startswith(idp.sso_url)
    page.get_by_role("button", name=f"Logga in som {login}").click()
    page.get_by_role("button", name="Fortsätt").click()
    return page


def test_police_with_mfa_and_a_coordinator_without_sign_in_through_saml(
    browser, live_server, settings, tmp_path
):
    settings.TWO_FACTOR_REQUIRED = True
    idp = served_idp(directory=tmp_path)
    try:
        mullsjo = Municipality.objects.get(code="0642")
        Municipality.objects.filter(code__in=["0642", "0643"]).update(police_area=AREA)
        _trusted_provider(
            idp,
            live_server,
            "polisen",
            "lpo-jonkoping",
            mullsjo,
            Role.POLICE,
            name="Polisen",
            organisation="police",
            police_areas=AREA,
        )
        idp.add_user("polis", "polis-0004", "polis@polisen.se", ["lpo-jonkoping"], mfa=True)
        page = _sign_in(browser, live_server, idp, "polisen", "polis")
        page.wait_for_url("**/arbete/kommun/0642/")
        assert "Mullsjö" in page.locator("h1").inner_text()
        assert page.external_requests == []
        user = User.objects.get(external_identity__subject="polis-0004")
        assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
            "police"
        ]

        _trusted_provider(
            idp,
            live_server,
            "mullsjo",
            "bf-samordnare",
            mullsjo,
            Role.COORDINATOR,
            name="Mullsjö kommun",
            organisation="municipality",
            municipality=mullsjo,
        )
        idp.add_user("anna", "anna-0001", "anna@mullsjo.se", ["bf-samordnare"], mfa=False)
        page = _sign_in(browser, live_server, idp, "mullsjo", "anna")
        page.wait_for_url("**/konto/tvastegs/aktivera/**")  # our TOTP step, not the work
        assert page.locator("#id_code").is_visible()
        assert page.external_requests == []
        coordinator = User.objects.get(external_identity__subject="anna-0001")
        assert list(coordinator.memberships.values_list("role", flat=True)) == ["coordinator"]
    finally:
        idp.shutdown()
