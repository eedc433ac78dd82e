"""Public pages of dialogues (no login): the anonymous form per kommun."""

from django.urls import path

from . import public_views

app_name = "dialogues_public"

urlpatterns = [
    path("kommun/<str:code>/tyck-till/", public_views.public_form, name="form"),
    path("kommun/<str:code>/tyck-till/tack/", public_views.thanks, name="thanks"),
]
