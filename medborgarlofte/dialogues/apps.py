from django.apps import AppConfig


class DialoguesConfig(AppConfig):
    name = "medborgarlofte.dialogues"
    label = "dialogues"
