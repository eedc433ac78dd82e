from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "medborgarlofte.surveys"
    label = "surveys"
