from django.urls import path, register_converter

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)
from medborgarlofte.publicsite import views


class KommunCodeConverter:
    """A 4-digit kommunkod, e.g. 0642."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class DocumentFormatConverter:
    regex = "yaml|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class DocumentFileConverter:
    regex = "pdf|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


# Names prefixed: converters are global and other apps register their own.
register_converter(KommunCodeConverter, "publicsite_code")
register_converter(DocumentFormatConverter, "publicsite_format")
register_converter(DocumentFileConverter, "publicsite_document")

app_name = "publicsite"
urlpatterns = [
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    # Under /i18n/: open before a logged-in user's second login step, like Django's own.
    path("i18n/sprak/<str:language>/", views.choose_language, name="language"),
    path("kommun/<publicsite_code:code>/", views.municipality, name="municipality"),
    path(
        "kommun/<publicsite_code:code>/medborgarlofte/<year:year>/",
        views.agreement,
        name="agreement",
    ),
    path(
        "kommun/<publicsite_code:code>/medborgarlofte/<year:year>/version/<number:number>/",
        views.agreement_version,
        name="agreement-version",
    ),
    path(
        "kommun/<publicsite_code:code>/medborgarlofte/<year:year>.<publicsite_format:fmt>",
        views.agreement_download,
        name="agreement-download",
    ),
    path(
        "kommun/<publicsite_code:code>/medborgarlofte/<year:year>.<publicsite_document:fmt>",
        views.agreement_document,
        name="agreement-document",
    ),
]
