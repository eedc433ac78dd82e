from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "medborgarlofte.backups"
    label = "backups"
