"""Public pages of crimestats (no login; published and aggregated data only)."""

from django.urls import re_path

from . import public_views

app_name = "crimestats_public"
urlpatterns = [
    re_path(r"^kommun/(?P<code>[0-9]{4})/statistik/$", public_views.statistics, name="statistics"),
]
