"""Public pages of incidents (no login; aggregated data only, cells under 5 suppressed)."""

from django.urls import path

from . import public_views

app_name = "incidents_public"
urlpatterns = [
    path(
        "kommun/<str:code>/trygghet/vecka/<int:year>/<int:week>/",
        public_views.week,
        name="week",
    ),
    path(
        "kommun/<str:code>/trygghet/tertial/<int:year>/<int:tertial>/",
        public_views.tertial,
        name="tertial",
    ),
]
