"""SAML 2.0 sign-in (issue 19; accounts/sso_saml.py) against the local test IdP
(tests/idp/saml.py), driven with Django's test client: the IdP's answers are made by
direct calls, its HTTP server is only used by the browser test."""

import time
from urllib.parse import parse_qs

import pytest
from django.conf import settings as django_settings
from django.contrib.messages.storage import default_storage
from django.test import RequestFactory
from django.urls import reverse
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import DIGEST_SHA1, SIG_RSA_SHA1, SIG_RSA_SHA256

from medborgarlofte.accounts import sso, sso_saml
from medborgarlofte.accounts.models import (
    ExternalIdentity,
    GroupRole,
    IdentityProvider,
    Membership,
    User,
)
from medborgarlofte.kommuner.models import Municipality
from tests.idp.saml import SamlIdp, make_key_pair, sso_query

AREA = "Lokalpolisområde Jönköping"
STAFF_PAGE = reverse("agreements:municipality", args=["0642"])


@pytest.fixture(autouse=True)
def _require_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def idp(tmp_path):
    idp = SamlIdp("http://idp.test", directory=tmp_path)
    idp.add_user("anna", "anna-0001", "anna@mullsjo.se", ["bra-samordnare"], mfa=True)
    idp.add_user("bertil", "bertil-0002", "bertil@mullsjo.se", ["bra-samordnare"], mfa=False)
    idp.add_user("jenny", "jenny-0003", "jenny@jonkoping.se", ["jkpg-samordnare"], mfa=True)
    idp.add_user("polis", "polis-0004", "polis@polisen.se", ["lpo-jonkoping"], mfa=True)
    return idp


def _provider(client, idp, slug, **fields):
    provider = IdentityProvider.objects.create(
        slug=slug, name=slug, protocol="saml", saml_metadata=idp.metadata(), **fields
    )
    metadata = client.get(reverse("accounts:saml-metadata", args=[slug]))
    assert metadata.status_code == 200
    idp.trust(metadata.content.decode())
    return provider


@pytest.fixture
def mullsjo_idp(client, idp, mullsjo):
    provider = _provider(client, idp, "mullsjo", organisation="municipality", municipality=mullsjo)
    GroupRole.objects.create(
        provider=provider, group="bra-samordnare", municipality=mullsjo, role="coordinator"
    )
    jonkoping = Municipality.objects.get(code="0680")
    GroupRole.objects.create(
        provider=provider, group="jkpg-samordnare", municipality=jonkoping, role="coordinator"
    )
    return provider


def _start(client, provider, next_url=STAFF_PAGE):
    response = client.get(reverse("accounts:sso-start", args=[provider.slug]), {"next": next_url})
    assert response.status_code == 302
    return sso_query(response["Location"])


def _answer(client, idp, query, login, slug):
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], login)
    assert acs.endswith(reverse("accounts:saml-acs", args=[slug]))
    return client.post(reverse("accounts:saml-acs", args=[slug]), fields)


def _sign_in(client, idp, provider, login):
    return _answer(client, idp, _start(client, provider), login, provider.slug)


def test_the_request_goes_to_the_idp_and_names_our_acs(client, idp, mullsjo_idp):
    response = client.get(reverse("accounts:sso-start", args=["mullsjo"]), {"next": STAFF_PAGE})
    assert response["Location"].startswith(idp.sso_url + "?SAMLRequest=")
    request = idp.parse(sso_query(response["Location"])["SAMLRequest"])
    assert request.assertion_consumer_service_url == "http://testserver" + reverse(
        "accounts:saml-acs", args=["mullsjo"]
    )
    assert request.issuer.text == "http://testserver" + reverse(
        "accounts:saml-metadata", args=["mullsjo"]
    )
    assert request.name_id_policy.format == NAMEID_FORMAT_PERSISTENT
    assert request.is_passive is None
    passive = sso_saml.start(RequestFactory().get("/"), mullsjo_idp, "/", passive=True)
    assert idp.parse(sso_query(passive["Location"])["SAMLRequest"]).is_passive == "true"


def test_a_coordinator_with_mfa_is_created_and_verified(client, idp, mullsjo_idp, mullsjo):
    response = _sign_in(client, idp, mullsjo_idp, "anna")
    assert response.status_code == 302
    assert response["Location"] == STAFF_PAGE
    user = User.objects.get(external_identity__subject="anna-0001")
    assert user.username == "anna@mullsjo.se"
    assert set(Membership.objects.filter(user=user).values_list("municipality", "role")) == {
        (mullsjo.pk, "coordinator")
    }
    page = client.get(STAFF_PAGE)
    assert page.status_code == 200
    assert "Mullsjö" in page.content.decode()


def test_without_mfa_the_coordinator_meets_our_second_step(client, idp, mullsjo_idp):
    assert _sign_in(client, idp, mullsjo_idp, "bertil").status_code == 302
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup-two-factor"))


def test_a_group_mapped_to_another_kommun_grants_nothing(client, idp, mullsjo_idp):
    response = _sign_in(client, idp, mullsjo_idp, "jenny")
    assert response.status_code == 403
    message = response.context["message"]
    assert "roll" in message or "role" in message
    assert not ExternalIdentity.objects.exists()
    assert not User.objects.filter(email="jenny@jonkoping.se").exists()
    assert "_auth_user_id" not in client.session


def test_a_transient_nameid_is_refused(client, idp, mullsjo_idp):
    idp.add_user(
        "tillfallig",
        "x-91",
        "t@mullsjo.se",
        ["bra-samordnare"],
        mfa=True,
        nameid_format=NAMEID_FORMAT_TRANSIENT,
    )
    response = _sign_in(client, idp, mullsjo_idp, "tillfallig")
    assert response.status_code == 403
    assert "NameID" in response.context["message"]
    assert not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_the_police_provider_grants_the_police_role_in_its_areas(client, idp, mullsjo):
    Municipality.objects.filter(code__in=["0642", "0643"]).update(police_area=AREA)
    provider = _provider(client, idp, "polisen", organisation="police", police_areas=AREA)
    GroupRole.objects.create(
        provider=provider, group="lpo-jonkoping", municipality=mullsjo, role="police"
    )
    assert _sign_in(client, idp, provider, "polis").status_code == 302
    user = User.objects.get(external_identity__subject="polis-0004")
    assert list(Membership.objects.filter(user=user).values_list("municipality", "role")) == [
        (mullsjo.pk, "police")
    ]
    assert client.get(STAFF_PAGE).status_code == 200


def test_a_replayed_response_is_refused(client, idp, mullsjo_idp):
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    assert client.post(acs.removeprefix("http://testserver"), fields).status_code == 302
    client.logout()
    again = client.post(acs.removeprefix("http://testserver"), fields)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_response_signed_with_another_key_is_refused(client, idp, mullsjo_idp):
    query = _start(client, mullsjo_idp)
    response = _answer(client, idp.impostor(), query, "anna", "mullsjo")
    assert response.status_code == 400
    assert "kunde inte kontrolleras" in response.content.decode()
    assert not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_unsigned_response_is_refused(client, idp, mullsjo_idp):
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna", signed=False)
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_response_signed_with_sha1_is_refused(client, idp, mullsjo_idp):
    idp.sign_alg, idp.digest_alg = SIG_RSA_SHA1, DIGEST_SHA1
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_an_expired_assertion_is_refused(client, idp, mullsjo_idp):
    idp.lifetime_minutes = -10  # beyond the tolerated clock skew
    idp.trust(client.get(reverse("accounts:saml-metadata", args=["mullsjo"])).content.decode())
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_an_expired_request_is_refused(client, idp, mullsjo_idp, monkeypatch):
    monkeypatch.setattr(sso_saml, "REQUEST_SECONDS", 1)
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    time.sleep(1.1)
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_an_unsolicited_response_is_refused(client, idp, mullsjo_idp):
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    del fields["RelayState"]
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    fields["RelayState"] = "gissad-token"
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_a_response_for_one_provider_is_refused_at_another(client, idp, mullsjo_idp, mullsjo):
    other = _provider(client, idp, "habo", organisation="municipality", municipality=mullsjo)
    GroupRole.objects.create(
        provider=other, group="bra-samordnare", municipality=mullsjo, role="coordinator"
    )
    query = _start(client, mullsjo_idp)
    acs, fields = idp.respond(query["SAMLRequest"], query["RelayState"], "anna")
    response = client.post(reverse("accounts:saml-acs", args=["habo"]), fields)
    assert response.status_code == 400
    assert not ExternalIdentity.objects.exists()
    # Nor does a request started at the other provider take this provider's answer.
    query = _start(client, other)
    acs, fields = idp.respond(
        _start(client, mullsjo_idp)["SAMLRequest"], query["RelayState"], "anna"
    )
    assert client.post(reverse("accounts:saml-acs", args=["habo"]), fields).status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_unknown_inactive_and_oidc_providers_are_404(client, idp, mullsjo_idp):
    assert client.get(reverse("accounts:saml-metadata", args=["okand"])).status_code == 404
    IdentityProvider.objects.create(
        slug="oidc", name="OIDC", protocol="oidc", organisation="police"
    )
    assert client.post(reverse("accounts:saml-acs", args=["oidc"]), {}).status_code == 404
    IdentityProvider.objects.filter(slug="mullsjo").update(active=False)
    assert client.post(reverse("accounts:saml-acs", args=["mullsjo"]), {}).status_code == 404


def _request_as(client, method="get", path=STAFF_PAGE):
    request = getattr(RequestFactory(), method)(path)
    request.session = client.session
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    request._messages = default_storage(request)
    return request


def test_revalidation_ends_the_session_and_goes_through_the_idp(client, idp, mullsjo_idp):
    _sign_in(client, idp, mullsjo_idp, "anna")
    assert sso_saml.revalidate(_request_as(client), mullsjo_idp) is None  # not due yet
    session = client.session
    session[sso.SESSION_KEY] = {**session[sso.SESSION_KEY], "checked_at": time.time() - 3601}
    session.save()

    request = _request_as(client, "post")
    response = sso_saml.revalidate(request, mullsjo_idp)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in request.session

    _sign_in(client, idp, mullsjo_idp, "anna")
    session = client.session
    session[sso.SESSION_KEY] = {**session[sso.SESSION_KEY], "checked_at": time.time() - 3601}
    session.save()
    request = _request_as(client)
    response = sso_saml.revalidate(request, mullsjo_idp)
    assert response["Location"].startswith(idp.sso_url)
    assert "_auth_user_id" not in request.session
    assert sso.SESSION_KEY not in request.session
    # The round trip brings the user back where they were, checked again.
    answer = _answer(client, idp, sso_query(response["Location"]), "anna", "mullsjo")
    assert answer["Location"] == STAFF_PAGE


def test_a_user_disabled_at_the_idp_loses_access_at_revalidation(client, idp, mullsjo_idp):
    assert _sign_in(client, idp, mullsjo_idp, "anna").status_code == 302
    assert client.get(STAFF_PAGE).status_code == 200
    idp.disable("anna")
    session = client.session
    session[sso.SESSION_KEY] = {**session[sso.SESSION_KEY], "checked_at": time.time() - 3601}
    session.save()
    request = _request_as(client)
    response = sso_saml.revalidate(request, mullsjo_idp)
    request.session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = request.session.session_key
    answer = _answer(client, idp, sso_query(response["Location"]), "anna", "mullsjo")
    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get(STAFF_PAGE)["Location"].startswith(reverse("accounts:login"))


def test_requests_are_signed_when_a_key_is_configured(client, idp, mullsjo, settings, tmp_path):
    key, cert = make_key_pair(tmp_path, "sp")
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = str(key), str(cert)
    provider = _provider(client, idp, "mullsjo", organisation="municipality", municipality=mullsjo)
    metadata = client.get(reverse("accounts:saml-metadata", args=["mullsjo"])).content.decode()
    assert 'AuthnRequestsSigned="true"' in metadata
    assert "".join(cert.read_text().splitlines()[1:-1]) in "".join(metadata.split())
    location = client.get(reverse("accounts:sso-start", args=[provider.slug]))["Location"]
    query = {name: values[0] for name, values in parse_qs(location.split("?", 1)[1]).items()}
    assert query["SigAlg"] == SIG_RSA_SHA256
    certificate = "".join(cert.read_text().splitlines()[1:-1])
    assert verify_redirect_signature(query, idp.server.sec.sec_backend, cert=certificate)
    query["RelayState"] = "ändrad"
    assert not verify_redirect_signature(query, idp.server.sec.sec_backend, cert=certificate)


def test_broken_metadata_is_a_configuration_error_not_a_crash(client, db, mullsjo):
    provider = IdentityProvider.objects.create(
        slug="trasig",
        name="Trasig",
        organisation="municipality",
        protocol="saml",
        municipality=mullsjo,
        saml_metadata="<EntityDescriptor>inte metadata",
    )
    response = client.get(reverse("accounts:sso-start", args=[provider.slug]))
    assert response.status_code == 503
    assert 'role="alert"' in response.content.decode()
