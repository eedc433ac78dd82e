from django.apps import AppConfig


class PublicsiteConfig(AppConfig):
    name = "medborgarlofte.publicsite"
    label = "publicsite"
