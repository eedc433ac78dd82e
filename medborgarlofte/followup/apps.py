from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "medborgarlofte.followup"
    label = "followup"
