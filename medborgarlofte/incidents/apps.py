from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "medborgarlofte.incidents"
    label = "incidents"
