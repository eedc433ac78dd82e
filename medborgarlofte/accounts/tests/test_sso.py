"""Sign-in through an organisation, the protocol-independent rules (accounts/sso.py):
scope of a provider's mapping, accounts made and refreshed at sign-in, the second step,
deactivation, and the login page's search. The protocols have their own tests
(test_sso_oidc.py, test_sso_saml.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from medborgarlofte.accounts import sso
from medborgarlofte.accounts.models import (
    AuditEntry,
    ExternalIdentity,
    GroupRole,
    IdentityProvider,
    Membership,
    Organisation,
    Role,
    User,
)
from medborgarlofte.kommuner.models import Municipality

MULLSJO, HABO = "0642", "0643"


def kommun(code):
    return Municipality.objects.get(code=code)


@pytest.fixture
def mullsjo_idp(db):
    provider = IdentityProvider.objects.create(
        slug="mullsjo",
        name="Mullsjö kommun",
        organisation=Organisation.MUNICIPALITY,
        protocol=IdentityProvider.Protocol.OIDC,
        municipality=kommun(MULLSJO),
        email_domains="mullsjo.se",
        issuer="https://idp.example/",
        client_id="x",
        secret_variable="MEDBORGARLOFTE_SSO_MULLSJO_SECRET",
    )
    GroupRole.objects.create(
        provider=provider,
        group="brott-samordnare",
        municipality=kommun(MULLSJO),
        role="coordinator",
    )
    GroupRole.objects.create(
        provider=provider, group="brott-rad", municipality=kommun(MULLSJO), role="reader"
    )
    # Rows the scope must ignore: another kommun, and the police's role.
    GroupRole.objects.create(
        provider=provider, group="brott-samordnare", municipality=kommun(HABO), role="coordinator"
    )
    GroupRole.objects.create(
        provider=provider, group="polis", municipality=kommun(MULLSJO), role="police"
    )
    return provider


@pytest.fixture
def police_idp(db):
    provider = IdentityProvider.objects.create(
        slug="polisen",
        name="Polisen",
        organisation=Organisation.POLICE,
        protocol=IdentityProvider.Protocol.SAML,
        police_areas="Södra Vätterbygden",
        email_domains="polisen.se",
        saml_metadata="<x/>",
    )
    GroupRole.objects.create(
        provider=provider, group="lpo-kommunpolis", municipality=kommun(MULLSJO), role="police"
    )
    # Outside its area (Habo has no lokalpolisområde recorded here) and not a police role.
    GroupRole.objects.create(
        provider=provider, group="lpo-kommunpolis", municipality=kommun(HABO), role="police"
    )
    GroupRole.objects.create(
        provider=provider, group="lpo-kommunpolis", municipality=kommun(MULLSJO), role="coordinator"
    )
    return provider


def request_with_session(path="/"):
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


def roles_of(user):
    return set(
        Membership.objects.filter(user=user).values_list("municipality__code", "role", "provider")
    )


def test_a_kommun_provider_grants_its_kommun_roles_in_its_kommun_only(mullsjo_idp):
    granted = sso.granted_roles(mullsjo_idp, ["brott-samordnare", "polis", "okänd"])
    assert granted == {(kommun(MULLSJO).pk, "coordinator")}


def test_the_police_provider_grants_the_police_role_in_its_areas_kommuner_only(police_idp):
    granted = sso.granted_roles(police_idp, ["lpo-kommunpolis"])
    assert granted == {(kommun(MULLSJO).pk, "police")}


def test_the_first_sign_in_makes_an_account_without_password_or_name(mullsjo_idp):
    request = request_with_session()
    user = sso.sign_in(
        request,
        mullsjo_idp,
        sso.Assertion(subject="abc-123", email="Anna.A@Mullsjo.se", groups=("brott-samordnare",)),
    )
    assert user.username == "anna.a@mullsjo.se"
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("", "")
    assert roles_of(user) == {(MULLSJO, "coordinator", mullsjo_idp.pk)}
    assert request.user == user
    assert request.session[sso.SESSION_KEY]["provider"] == "mullsjo"
    assert ExternalIdentity.objects.get(user=user).subject == "abc-123"
    assert AuditEntry.objects.filter(action="sso_sign_in", actor=user).exists()


def test_a_person_without_a_role_gets_no_account(mullsjo_idp):
    request = request_with_session()
    with pytest.raises(sso.SignInRefused):
        sso.sign_in(
            request,
            mullsjo_idp,
            sso.Assertion(subject="x", email="x@mullsjo.se", groups=("polis",)),
        )
    assert not User.objects.filter(email="x@mullsjo.se").exists()
    assert not request.user.is_authenticated
    assert AuditEntry.objects.filter(action="sso_refused").exists()


def test_roles_follow_the_groups_at_every_sign_in_and_roles_given_by_hand_stay(mullsjo_idp):
    assertion = sso.Assertion(subject="s1", email="b@mullsjo.se", groups=("brott-samordnare",))
    user = sso.sign_in(request_with_session(), mullsjo_idp, assertion)
    Membership.objects.create(user=user, municipality=kommun(HABO), role="reader")
    sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s1", email="b@mullsjo.se", groups=("brott-rad",)),
    )
    assert roles_of(user) == {(MULLSJO, "reader", mullsjo_idp.pk), (HABO, "reader", None)}


def test_losing_every_role_refuses_and_deactivates(mullsjo_idp):
    user = sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s2", email="c@mullsjo.se", groups=("brott-rad",)),
    )
    request = request_with_session()
    with pytest.raises(sso.SignInRefused):
        sso.sign_in(request, mullsjo_idp, sso.Assertion(subject="s2", groups=()))
    user.refresh_from_db()
    assert not user.is_active
    assert not request.user.is_authenticated
    assert ExternalIdentity.objects.get(user=user).deactivation_reason == "no_role"


def test_a_provider_turned_off_signs_in_nobody(mullsjo_idp):
    mullsjo_idp.active = False
    mullsjo_idp.save()
    with pytest.raises(sso.SignInRefused):
        sso.sign_in(
            request_with_session(),
            mullsjo_idp,
            sso.Assertion(subject="s3", groups=("brott-samordnare",)),
        )


def test_the_same_address_as_a_local_account_gets_its_own_username(mullsjo_idp):
    make_user("d@mullsjo.se")
    user = sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s4", email="d@mullsjo.se", groups=("brott-rad",)),
    )
    assert user.username.startswith("d@mullsjo.se-")
    assert User.objects.filter(username="d@mullsjo.se").count() == 1


@pytest.mark.parametrize(
    ("values", "verified"),
    [
        (("pwd", "mfa"), True),
        (("http://schemas.microsoft.com/claims/multipleauthn",), True),
        (("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",), False),
        (("pwd",), False),
        ((), False),
    ],
)
def test_the_second_step_is_satisfied_only_by_a_multi_factor_claim(mullsjo_idp, values, verified):
    request = request_with_session()
    sso.sign_in(
        request,
        mullsjo_idp,
        sso.Assertion(subject="s5", groups=("brott-samordnare",), authn_values=values),
    )
    from django_otp import DEVICE_ID_SESSION_KEY

    assert (DEVICE_ID_SESSION_KEY in request.session) is verified


def test_a_person_without_a_multi_factor_claim_meets_our_own_second_step(
    client, settings, mullsjo_idp
):
    settings.TWO_FACTOR_REQUIRED = True
    request = request_with_session()
    sso.sign_in(request, mullsjo_idp, sso.Assertion(subject="s6", groups=("brott-samordnare",)))
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    response = client.get(reverse("agreements:municipality", args=[MULLSJO]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup-two-factor"))


def test_idle_accounts_are_deactivated_after_the_providers_days(mullsjo_idp):
    user = sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s7", email="e@mullsjo.se", groups=("brott-rad",)),
    )
    identity = ExternalIdentity.objects.get(user=user)
    identity.last_sign_in = timezone.now() - timedelta(days=mullsjo_idp.deactivate_after_days - 1)
    identity.save()
    call_command("deactivate_sso_accounts")
    user.refresh_from_db()
    assert user.is_active
    identity.last_sign_in = timezone.now() - timedelta(days=mullsjo_idp.deactivate_after_days)
    identity.save()
    call_command("deactivate_sso_accounts", "--dry-run")
    user.refresh_from_db()
    assert user.is_active
    call_command("deactivate_sso_accounts")
    user.refresh_from_db()
    assert not user.is_active
    # A sign-in through the provider vouches for the account again.
    sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s7", email="e@mullsjo.se", groups=("brott-rad",)),
    )
    user.refresh_from_db()
    assert user.is_active


def test_a_deactivated_account_loses_its_session_at_the_next_request(client, mullsjo_idp):
    request = request_with_session()
    user = sso.sign_in(
        request,
        mullsjo_idp,
        sso.Assertion(subject="s8", groups=("brott-samordnare",), authn_values=("mfa",)),
    )
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    page = reverse("agreements:municipality", args=[MULLSJO])
    assert client.get(page).status_code == 200
    sso.deactivate(user, "provider_refused")
    assert client.get(page).status_code == 302


def test_the_session_is_checked_with_the_provider_when_due(client, monkeypatch, mullsjo_idp):
    from medborgarlofte.accounts import views

    calls = []

    class Protocol:
        @staticmethod
        def revalidate(request, provider):
            calls.append(provider.slug)
            sso.end_session(request, "x")
            return HttpResponse("checked again", status=302, headers={"Location": "/konto/"})

    monkeypatch.setattr(views, "_protocol", lambda provider: Protocol)
    request = request_with_session()
    sso.sign_in(
        request,
        mullsjo_idp,
        sso.Assertion(subject="s9", groups=("brott-samordnare",), authn_values=("mfa",)),
    )
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    page = reverse("agreements:municipality", args=[MULLSJO])
    assert client.get(page).status_code == 200
    assert calls == []
    session = client.session
    data = session[sso.SESSION_KEY]
    data["checked_at"] -= mullsjo_idp.revalidate_minutes * 60 + 1
    session[sso.SESSION_KEY] = data
    session.save()
    response = client.get(page)
    assert calls == ["mullsjo"]
    assert response.status_code == 302
    assert client.get(page).status_code == 302  # logged out: sent to the login page


def test_a_session_from_a_provider_turned_off_ends(client, mullsjo_idp):
    request = request_with_session()
    sso.sign_in(
        request,
        mullsjo_idp,
        sso.Assertion(subject="s10", groups=("brott-samordnare",), authn_values=("mfa",)),
    )
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    page = reverse("agreements:municipality", args=[MULLSJO])
    assert client.get(page).status_code == 200
    IdentityProvider.objects.filter(pk=mullsjo_idp.pk).update(active=False)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("anna@mullsjo.se", ["mullsjo"]),
        ("MULLSJO.SE", ["mullsjo"]),
        ("kommunpolis@polisen.se", ["polisen"]),
        ("Mullsjö", ["mullsjo", "polisen"]),
        ("mullsjö kommun", ["mullsjo", "polisen"]),
        ("Habo", []),
        ("anna@mullsjo.se.example.com", []),
        ("", []),
    ],
)
def test_the_login_page_finds_the_organisation(mullsjo_idp, police_idp, text, slugs):
    assert sorted(provider.slug for provider in sso.providers_for(text)) == sorted(slugs)


def test_the_login_page_offers_organisations_only_when_one_is_set_up(client, db):
    assert "id_org" not in client.get(reverse("accounts:login")).content.decode()
    IdentityProvider.objects.create(
        slug="mullsjo",
        name="Mullsjö kommun",
        organisation=Organisation.MUNICIPALITY,
        protocol=IdentityProvider.Protocol.OIDC,
        municipality=kommun(MULLSJO),
    )
    assert "id_org" in client.get(reverse("accounts:login")).content.decode()


def test_one_organisation_found_goes_straight_to_it_several_are_listed(
    client, mullsjo_idp, police_idp
):
    url = reverse("accounts:organisation-login")
    response = client.get(url, {"org": "anna@mullsjo.se", "next": "/arbete/"})
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("accounts:sso-start", args=["mullsjo"]) + "?next=%2Farbete%2F"
    )
    listed = client.get(url, {"org": "Mullsjö"}).content.decode()
    assert reverse("accounts:sso-start", args=["mullsjo"]) in listed
    assert reverse("accounts:sso-start", args=["polisen"]) in listed
    none = client.get(url, {"org": "https://evil.example/"}).content.decode()
    assert 'role="alert"' in none


def test_an_unknown_or_inactive_provider_is_not_found(client, mullsjo_idp):
    assert client.get(reverse("accounts:sso-start", args=["nosuch"])).status_code == 404
    mullsjo_idp.active = False
    mullsjo_idp.save()
    assert client.get(reverse("accounts:sso-start", args=["mullsjo"])).status_code == 404


def test_the_admin_refuses_a_mapping_outside_the_providers_scope(client, mullsjo_idp):
    from django.forms import inlineformset_factory

    from medborgarlofte.accounts.admin import GroupRoleInlineFormSet

    FormSet = inlineformset_factory(
        IdentityProvider,
        GroupRole,
        formset=GroupRoleInlineFormSet,
        fields=["group", "municipality", "role"],
        extra=0,
    )
    data = {
        "group_roles-TOTAL_FORMS": "2",
        "group_roles-INITIAL_FORMS": "0",
        "group_roles-0-group": "g",
        "group_roles-0-municipality": str(kommun(HABO).pk),
        "group_roles-0-role": Role.COORDINATOR,
        "group_roles-1-group": "g",
        "group_roles-1-municipality": str(kommun(MULLSJO).pk),
        "group_roles-1-role": Role.POLICE,
    }
    formset = FormSet(data, instance=mullsjo_idp, queryset=GroupRole.objects.none())
    assert not formset.is_valid()
    assert "municipality" in formset.forms[0].errors
    assert "role" in formset.forms[1].errors


def test_my_data_tells_where_the_account_and_its_roles_came_from(mullsjo_idp):
    from medborgarlofte.accounts.personal_data import export_user_data

    user = sso.sign_in(
        request_with_session(),
        mullsjo_idp,
        sso.Assertion(subject="s11", email="f@mullsjo.se", groups=("brott-rad",)),
    )
    data = export_user_data(user)
    assert data["organisation_sign_in"]["provider"] == "Mullsjö kommun"
    assert data["organisation_sign_in"]["subject"] == "s11"
    assert data["roles"] == [
        {"kommunkod": MULLSJO, "kommun": "Mullsjö", "role": "reader", "from_organisation": True}
    ]
