from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views

app_name = "api"
urlpatterns = [
    path("agreements/", views.list_agreements, name="list-agreements"),
    path("agreements/import", views.import_agreement, name="import-agreement"),
    path("agreements/<str:code>/<year:year>/", views.agreement_document, name="agreement-document"),
    path(
        "public/agreements/<str:code>/<year:year>/",
        views.public_agreement_document,
        name="public-agreement-document",
    ),
]
