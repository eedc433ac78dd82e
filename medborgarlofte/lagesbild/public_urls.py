"""Public pages of lagesbild (no login; published and aggregated data only)."""

from django.urls import path

from . import public_views

app_name = "lagesbild_public"
urlpatterns = [
    path(
        "kommun/<str:code>/medborgarlofte/<int:year>/varfor/",
        public_views.chain,
        name="chain",
    ),
]
