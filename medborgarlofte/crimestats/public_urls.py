"""Public pages of crimestats (no login; published and aggregated data only)."""

from django.urls import path  # noqa: F401

app_name = "crimestats_public"
urlpatterns: list = []
