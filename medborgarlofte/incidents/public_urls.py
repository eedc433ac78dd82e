"""Public pages of incidents (no login; aggregated data only, cells under 5 suppressed)."""

from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import public_views

app_name = "incidents_public"
urlpatterns = [
    path(
        "kommun/<str:code>/trygghet/vecka/<year:year>/<week:week>/",
        public_views.week,
        name="week",
    ),
    path(
        "kommun/<str:code>/trygghet/tertial/<year:year>/<tertial:tertial>/",
        public_views.tertial,
        name="tertial",
    ),
]
