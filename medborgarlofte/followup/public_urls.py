"""Public follow-up pages (published follow-ups only)."""

from django.urls import path  # noqa: F401

app_name = "followup_public"
urlpatterns: list = []
