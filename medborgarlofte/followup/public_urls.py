"""Public follow-up pages (published follow-ups only)."""

from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import converters  # noqa: F401  (registers followup_code)
from . import public_views as views

app_name = "followup_public"
K = "kommun/<followup_code:code>/"
Y = K + "medborgarlofte/<year:year>/"
API = "api/v1/public/followup/"
urlpatterns = [
    path(Y + "uppfoljning/", views.citizen_page, name="citizen-page"),
    path(Y + "uppfoljning.csv", views.open_data_csv, name="open-data-csv"),
    path(Y + "uppfoljning.json", views.open_data_json, name="open-data-json"),
    path(Y + "uppfoljning.pdf", views.report_download, name="report-pdf"),
    path(K + "uppfoljning.atom", views.feed, name="feed"),
    path("uppfoljning.atom", views.national_feed, name="national-feed"),
    path(API, views.api_index, name="api-index"),
    path(API + "<followup_code:code>/<year:year>/", views.open_data_json, name="api-followup"),
]
