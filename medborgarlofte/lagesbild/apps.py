from django.apps import AppConfig


class LagesbildConfig(AppConfig):
    name = "medborgarlofte.lagesbild"
    label = "lagesbild"

    def ready(self):
        # The drafting comments between the parties (accounts/comments.py).
        from . import comments

        comments.register()
