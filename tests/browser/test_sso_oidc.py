"""Sign-in through an organisation's OpenID Connect provider in a browser (issue 19): the
local test provider (tests/idp/oidc.py) on 127.0.0.1, Chromium, the live server."""

import pytest

from medborgarlofte.accounts.models import GroupRole, IdentityProvider, Role
from medborgarlofte.kommuner.models import Municipality
from tests.idp.oidc import CLIENT_ID, SECRET_VARIABLE

from .conftest import browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]


def _page_that_may_visit(browser, live_server, idp):
    """A page of the live server that may also talk to the test provider (the shared
    new_page aborts every other origin; the route added last is asked first)."""
    page = new_page(browser, live_server)
    page.context.route(f"{idp.url}/**", lambda route: route.continue_())
    return page


def _provider(idp, slug, **fields):
    return IdentityProvider.objects.create(
        slug=slug,
        name=fields.pop("name"),
        protocol=IdentityProvider.Protocol.OIDC,
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        secret_variable=SECRET_VARIABLE,
        **fields,
    )


def test_coordinator_with_mfa_lands_at_work_and_police_without_meets_our_totp_step(
    browser, live_server, oidc_idp, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    Municipality.objects.filter(code__in=["0642", "0643"]).update(police_area="Jönköping")
    mullsjo = Municipality.objects.get(code="0642")
    kommun = _provider(
        oidc_idp,
        "mullsjo",
        name="Mullsjö kommun",
        organisation="municipality",
        municipality=mullsjo,
    )
    GroupRole.objects.create(
        provider=kommun, group="g-samordnare", municipality=mullsjo, role=Role.COORDINATOR
    )
    police = _provider(
        oidc_idp, "polisen", name="Polisen", organisation="police", police_areas="Jönköping"
    )
    GroupRole.objects.create(provider=police, group="g-lpo", municipality=mullsjo, role=Role.POLICE)
    oidc_idp.add_user("anna", email="anna@mullsjo.se", groups=["g-samordnare"], amr=["pwd", "mfa"])
    oidc_idp.add_user("polis", email="polis@polisen.se", groups=["g-lpo"], amr=["pwd"])

    page = _page_that_may_visit(browser, live_server, oidc_idp)
    page.goto("/konto/sso/mullsjo/?next=/arbete/")
    page.get_by_role("button", name="Logga in som anna").click()
    page.wait_for_url("**/arbete/kommun/0642/")
    assert "Mullsjö" in page.locator("h1").inner_text()
    assert page.external_requests == []

    page = _page_that_may_visit(browser, live_server, oidc_idp)
    page.goto("/konto/sso/polisen/?next=/arbete/kommun/0642/")
    page.get_by_role("button", name="Logga in som polis").click()
    page.wait_for_url("**/konto/tvastegs/aktivera/**")
    assert page.locator("#id_code").is_visible()
