"""Public pages of dialogues (no login; published and aggregated data only)."""

from django.urls import path  # noqa: F401

app_name = "dialogues_public"
urlpatterns: list = []
