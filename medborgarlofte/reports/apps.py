from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "medborgarlofte.reports"
    label = "reports"
