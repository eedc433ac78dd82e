"""Regression tests for findings 5–7 of the independent security test (issue 11).

5. Crafted numbers in URLs gave 500 (an overflow in the year lookup of the public "why"
   chain); "Starta ny version" gave 500 after publishing a version the exchange format
   refuses. 6. Alternating requests for two kommuners' follow-up PDFs rendered on almost
   every request. 7. Evidence PDFs with JavaScript were accepted; a full-width "＝" at the
   start of a CSV cell was not neutralised; the HTTP→HTTPS redirect had no security
   headers.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from medborgarlofte.urlconverters import CONVERTERS

CRAFTED = ["0", "0000", "9999", "10000", "2147483648", "9223372036854775808", "1" + "0" * 23]


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _crafted_paths():
    for route in _patterns():
        names = re.findall(r"<(\w+):(\w+)>", route)
        if not any(kind in CONVERTERS or kind == "int" for kind, _name in names):
            continue
        for value in CRAFTED:
            path = route
            for kind, name in names:
                if kind in CONVERTERS or kind == "int":
                    filler = value
                elif name == "code":
                    filler = "0642"
                else:
                    filler = "x"
                path = path.replace(f"<{kind}:{name}>", filler, 1)
            yield "/" + path.lstrip("^").rstrip("$")


def test_no_url_takes_an_unbounded_int():
    unbounded = [route for route in _patterns() if "<int:" in route]
    assert unbounded == []


@pytest.mark.parametrize("persona", [None, "coordinator"])
def test_crafted_numbers_in_every_url_answer_404_never_5xx(
    client, persona, request, coordinator, mullsjo_document
):
    from medborgarlofte.agreements.importing import import_agreement_document

    import_agreement_document(mullsjo_document, user=coordinator)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    failures = []
    for path in sorted(set(_crafted_paths())):
        response = client.get(path)
        if response.status_code >= 500:
            failures.append((path, response.status_code))
    assert failures == []
    assert client.get("/kommun/0642/medborgarlofte/0/varfor/").status_code == 404
    assert client.get("/kommun/0642/medborgarlofte/10000/varfor/").status_code == 404


def test_the_api_refuses_an_overflowing_version_number(client, coordinator, mullsjo):
    response = client.get("/api/v1/public/agreements/0642/2024/?version=" + "9" * 30)
    assert response.status_code == 400


# --- "Starta ny version" after any publishable version ---------------------------------


def _draft(coordinator, document, mutate):
    from medborgarlofte.agreements import services
    from medborgarlofte.agreements.importing import import_agreement_document

    version = import_agreement_document(document, user=coordinator).version
    mutate(version)
    return version.agreement, version, services


def _approve_both(services, version, coordinator, police):
    services.approve_agreement(version, coordinator, "municipality")
    services.approve_agreement(version, police, "police")
    version.refresh_from_db()


@pytest.mark.parametrize("defect", ["empty_section", "bad_source"])
def test_publishing_refuses_what_the_exchange_format_refuses(
    coordinator, police, defect, mullsjo_document
):
    from medborgarlofte.agreements.models import Indicator, Section

    def mutate(version):
        if defect == "empty_section":
            Section.objects.create(
                version=version,
                municipality=version.municipality,
                heading="Tomt avsnitt",
                position=99,
            )
        else:
            indicator = Indicator.objects.filter(commitment__section__version=version).first()
            indicator.source = "crime_statistics"  # no category after the colon
            indicator.save()

    agreement, version, services = _draft(coordinator, mullsjo_document, mutate)
    _approve_both(services, version, coordinator, police)
    with pytest.raises(ValidationError) as refused:
        services.publish_agreement(version, coordinator)
    message = " ".join(refused.value.messages)
    assert "kan inte publiceras" in message or "cannot be published" in message
    version.refresh_from_db()
    assert version.status != "published"


def test_a_new_version_can_always_be_started_after_publishing(
    client, coordinator, police, mullsjo_document
):
    from medborgarlofte.agreements.models import Commitment

    def mutate(version):
        commitment = Commitment.objects.filter(section__version=version).first()
        commitment.text = commitment.text + " (ändrad)"
        commitment.save()

    agreement, version, services = _draft(coordinator, mullsjo_document, mutate)
    _approve_both(services, version, coordinator, police)
    services.publish_agreement(version, coordinator)
    client.force_login(coordinator)
    response = client.post(f"/arbete/avtal/{agreement.pk}/ny-version/")
    assert response.status_code == 302


def test_a_legacy_invalid_published_version_gives_a_message_not_a_500(
    client, coordinator, police, mullsjo_document
):
    from medborgarlofte.agreements.models import Section

    agreement, version, services = _draft(coordinator, mullsjo_document, lambda v: None)
    _approve_both(services, version, coordinator, police)
    services.publish_agreement(version, coordinator)
    Section.objects.create(  # written straight to the database, as an older release could
        version=version, municipality=version.municipality, heading="Tomt", position=99
    )
    client.force_login(coordinator)
    response = client.post(f"/arbete/avtal/{version.agreement.pk}/ny-version/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain


# --- 6. Public PDFs rendered once per document and version ------------------------------


def test_alternating_pdf_requests_render_each_document_once(db, client, monkeypatch):
    from medborgarlofte.demo.loader import load_demo
    from medborgarlofte.followup import public_views

    load_demo()
    calls = []
    real = public_views.report_pdf

    def counting(context):
        calls.append(context["agreement"].municipality.code)
        return real(context)

    monkeypatch.setattr(public_views, "report_pdf", counting)
    from medborgarlofte.followup.models import FollowUp

    published = list(
        FollowUp.objects.filter(published_at__isnull=False, period="year").select_related(
            "agreement__municipality"
        )
    )
    urls = [
        f"/kommun/{f.agreement.municipality.code}/medborgarlofte/{f.agreement.year}/uppfoljning.pdf"
        for f in published
    ]
    if len(urls) < 2:  # one yearly follow-up in the demo: alternate it with English
        urls = [urls[0], urls[0]]
        languages = ["sv", "en"]
    else:
        urls, languages = urls[:2], ["sv", "sv"]
    for index in range(100):
        client.cookies["medborgarlofte_language"] = languages[index % 2]
        response = client.get(urls[index % 2])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert len(calls) == 2


# --- 7. Hardening --------------------------------------------------------------------------


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body + b"\n%%EOF\n"


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj",
        b"1 0 obj << /Type /Catalog /Names << /JavaScript 2 0 R >> >> endobj",
        b"1 0 obj << /S /J#61vaScript /JS (x) >> endobj",
        b"1 0 obj << /Type /Filespec /EF << /F 2 0 R >> >> endobj 2 0 obj << /Type /EmbeddedFile >> endobj",
        b"1 0 obj << /S /Launch /F (cmd.exe) >> endobj",
    ],
)
def test_evidence_pdfs_with_active_content_are_refused(body):
    from medborgarlofte.privacy import uploads

    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(_pdf(body), "bevis.pdf", kinds=uploads.EVIDENCE_KINDS)
    assert "bevis.pdf" in str(refused.value)


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    import zlib

    from medborgarlofte.privacy import uploads

    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    body = (
        b"5 0 obj << /Type /ObjStm /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj"
    )
    with pytest.raises(uploads.UploadRefused):
        uploads.check_upload(_pdf(body), "bevis.pdf", kinds=uploads.EVIDENCE_KINDS)


def test_a_plain_pdf_is_still_accepted():
    from medborgarlofte.privacy import uploads
    from medborgarlofte.reports.pdf import render_pdf_from_html

    data = render_pdf_from_html("<h1>Protokoll</h1><p>Möte med skolan.</p>")
    assert uploads.check_upload(data, "protokoll.pdf", kinds=uploads.EVIDENCE_KINDS) == "pdf"


@pytest.mark.parametrize(
    "value",
    ['＝HYPERLINK("http://x")', "＋1+1", "－1+1", "＠SUM(A1)", " =1+1", "\n=1+1", "﹦1+1"],
)
def test_csv_neutralises_every_formula_start(value):
    from medborgarlofte.reports.spreadsheets import safe_cell

    assert safe_cell(value).startswith("'")


@pytest.mark.parametrize("value", ["-12", "+46", "3,5", "Möte", "2024-01-01"])
def test_csv_leaves_numbers_and_text_alone(value):
    from medborgarlofte.reports.spreadsheets import safe_cell

    assert safe_cell(value) == value


def test_the_https_redirect_carries_the_security_headers(client, settings):
    from conftest import assert_security_headers

    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/kommun/0642/", secure=False)
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert_security_headers(response)
    assert response["X-Frame-Options"] == "DENY"
