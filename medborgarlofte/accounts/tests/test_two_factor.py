"""Two-step login: enforced for coordinators, police and admins; optional for reporters."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from medborgarlofte.accounts.two_factor import needs_two_factor


@pytest.fixture(autouse=True)
def _require_two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _login(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_it_sends_a_coordinator_to_set_up_an_authenticator(client, coordinator):
    _login(client, "samordnare")
    response = client.get(reverse("agreements:municipality", args=["0642"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup-two-factor"))


def test_it_answers_the_api_with_401_until_verified(client, police):
    _login(client, "kommunpolis")
    assert client.get(reverse("api:list-agreements")).status_code == 401


def test_it_lets_the_user_in_after_confirming_a_code(client, coordinator):
    _login(client, "samordnare")
    page = client.get(reverse("accounts:setup-two-factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(reverse("accounts:setup-two-factor"), {"code": _code(device)})
    codes = response.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 200


def test_it_accepts_each_recovery_code_once(client, coordinator):
    _login(client, "samordnare")
    client.get(reverse("accounts:setup-two-factor"))
    device = TOTPDevice.objects.get(user=coordinator)
    codes = client.post(reverse("accounts:setup-two-factor"), {"code": _code(device)}).context[
        "codes"
    ]
    client.post(reverse("accounts:logout"))
    _login(client, "samordnare")
    assert client.get(reverse("agreements:dashboard")).status_code == 302
    response = client.post(reverse("accounts:verify-two-factor"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 200
    client.post(reverse("accounts:logout"))
    _login(client, "samordnare")
    again = client.post(reverse("accounts:verify-two-factor"), {"code": codes[0]})
    assert again.status_code == 200  # refused: shown again with an error
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 302


def test_it_decides_who_needs_two_factor(db, coordinator, police, reader, mullsjo):
    reporter = make_user("rapportor", [("0642", "reporter")])
    assert needs_two_factor(coordinator) and needs_two_factor(police) and needs_two_factor(reader)
    assert not needs_two_factor(reporter)
    mullsjo.reporters_need_two_factor = True
    mullsjo.save()
    assert needs_two_factor(reporter)


def test_it_refuses_a_wrong_code(client, coordinator):
    _login(client, "samordnare")
    client.get(reverse("accounts:setup-two-factor"))
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = f"{(int(_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:setup-two-factor"), {"code": wrong})
    assert response.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("agreements:dashboard")).status_code == 302
