from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "medborgarlofte.privacy"
    label = "privacy"
