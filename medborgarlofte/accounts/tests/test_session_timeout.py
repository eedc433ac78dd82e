import time

from django.urls import reverse

from medborgarlofte.accounts.middleware import SessionTimeoutMiddleware


def _age_session(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_it_logs_out_after_30_idle_minutes(client, coordinator, settings):
    client.force_login(coordinator)
    assert client.get(reverse("agreements:dashboard"), follow=True).status_code == 200
    _age_session(client, SessionTimeoutMiddleware.LAST, settings.SESSION_IDLE_SECONDS + 5)
    response = client.get(reverse("agreements:municipality", args=["0642"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_it_keeps_an_active_user_logged_in(client, coordinator, settings):
    client.force_login(coordinator)
    client.get(reverse("agreements:dashboard"))
    _age_session(client, SessionTimeoutMiddleware.LAST, settings.SESSION_IDLE_SECONDS - 60)
    assert client.post(reverse("accounts:extend-session")).json() == {
        "extended": True,
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
    }
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 200


def test_it_ends_every_login_after_12_hours(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("agreements:dashboard"))
    _age_session(client, SessionTimeoutMiddleware.STARTED, 12 * 60 * 60 + 1)
    response = client.get(reverse("agreements:municipality", args=["0642"]))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_rejects_the_old_session_cookie_after_logout(client, coordinator):
    client.force_login(coordinator)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    client.cookies["sessionid"] = old_cookie
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 302


def test_it_rejects_a_deactivated_user(client, coordinator):
    client.force_login(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get(reverse("agreements:municipality", args=["0642"])).status_code == 302


def test_it_changes_the_session_id_at_login(client, coordinator):
    from conftest import PASSWORD

    client.get(reverse("accounts:login"))
    session = client.session
    session["pre"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("accounts:login"), {"username": "samordnare", "password": PASSWORD})
    assert client.cookies["sessionid"].value != before


def test_it_gives_the_page_the_limits_as_plain_numbers(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("agreements:municipality", args=["0642"])).content.decode()
    assert 'data-session-idle="1800"' in html  # not "1 800" (Swedish thousands separator)
    assert 'data-session-warning="120"' in html
