from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "medborgarlofte.followup"
    label = "followup"

    def ready(self):
        # The drafting comments between the parties (accounts/comments.py).
        from . import comments

        comments.register()
