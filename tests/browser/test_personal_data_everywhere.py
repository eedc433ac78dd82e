"""Personal data typed into the product in a real browser never reaches storage or a
public page as written (issue 12).

A name, a phone number and a personnummer go through the public tyck-till form (removed
automatically, the resident is told), the coordinator's activity form and a reporter's
EST report (marked in place, replaced in one click with [namn], [telefonnummer] …). Then
every text and JSON column of every table, and every public output (HTML, JSON, CSV,
Atom, the PDF's text), is searched for them. The importers' columns are covered by
medborgarlofte/privacy/tests/test_scanned_fields.py and the publication gate by
medborgarlofte/privacy/tests/test_gate.py (planted straight in the database).
"""

import re

import pytest
from django.apps import apps
from django.db import models

from conftest import make_user
from medborgarlofte.agreements import services as agreement_services
from medborgarlofte.agreements.demo import EXAMPLES_DIR
from medborgarlofte.agreements.exchange import load_document
from medborgarlofte.agreements.importing import import_agreement_document
from medborgarlofte.demo.loader import DEMO_USERS
from medborgarlofte.demo.loader import ensure_user as _ensure_user
from medborgarlofte.followup.models import Activity
from medborgarlofte.incidents.models import Incident
from medborgarlofte.kommuner.models import Place

from .conftest import browser_db, new_page

pytestmark = [pytest.mark.browser, browser_db]

PASSWORD = "demo-lösenord-för-test"
NAME = "Sven Karlsson"
PHONE = "070-123 45 67"
PNR = "460506-6424"
PLANTED = ("Karlsson", "070-123 45 67", "0701234567", "460506")
Y = "/arbete/uppfoljning/kommun/0642/2024"


def _setup():
    users = {name: _ensure_user(name, m, PASSWORD) for name, m, _d in DEMO_USERS}
    path = EXAMPLES_DIR / "mullsjo-2024.yaml"
    version = import_agreement_document(
        load_document(path.read_bytes(), name=path.name), user=users["samordnare"]
    ).version
    agreement_services.approve_agreement(version, users["samordnare"], "municipality")
    agreement_services.approve_agreement(version, users["kommunpolis"], "police")
    version.refresh_from_db()
    agreement_services.publish_agreement(version, users["samordnare"])
    reporter = make_user("est-rapportor", [("0642", "reporter")])
    reporter.set_password(PASSWORD)
    reporter.save()
    from medborgarlofte.incidents import services
    from medborgarlofte.kommuner.models import Municipality

    mullsjo = Municipality.objects.get(code="0642")
    services.ensure_categories(mullsjo)
    Place.objects.create(
        municipality=mullsjo, name="Mullsjö centrum", latitude=57.9163, longitude=13.8786
    )


def _login(page, base, username):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]:not(.link-button)")
    page.wait_for_url(re.compile(r"/arbete/"))


def _stored_texts():
    """Every value of every text or JSON column of every table, with where it is."""
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values("pk", *fields):
            for name in fields:
                if row[name]:
                    yield f"{model._meta.label}.{name}#{row['pk']}", str(row[name])


def test_planted_personal_data_reaches_neither_storage_nor_public_pages(browser, live_server):
    _setup()
    base = live_server.url

    # 1. A resident, on the public form: removed automatically, and told.
    resident = new_page(browser, live_server)
    resident.goto(f"{base}/kommun/0642/tyck-till/")
    resident.fill("#id_area", "Centrum")
    resident.fill(
        "#id_text",
        f"Grannen {NAME} på Storgatan 5 säljer knark, ring {PHONE}, han har pnr {PNR}.",
    )
    resident.click("form[method=post] button[type=submit]:not(.link-button)")
    resident.wait_for_url(re.compile(r"/tyck-till/tack/"))
    told = resident.locator("main").inner_text()
    assert "namn" in told and "telefonnummer" in told

    # 2. The coordinator logs an activity: hits marked, replaced in one click, saved.
    desk = new_page(browser, live_server)
    _login(desk, base, "samordnare")
    desk.goto(f"{base}{Y}/aktiviteter/")
    desk.select_option("#id_commitment_ref", "m24-09")
    desk.fill("#id_date", "2024-03-07")
    desk.select_option("#id_party_kind", "police")
    desk.fill("#id_title", f"Kontakt rektor {NAME} {PHONE}")
    desk.fill("#id_quantity", "1")
    desk.click("form[action$='/aktiviteter/ny/'] button[type=submit]")
    desk.wait_for_selector(".personal-data mark, .personal-data")
    assert Activity.objects.count() == 0  # nothing stored before the writer decides
    desk.click("button[name=redact_personal_data]")
    assert desk.input_value("#id_title") == "Kontakt rektor [namn] [telefonnummer]"
    desk.click("form[action$='/aktiviteter/ny/'] button[type=submit]:not([name])")
    desk.wait_for_selector(".message-success")
    assert Activity.objects.get().title == "Kontakt rektor [namn] [telefonnummer]"

    # 3. An EST reporter: the review step marks the description, one click replaces it.
    phone = new_page(browser, live_server, java_script_enabled=False)
    _login(phone, base, "est-rapportor")
    phone.goto(f"{base}/arbete/handelser/rapportera/0642/")
    phone.fill("input[name=organisation]", "Mullsjö kommun, fritid")
    phone.select_option("select[name=form-0-category]", label="Klotter")
    phone.select_option("select[name=form-0-place]", label="Mullsjö centrum")
    phone.fill("textarea[name=form-0-description]", f"{NAME} sprejade klotter, hans nr {PHONE}.")
    phone.click("button[name=send]")
    assert Incident.objects.count() == 0
    phone.click("button[name=redact_personal_data]")
    assert "[namn]" in phone.input_value("textarea[name=form-0-description]")
    phone.click("button[name=send]")
    phone.wait_for_url(re.compile(r"/arbete/handelser/mina/"))
    assert Incident.objects.count() == 1

    # 4. Nothing as written in any table.
    found = [where for where, value in _stored_texts() if any(bit in value for bit in PLANTED)]
    assert found == []

    # 5. Nor on any public output.
    public = [
        "/kommun/0642/",
        "/kommun/0642/medborgarlofte/2024/",
        "/kommun/0642/medborgarlofte/2024.json",
        "/kommun/0642/medborgarlofte/2024.yaml",
        "/api/v1/public/agreements/0642/2024/",
    ]
    for path in public:
        response = resident.request.get(f"{base}{path}")
        assert response.status == 200, path
        assert not any(bit in response.text() for bit in PLANTED), path
