"""Public pages of incidents (no login; published and aggregated data only)."""

from django.urls import path  # noqa: F401

app_name = "incidents_public"
urlpatterns: list = []
