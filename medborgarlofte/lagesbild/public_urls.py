"""Public pages of lagesbild (no login; published and aggregated data only)."""

from django.urls import path  # noqa: F401

app_name = "lagesbild_public"
urlpatterns: list = []
