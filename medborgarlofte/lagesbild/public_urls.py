"""Public pages of lagesbild (no login; published and aggregated data only)."""

from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import public_views

app_name = "lagesbild_public"
urlpatterns = [
    path(
        "kommun/<str:code>/medborgarlofte/<year:year>/varfor/",
        public_views.chain,
        name="chain",
    ),
]
