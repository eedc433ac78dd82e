from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "medborgarlofte.followup"
    label = "followup"

    def ready(self):
        # Next year's draft shows last year's follow-up status beside each continued
        # commitment; agreements (a lower layer) asks through this provider.
        from medborgarlofte.agreements import earlier_followup

        from .earlier import statuses_for_agreement

        earlier_followup.register(statuses_for_agreement)
