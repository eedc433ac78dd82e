from django.apps import AppConfig


class KommunerConfig(AppConfig):
    name = "medborgarlofte.kommuner"
    label = "kommuner"
