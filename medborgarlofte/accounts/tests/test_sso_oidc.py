"""Sign-in through an OpenID Connect provider (issue 19; accounts/sso_oidc.py): the local
test provider (tests/idp/oidc.py) on 127.0.0.1, Django's test client, and `requests` for
the provider's own pages."""

import logging
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from medborgarlofte.accounts import sso, sso_oidc
from medborgarlofte.accounts.models import (
    ExternalIdentity,
    GroupRole,
    IdentityProvider,
    Membership,
    ProviderMfaDevice,
    Role,
    User,
)
from medborgarlofte.kommuner.models import Municipality
from tests.idp.oidc import CLIENT_ID, SECRET_VARIABLE

SERVER = "http://testserver"


def make_provider(idp, slug="mullsjo", **fields):
    fields.setdefault("organisation", "municipality")
    fields.setdefault("protocol", IdentityProvider.Protocol.OIDC)
    return IdentityProvider.objects.create(
        slug=slug,
        name=fields.pop("name", f"{slug} (test)"),
        issuer=idp.issuer,
        client_id=CLIENT_ID,
        secret_variable=SECRET_VARIABLE,
        **fields,
    )


@pytest.fixture
def habo(db):
    return Municipality.objects.get(code="0643")


@pytest.fixture
def jonkoping(db):
    return Municipality.objects.get(code="0680")


@pytest.fixture
def kommun_idp(oidc_idp, mullsjo, jonkoping):
    provider = make_provider(oidc_idp, municipality=mullsjo, email_domains="mullsjo.se")
    GroupRole.objects.create(
        provider=provider, group="g-samordnare", municipality=mullsjo, role=Role.COORDINATOR
    )
    GroupRole.objects.create(
        provider=provider, group="g-rapportor", municipality=mullsjo, role=Role.REPORTER
    )
    # Outside what a kommun's provider may grant: another kommun, and the police role.
    GroupRole.objects.create(
        provider=provider, group="g-jonkoping", municipality=jonkoping, role=Role.COORDINATOR
    )
    GroupRole.objects.create(
        provider=provider, group="g-polis", municipality=mullsjo, role=Role.POLICE
    )
    return provider


def sign_in(client, idp, login, slug="mullsjo", next_url="/arbete/", tamper=None):
    """Start at /konto/sso/<slug>/, press "Logga in som <login>" at the provider, and
    come back to the callback: the callback's response."""
    response = client.get(reverse("accounts:sso-start", args=[slug]), {"next": next_url})
    assert response.status_code == 302, response.content
    authorize = response["Location"]
    assert authorize.startswith(f"{idp.url}/authorize?")
    params = dict(parse_qsl(urlsplit(authorize).query))
    assert params["code_challenge_method"] == "S256" and params["nonce"] and params["state"]
    page = requests.get(authorize, timeout=5)
    assert page.status_code == 200 and f"Logga in som {login}" in page.text
    params["login"] = login
    answer = requests.post(f"{idp.url}/authorize", data=params, allow_redirects=False, timeout=5)
    callback = answer.headers["Location"]
    assert callback.startswith(f"{SERVER}{reverse('accounts:oidc-callback', args=[slug])}?")
    if tamper:
        callback = tamper(callback)
    return client.get(callback.removeprefix(SERVER))


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def roles(user):
    return {
        (m.municipality.code, m.role, m.provider_id is not None)
        for m in Membership.objects.filter(user=user).select_related("municipality")
    }


# --- Sign-in and the scope of what a provider grants -----------------------------------


def test_the_first_sign_in_creates_a_coordinator_of_mullsjo(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("anna", sub="a-1", email="Anna@Mullsjo.se", groups=["g-samordnare"])
    response = sign_in(client, oidc_idp, "anna")
    assert response.status_code == 302
    assert response["Location"] == "/arbete/"
    user = logged_in_user(client)
    assert user.username == "anna@mullsjo.se" and not user.has_usable_password()
    assert roles(user) == {("0642", Role.COORDINATOR, True)}
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject) == (kommun_idp, "a-1")
    data = client.session[sso.SESSION_KEY]
    assert data["provider"] == "mullsjo" and data["refresh_token"] in oidc_idp.refresh_tokens


def test_a_group_mapped_to_another_kommun_grants_nothing(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("bo", groups=["g-jonkoping"])
    response = sign_in(client, oidc_idp, "bo")
    assert response.status_code == 403
    with translation.override("sv"):
        refusal = _(
            "Your organisation has not given you a role in this service. Ask the "
            "coordinator of your kommun."
        )
    assert refusal.split(".")[0] in response.content.decode()
    assert logged_in_user(client) is None
    assert not User.objects.filter(username="bo@example.se").exists()
    assert not ExternalIdentity.objects.exists()


def test_a_kommun_provider_cannot_make_anyone_police(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("cecilia", groups=["g-polis"])
    assert sign_in(client, oidc_idp, "cecilia").status_code == 403
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="cecilia@example.se").exists()


def test_the_police_provider_grants_police_in_its_areas_only(client, oidc_idp, mullsjo):
    # The reference data leaves lokalpolisområden blank; an installation fills them in.
    Municipality.objects.filter(code__in=["0642", "0643"]).update(police_area="Jönköping")
    Municipality.objects.filter(code="0662").update(police_area="Gislaved")
    mullsjo.refresh_from_db()
    gislaved = Municipality.objects.get(code="0662")
    provider = make_provider(
        oidc_idp, slug="polisen", organisation="police", police_areas=mullsjo.police_area
    )
    for municipality, role in [
        (mullsjo, Role.POLICE),
        (gislaved, Role.POLICE),
        (mullsjo, Role.COORDINATOR),
    ]:
        GroupRole.objects.create(
            provider=provider, group="g-lpo", municipality=municipality, role=role
        )
    oidc_idp.add_user("david", email="david@polisen.se", groups=["g-lpo"])
    assert sign_in(client, oidc_idp, "david", slug="polisen").status_code == 302
    assert roles(logged_in_user(client)) == {("0642", Role.POLICE, True)}


def test_roles_are_refreshed_at_every_sign_in_and_roles_given_by_hand_stay(
    client, oidc_idp, kommun_idp, habo
):
    person = oidc_idp.add_user("eva", groups=["g-samordnare", "g-rapportor"])
    sign_in(client, oidc_idp, "eva")
    user = logged_in_user(client)
    Membership.objects.create(user=user, municipality=habo, role=Role.READER)
    assert roles(user) == {
        ("0642", Role.COORDINATOR, True),
        ("0642", Role.REPORTER, True),
        ("0643", Role.READER, False),
    }
    client.logout()
    person.groups = ["g-samordnare"]
    assert sign_in(client, oidc_idp, "eva").status_code == 302
    assert logged_in_user(client) == user
    assert roles(user) == {("0642", Role.COORDINATOR, True), ("0643", Role.READER, False)}


def test_an_address_outside_the_site_is_not_followed(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("filip", groups=["g-samordnare"])
    response = sign_in(client, oidc_idp, "filip", next_url="https://angripare.example/")
    assert response["Location"] == reverse("agreements:dashboard")


def test_the_claims_become_an_assertion(oidc_idp, kommun_idp):
    kommun_idp.groups_claim = "roles"
    claims = {
        "sub": "x-1",
        "preferred_username": "Lena.Lind@Mullsjo.se",
        "upn": "inte en adress",
        "roles": "g-samordnare",
        "amr": ["pwd", "mfa"],
        "acr": "urn:acr:2",
    }
    assertion = sso_oidc.assertion_from(kommun_idp, claims)
    assert assertion == sso.Assertion(
        subject="x-1",
        email="Lena.Lind@Mullsjo.se",
        groups=("g-samordnare",),
        authn_values=("pwd", "mfa", "urn:acr:2"),
    )
    claims = {"sub": "x-2", "preferred_username": "lena", "upn": "lena@mullsjo.se"}
    assert sso_oidc.assertion_from(kommun_idp, claims).email == "lena@mullsjo.se"
    assert sso_oidc.assertion_from(kommun_idp, {"sub": "x-3", "upn": "lena"}).email == ""


# --- The second step ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amr", "acr"),
    [(["pwd", "mfa"], ""), (["pwd"], "http://id.elegnamnden.se/loa/1.0/loa3")],
)
def test_mfa_at_the_provider_is_our_second_step(client, oidc_idp, kommun_idp, settings, amr, acr):
    settings.TWO_FACTOR_REQUIRED = True
    oidc_idp.add_user("greta", groups=["g-samordnare"], amr=amr, acr=acr)
    sign_in(client, oidc_idp, "greta")
    user = logged_in_user(client)
    assert ProviderMfaDevice.objects.filter(user=user, name="mullsjo").exists()
    page = client.get(reverse("agreements:municipality", args=["0642"]))
    assert page.status_code == 200


def test_without_mfa_at_the_provider_our_totp_step_follows(client, oidc_idp, kommun_idp, settings):
    settings.TWO_FACTOR_REQUIRED = True
    oidc_idp.add_user("hugo", groups=["g-samordnare"], amr=["pwd"])
    sign_in(client, oidc_idp, "hugo")
    assert logged_in_user(client) is not None
    page = client.get(reverse("agreements:municipality", args=["0642"]))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:setup-two-factor"))


# --- Whatever goes wrong at the provider logs nobody in ------------------------------------


def _replace_state(url):
    return url.replace("state=", "state=x")


@pytest.mark.parametrize(
    ("misbehaviour", "tamper"),
    [
        ({}, _replace_state),
        ({"claim_overrides": {"nonce": "ett-annat-nonce"}}, None),
        ({"claim_overrides": {"aud": "en-annan-klient"}}, None),
        ({"claim_overrides": {"iss": "http://127.0.0.1:1"}}, None),
        ({"claim_overrides": {"exp": int(time.time()) - 3600}}, None),
        ({"sign_with_other_key": True}, None),
    ],
    ids=["tampered-state", "wrong-nonce", "wrong-audience", "wrong-issuer", "expired", "other-key"],
)
def test_a_bad_answer_from_the_provider_logs_nobody_in(
    client, oidc_idp, kommun_idp, misbehaviour, tamper
):
    oidc_idp.add_user("ida", groups=["g-samordnare"])
    for name, value in misbehaviour.items():
        setattr(oidc_idp, name, value)
    response = sign_in(client, oidc_idp, "ida", tamper=tamper)
    assert response.status_code == 400
    assert "Ingen har loggats in" in response.content.decode()
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="ida@example.se").exists()
    assert sso.SESSION_KEY not in client.session


def test_the_same_answer_twice_logs_nobody_in_the_second_time(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("ivar", groups=["g-samordnare"])
    answers = []
    sign_in(client, oidc_idp, "ivar", tamper=lambda url: answers.append(url) or url)
    client.logout()
    response = client.get(answers[0].removeprefix(SERVER))
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_a_cancelled_sign_in_logs_nobody_in(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("jan", groups=["g-samordnare"])
    start = client.get(reverse("accounts:sso-start", args=["mullsjo"]))
    params = dict(parse_qsl(urlsplit(start["Location"]).query), cancel="1")
    answer = requests.post(
        f"{oidc_idp.url}/authorize", data=params, allow_redirects=False, timeout=5
    )
    assert "error=access_denied" in answer.headers["Location"]
    response = client.get(answer.headers["Location"].removeprefix(SERVER))
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_a_state_started_for_another_provider_is_refused(client, oidc_idp, kommun_idp, habo):
    make_provider(oidc_idp, slug="habo", municipality=habo)
    oidc_idp.add_user("kim", groups=["g-samordnare"])
    response = sign_in(
        client,
        oidc_idp,
        "kim",
        tamper=lambda url: url.replace("/sso/mullsjo/", "/sso/habo/"),
    )
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_unknown_inactive_and_saml_providers_are_not_found(client, oidc_idp, kommun_idp, habo):
    IdentityProvider.objects.filter(pk=kommun_idp.pk).update(active=False)
    make_provider(oidc_idp, slug="habo", municipality=habo, protocol=IdentityProvider.Protocol.SAML)
    for slug in ["finns-inte", "mullsjo"]:
        assert client.get(reverse("accounts:sso-start", args=[slug])).status_code == 404
    for slug in ["finns-inte", "mullsjo", "habo"]:
        url = reverse("accounts:oidc-callback", args=[slug])
        assert client.get(url, {"code": "x", "state": "y"}).status_code == 404


def test_a_missing_client_secret_is_a_configuration_error_not_a_login(
    client, oidc_idp, kommun_idp, monkeypatch
):
    monkeypatch.delenv(SECRET_VARIABLE)
    response = client.get(reverse("accounts:sso-start", args=["mullsjo"]))
    assert response.status_code == 503
    assert logged_in_user(client) is None


# --- Revalidation with the refresh token --------------------------------------------------


def _request_like_the_next_one(client, path="/arbete/kommun/0642/"):
    """The next request of the client's session, as the revalidation middleware sees it."""
    from importlib import import_module

    from django.conf import settings

    request = RequestFactory().get(path)
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(client.session.session_key)
    request.user = logged_in_user(client)
    request._messages = FallbackStorage(request)
    return request


def _checked_long_ago(client, provider):
    session = client.session
    data = session[sso.SESSION_KEY]
    data["checked_at"] = time.time() - provider.revalidate_minutes * 60 - 1
    session[sso.SESSION_KEY] = data
    session.save()


def test_a_user_disabled_at_the_provider_is_logged_out_and_deactivated(
    client, oidc_idp, kommun_idp
):
    oidc_idp.add_user("lars", groups=["g-samordnare"])
    sign_in(client, oidc_idp, "lars")
    user = logged_in_user(client)
    assert not sso.revalidation_due(_request_like_the_next_one(client), kommun_idp)
    oidc_idp.disable("lars")
    _checked_long_ago(client, kommun_idp)
    request = _request_like_the_next_one(client)
    assert sso.revalidation_due(request, kommun_idp)
    response = sso_oidc.revalidate(request, kommun_idp)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    user.refresh_from_db()
    assert not user.is_active
    assert ExternalIdentity.objects.get(user=user).deactivation_reason == "provider_refused"
    assert client.get("/arbete/kommun/0642/")["Location"].startswith(reverse("accounts:login"))


def test_revalidation_keeps_the_session_rotates_the_token_and_remaps_roles(
    client, oidc_idp, kommun_idp, caplog
):
    caplog.set_level(logging.DEBUG)
    person = oidc_idp.add_user("maja", groups=["g-samordnare", "g-rapportor"])
    sign_in(client, oidc_idp, "maja")
    user = logged_in_user(client)
    old_token = client.session[sso.SESSION_KEY]["refresh_token"]
    person.groups = ["g-samordnare"]
    _checked_long_ago(client, kommun_idp)
    request = _request_like_the_next_one(client)
    assert sso_oidc.revalidate(request, kommun_idp) is None
    request.session.save()
    data = client.session[sso.SESSION_KEY]
    assert data["refresh_token"] != old_token and data["refresh_token"] in oidc_idp.refresh_tokens
    assert not sso.revalidation_due(_request_like_the_next_one(client), kommun_idp)
    assert roles(user) == {("0642", Role.COORDINATOR, True)}
    assert logged_in_user(client) == user
    assert old_token not in caplog.text and data["refresh_token"] not in caplog.text


def test_revalidation_without_any_role_left_logs_out(client, oidc_idp, kommun_idp):
    person = oidc_idp.add_user("nils", groups=["g-samordnare"])
    sign_in(client, oidc_idp, "nils")
    user = logged_in_user(client)
    person.groups = ["g-jonkoping"]
    response = sso_oidc.revalidate(_request_like_the_next_one(client), kommun_idp)
    assert response["Location"].startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert not user.is_active and not Membership.objects.filter(user=user).exists()


def test_revalidation_fails_closed_when_the_provider_is_down(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("olle", groups=["g-samordnare"])
    sign_in(client, oidc_idp, "olle")
    user = logged_in_user(client)
    oidc_idp.token_status = 503
    response = sso_oidc.revalidate(_request_like_the_next_one(client), kommun_idp)
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert logged_in_user(client) is None
    user.refresh_from_db()
    assert user.is_active
    assert oidc_idp.token_requests[-1] == {"grant_type": "refresh_token"}


def test_without_a_refresh_token_the_user_signs_in_again(client, oidc_idp, kommun_idp):
    oidc_idp.add_user("per", groups=["g-samordnare"])
    sign_in(client, oidc_idp, "per")
    session = client.session
    data = session[sso.SESSION_KEY]
    del data["refresh_token"]
    session[sso.SESSION_KEY] = data
    session.save()
    response = sso_oidc.revalidate(_request_like_the_next_one(client), kommun_idp)
    start = reverse("accounts:sso-start", args=["mullsjo"])
    assert response["Location"] == f"{start}?next=%2Farbete%2Fkommun%2F0642%2F"
    assert logged_in_user(client) is None


def test_a_user_disabled_at_the_provider_loses_access_at_the_next_request_after_the_interval(
    client, oidc_idp, kommun_idp
):
    """End to end through the middleware: until the interval has passed the session
    stands; the first request after it asks the provider, which refuses."""
    oidc_idp.add_user("nils", groups=["g-samordnare"], amr=["pwd", "mfa"])
    sign_in(client, oidc_idp, "nils")
    user = logged_in_user(client)
    page = "/arbete/kommun/0642/"
    assert client.get(page).status_code == 200
    oidc_idp.disable("nils")
    assert client.get(page).status_code == 200  # inside the interval: not asked yet
    _checked_long_ago(client, kommun_idp)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert not user.is_active
    assert client.get(page).status_code == 302
