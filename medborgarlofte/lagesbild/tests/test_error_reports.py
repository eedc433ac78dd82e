"""A crash while the police read an intelligence summary leaks nothing into the error
report: not the 500 page, not the mail to ADMINS, not the django.request log, not the
HTML report with every frame's variables (privacy/error_reports.py).

The crash is forced in the document view right after the police section was composed,
with the text both in a local variable and in the exception message (the worst case:
`ValueError(f"... {value!r}")` is a common way to fail). Django's own reporter, given
the same exception, does show the marker: the test can fail.
"""

import logging

import pytest
from django.core import mail
from django.core.signals import got_request_exception
from django.urls import reverse
from django.views.debug import ExceptionReporter, get_exception_reporter_class

from medborgarlofte.lagesbild import views

from .conftest import MARKER


@pytest.fixture
def crash(monkeypatch):
    """Make police_part fail with the police section in a local and in the message."""
    original = views.police_part

    def crashing(summary):
        part = original(summary)
        if part:
            raise ValueError(f"cannot lay out the section {part!r}")
        return part

    monkeypatch.setattr(views, "police_part", crashing)


@pytest.fixture
def production(settings, client):
    settings.DEBUG = False
    settings.ADMINS = [("Drift", "drift@example.se")]
    client.raise_request_exception = False
    caught = []

    def keep(sender, request, **kwargs):
        import sys

        caught.append((request, sys.exc_info()))

    got_request_exception.connect(keep)
    yield caught
    got_request_exception.disconnect(keep)


def _report_html(caught) -> tuple[str, str]:
    """The HTML report (frames and their variables) by the configured reporter and by
    Django's own, for the request that failed."""
    request, (exc_type, exc_value, tb) = caught[-1]
    reporter = get_exception_reporter_class(request)
    ours = reporter(request, exc_type, exc_value, tb, is_email=True).get_traceback_html()
    django = ExceptionReporter(request, exc_type, exc_value, tb, is_email=True)
    return ours, django.get_traceback_html()


def test_a_crash_while_the_police_read_leaks_nothing(
    client, lagesbild, police, crash, production, caplog
):
    caplog.set_level(logging.ERROR, logger="django.request")
    client.force_login(police)
    response = client.get(reverse("lagesbild:document", args=[lagesbild.pk]))
    assert response.status_code == 500
    assert MARKER not in response.content.decode()
    # the mail to ADMINS is a full report, without the text
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert "ValueError" in report.body and "cannot lay out the section" in report.body
    assert MARKER not in f"{report.subject}\n{report.body}\n{report.alternatives}"
    # the log record, as any handler would format it
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and "ValueError" in logging.Formatter().format(records[-1])
    assert all(MARKER not in logging.Formatter().format(r) for r in records)
    # the HTML report lists every frame's variables: masked, where Django's shows them
    ours, django = _report_html(production)
    assert MARKER in django  # (the test can fail)
    assert MARKER not in ours
    assert "part" in ours and "********" in ours


def test_a_crash_on_the_technical_page_leaks_nothing_either(
    client, lagesbild, police, crash, settings
):
    settings.DEBUG = True  # a developer's machine: Django's technical 500 page
    client.raise_request_exception = False
    client.force_login(police)
    response = client.get(reverse("lagesbild:document", args=[lagesbild.pk]))
    assert response.status_code == 500
    page = response.content.decode()
    assert "cannot lay out the section" in page and "Local vars" in page
    assert MARKER not in page


def test_a_crash_while_saving_keeps_the_posted_text_out(
    client, lagesbild, police, production, monkeypatch
):
    from medborgarlofte.lagesbild import services

    def failing(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "save_intelligence", failing)
    client.force_login(police)
    response = client.post(
        reverse("lagesbild:save-intelligence", args=["0642"]),
        {
            "intel-period_start": "2025-01-01",
            "intel-period_end": "2025-12-31",
            "intel-text": f"Nytt läge {MARKER}: Gruppen Vitsippegänget har flyttat.",
        },
    )
    assert response.status_code == 500
    report = mail.outbox[-1]
    assert "intel-text" in report.body and "RuntimeError" in report.body
    assert MARKER not in report.body and "Vitsippegänget" not in report.body
    ours, django = _report_html(production)
    assert MARKER not in ours and "Vitsippegänget" not in ours
