from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "medborgarlofte.agreements"
    label = "agreements"
