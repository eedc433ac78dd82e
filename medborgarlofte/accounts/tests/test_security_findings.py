"""Regression tests for the findings of the independent security test (issue 11).

Each test was written to fail on the code before the fix (docs/security.md, "Findings of
the independent test"): the password alone passed two-step login, a successful login to
another account reset the failures counted against a victim, my-data and the password
change were open before the second step, and password reset told known from unknown
addresses by its timing and was not rate limited.
"""

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from medborgarlofte.accounts import two_factor


@pytest.fixture(autouse=True)
def _require_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _next_code(device):
    """The code the app shows in the next 30-second step (a used code is never taken twice)."""
    step = device.step
    return f"{totp(device.bin_key, step, device.t0 - step, device.digits, device.drift):06d}"


def _login(client, username, password=PASSWORD, address="192.0.2.10"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _enrol(client, username, user):
    """Log in, set up an authenticator, log out; returns (device, recovery codes)."""
    _login(client, username)
    client.get(reverse("accounts:setup-two-factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    codes = client.post(reverse("accounts:setup-two-factor"), {"code": _code(device)}).context[
        "codes"
    ]
    client.post(reverse("accounts:logout"))
    device.refresh_from_db()
    return device, codes


# --- 1. The password alone must not pass the second step --------------------------------


@pytest.mark.parametrize("persona", ["police", "coordinator"])
def test_the_password_alone_cannot_enrol_a_new_authenticator(db, client, persona, request):
    user = request.getfixturevalue(persona)
    device, _codes = _enrol(client, user.username, user)
    _login(client, user.username)  # the password only

    setup = client.get(reverse("accounts:setup-two-factor"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("accounts:verify-two-factor"))
    # No new secret was created for the attacker to scan.
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()

    # Posting a code from a device the attacker made himself changes nothing either.
    forged = TOTPDevice.objects.create(user=user, name="forged", confirmed=False)
    answer = client.post(reverse("accounts:setup-two-factor"), {"code": _code(forged)})
    assert answer.status_code == 302
    assert not client.session.get("otp_device_id")
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    forged.refresh_from_db()
    assert not forged.confirmed

    intelligence = client.get(
        reverse("lagesbild:intelligence", args=["0642"]) if persona == "police" else "/arbete/"
    )
    assert intelligence.status_code == 302
    assert client.get(reverse("api:list-agreements")).status_code == 401

    # The owner's authenticator still works afterwards.
    client.post(reverse("accounts:logout"))
    _login(client, user.username)
    device.refresh_from_db()
    verified = client.post(reverse("accounts:verify-two-factor"), {"code": _next_code(device)})
    assert verified.status_code == 302
    assert client.get(reverse("api:list-agreements")).status_code == 200


def test_confirm_totp_refuses_an_unverified_session_with_an_enrolled_device(rf, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)
    pending = TOTPDevice.objects.create(user=coordinator, name="new", confirmed=False)
    request = rf.post("/")
    request.user = coordinator
    request.user.otp_device = None
    request.user.is_verified = lambda: False
    request.session = {}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        two_factor.confirm_totp(request, pending, _code(pending))
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1


def test_a_recovery_code_lets_the_owner_replace_a_lost_authenticator(client, coordinator):
    old, codes = _enrol(client, "samordnare", coordinator)
    _login(client, "samordnare")
    assert client.post(reverse("accounts:verify-two-factor"), {"code": codes[0]}).status_code == 302
    client.get(reverse("accounts:setup-two-factor"))
    new = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    replaced = client.post(reverse("accounts:setup-two-factor"), {"code": _code(new)})
    assert replaced.status_code == 200 and len(replaced.context["codes"]) == 10
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- 3. Nothing under /konto/ but the login steps before the second step -----------------


@pytest.mark.parametrize(
    "name",
    [
        "accounts:my-data",
        "accounts:password-change",
        "accounts:password-change-done",
        "accounts:regenerate-recovery-codes",
        "accounts:extend-session",
    ],
)
def test_account_pages_wait_for_the_second_step(client, coordinator, name):
    _enrol(client, "samordnare", coordinator)
    _login(client, "samordnare")
    response = client.get(reverse(name))
    assert response.status_code in {302, 401}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:verify-two-factor"))


def test_the_password_cannot_be_changed_before_the_second_step(client, coordinator):
    _enrol(client, "samordnare", coordinator)
    _login(client, "samordnare")
    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-helt-annat-lösenord-99",
            "new_password2": "ett-helt-annat-lösenord-99",
        },
    )
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:verify-two-factor", "accounts:password-reset"]
)
def test_the_login_steps_stay_open(client, coordinator, name):
    _enrol(client, "samordnare", coordinator)
    _login(client, "samordnare")
    assert client.get(reverse(name)).status_code in {200, 302}
    if name == "accounts:verify-two-factor":
        assert client.get(reverse(name)).status_code == 200


# --- 2. Throttling that another account's login cannot reset -----------------------------


def test_other_accounts_logins_do_not_reset_a_victims_failures(client, coordinator, settings):
    make_user("rapportor", [("0642", "reporter")])
    for _round in range(4):  # 36 wrong passwords, a reporter's login after every 9
        for _attempt in range(9):
            _login(client, "samordnare", "fel-lösenord")
        helper = type(client)()
        _login(helper, "rapportor")
    assert "_auth_user_id" not in client.session
    _login(client, "samordnare")
    assert "_auth_user_id" not in client.session
    elsewhere = type(client)()
    _login(elsewhere, "samordnare", address="198.51.100.7")
    assert "_auth_user_id" not in elsewhere.session  # the account itself is locked


def test_a_users_own_login_clears_only_their_own_failures(client, coordinator):
    make_user("rapportor", [("0642", "reporter")])
    for _attempt in range(5):
        _login(client, "rapportor", "fel-lösenord")
    for _attempt in range(3):
        _login(client, "samordnare", "fel-lösenord")
    _login(client, "samordnare")  # success: her three failures are forgiven
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:logout"))
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username="samordnare").exists()
    assert AccessAttempt.objects.filter(username="rapportor").exists()


# --- 4. Password reset: throttled, and the same answer and timing for every address -----


def test_password_reset_is_throttled_per_address(client, coordinator):
    answers = [
        client.post(
            reverse("accounts:password-reset"), {"email": "x@example.se"}, REMOTE_ADDR="192.0.2.1"
        ).status_code
        for _attempt in range(30)
    ]
    assert 429 in answers
    assert answers.count(302) <= 10
    elsewhere = client.post(
        reverse("accounts:password-reset"), {"email": "x@example.se"}, REMOTE_ADDR="192.0.2.2"
    )
    assert elsewhere.status_code == 302


def test_password_reset_mails_one_account_at_most_three_times_an_hour(client, coordinator):
    for attempt in range(8):
        response = client.post(
            reverse("accounts:password-reset"),
            {"email": coordinator.email},
            REMOTE_ADDR=f"192.0.2.{attempt + 1}",
        )
        assert response.status_code == 302  # the same answer whatever happens
    assert len(mail.outbox) == 3


def test_password_reset_view_returns_before_the_mail_is_sent(rf, coordinator):
    """Called as a WSGI server would: the view returns, the server sends the body, and
    only then closes the response, which sends the mail."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from medborgarlofte.accounts.views import PasswordResetView

    request = rf.post(
        reverse("accounts:password-reset"), {"email": coordinator.email}, REMOTE_ADDR="192.0.2.9"
    )
    request.session = SessionStore()
    request._dont_enforce_csrf_checks = True
    request._messages = FallbackStorage(request)
    response = PasswordResetView.as_view()(request)
    assert response.status_code == 302
    assert len(mail.outbox) == 0  # not yet: nothing was rendered or sent in the view
    response.close()
    assert len(mail.outbox) == 1


# --- 7. Recovery codes stored hashed; no secrets in the admin ----------------------------


def test_recovery_codes_are_stored_hashed(client, coordinator):
    from medborgarlofte.accounts.models import RecoveryCode

    _device, codes = _enrol(client, "samordnare", coordinator)
    stored = list(RecoveryCode.objects.filter(device__user=coordinator))
    assert len(stored) == 10
    everything = " ".join(code.code_hash for code in stored)
    for code in codes:
        assert code not in everything
        assert code.replace("-", "") not in everything


def test_the_admin_shows_no_otp_secrets(admin_client):
    from django_otp.plugins.otp_static.models import StaticDevice

    from medborgarlofte.accounts.models import RecoveryCode

    for model in (StaticDevice, RecoveryCode):
        assert model not in admin.site._registry
    registered = admin.site._registry.get(TOTPDevice)
    if registered is not None:
        fields = registered.get_fields(admin_client.get("/").wsgi_request)
        assert "key" not in fields
        user = make_user("med-app")
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
        assert device.key not in page.content.decode()
        assert "otpauth://" not in page.content.decode()
        from django.urls import NoReverseMatch

        with pytest.raises(NoReverseMatch):  # django-otp's QR-code page is not served
            reverse("admin:otp_totp_totpdevice_config", args=[device.pk])


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("actionplans:municipality", ["0642"]),
        ("actionplans:import-plan", ["0642"]),
        ("council:report", ["0642"]),
        ("council:report-pdf", ["0642"]),
        ("lagesbild:municipality", ["0642"]),
    ],
)
def test_the_statutory_pages_wait_for_the_second_step(client, coordinator, name, args):
    """The åtgärdsplan and the council report (issue 15) after the password alone."""
    _enrol(client, "samordnare", coordinator)
    _login(client, "samordnare")
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify-two-factor"))
