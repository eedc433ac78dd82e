from django.apps import AppConfig


class LagesbildConfig(AppConfig):
    name = "medborgarlofte.lagesbild"
    label = "lagesbild"
