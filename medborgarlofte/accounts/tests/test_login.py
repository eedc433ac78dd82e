import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from medborgarlofte.accounts.models import AuditEntry


def _login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_it_logs_in_and_lands_on_the_kommun(client, coordinator):
    response = _login(client, "samordnare", PASSWORD)
    assert response.status_code == 302
    follow = client.get(response["Location"], follow=True)
    assert follow.request["PATH_INFO"] == reverse("agreements:municipality", args=["0642"])


def test_it_hashes_passwords_with_argon2(settings, db):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    assert make_password("ett-långt-lösenord").startswith("argon2$")


def test_it_answers_the_same_for_unknown_and_known_usernames(client, coordinator):
    known = _login(client, "samordnare", "fel-lösenord")
    unknown = _login(client, "finns-inte", "fel-lösenord")
    assert known.status_code == unknown.status_code == 200
    from bs4 import BeautifulSoup

    def error_text(response):
        return BeautifulSoup(response.content, "html.parser").select_one(".error-box").get_text()

    assert error_text(known) == error_text(unknown)


@pytest.mark.parametrize("username", ["samordnare", "finns-inte"])
def test_it_locks_out_after_ten_failures(client, coordinator, username):
    for _attempt in range(10):
        _login(client, username, "fel-lösenord")
    response = _login(client, username, PASSWORD if username == "samordnare" else "x")
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 403, 429}


def test_it_refuses_a_locked_account_even_with_the_right_password(client, coordinator):
    for _attempt in range(10):
        _login(client, "samordnare", "fel-lösenord")
    _login(client, "samordnare", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_it_sends_a_password_reset_link(client, coordinator):
    response = client.post(reverse("accounts:password-reset"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/konto/aterstall/" in mail.outbox[0].body


def test_it_changes_the_password(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ett-helt-nytt-lösenord-2026",
            "new_password2": "ett-helt-nytt-lösenord-2026",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("ett-helt-nytt-lösenord-2026")


def test_it_keeps_the_audit_log_append_only(coordinator, mullsjo):
    from medborgarlofte.accounts import audit

    entry = audit.record(user=coordinator, action="test", municipality=mullsjo, object_type="x")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_it_finds_the_client_address_behind_a_trusted_proxy(rf, settings):
    from medborgarlofte.accounts.middleware import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"


def test_it_throttles_an_address_that_tries_many_accounts(client, coordinator):
    for attempt in range(10):  # ten different usernames, one address
        _login(client, f"gissning-{attempt}", "fel-lösenord")
    _login(client, "samordnare", PASSWORD)  # right password, same address
    assert "_auth_user_id" not in client.session
    elsewhere = type(client)()
    _login(elsewhere, "samordnare", PASSWORD, "198.51.100.7")  # the account is not locked
    assert "_auth_user_id" in elsewhere.session
