"""Hardened configuration: headers, cookies and error pages (issue 7, item 1).

Every response the test client sees in the whole suite is checked for the security headers
(conftest.py); the tests here cover what that check cannot: HSTS and
cookie flags with HTTPS on, and error pages that leak nothing with DEBUG off.
"""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from conftest import assert_security_headers

SECRET = "hemlig-markör-7f3a"  # noqa: S105 - a marker, not a credential


def crashing_view(request):
    local_secret = SECRET  # noqa: F841 - a local the technical 500 page would show
    raise RuntimeError(f"boom {SECRET}")


def bare_view(request):
    return HttpResponse("no headers of its own")


urlpatterns = [
    path("krasch/", crashing_view),
    path("bar/", bare_view),
]
handler404 = "medborgarlofte.publicsite.views.not_found"
handler500 = "medborgarlofte.publicsite.views.server_error"


def test_the_suite_wide_check_catches_a_missing_header(client):
    response = HttpResponse("x")
    response.wsgi_request = type("R", (), {"path": "/x/", "user": None})()
    with pytest.raises(AssertionError):
        assert_security_headers(response)
    assert Client.request.__module__ == "conftest"  # every test client checks its responses


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_headers_of_its_own_still_gets_every_header(client):
    response = client.get("/bar/")
    assert response.status_code == 200  # the client checked the headers


@pytest.mark.django_db
def test_https_adds_hsts_and_secure_cookies(settings, coordinator):
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    client = Client()
    page = client.get("/konto/logga-in/", secure=True)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in page.headers["Strict-Transport-Security"]
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"].lower() in {"lax", "strict"}
    client.force_login(coordinator)
    internal = client.get("/arbete/", secure=True)
    assert_security_headers(internal)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"].lower() in {"lax", "strict"}


def test_production_settings_make_cookies_secure_and_http_only():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "MEDBORGARLOFTE_TESTING": "0",
        "MEDBORGARLOFTE_DEBUG": "0",
        "MEDBORGARLOFTE_HTTPS": "1",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "medborgarlofte.example.se",
    }
    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True", "Lax", "Lax", "True", "True", "False"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_a_generic_page_that_leaks_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/krasch/")
    assert response.status_code == 500
    body = response.content.decode()
    for leak in (SECRET, "Traceback", "RuntimeError", "settings", "crashing_view", "SECRET_KEY"):
        assert leak not in body


@pytest.mark.django_db
def test_an_unknown_address_shows_a_generic_404(client, settings):
    settings.DEBUG = False
    response = client.get("/finns-inte/<script>/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<script>" not in body and "urlpatterns" not in body and "Traceback" not in body
