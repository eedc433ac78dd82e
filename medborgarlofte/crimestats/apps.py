from django.apps import AppConfig


class CrimestatsConfig(AppConfig):
    name = "medborgarlofte.crimestats"
    label = "crimestats"
