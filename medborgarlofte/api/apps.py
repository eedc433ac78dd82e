from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "medborgarlofte.api"
    label = "api"
