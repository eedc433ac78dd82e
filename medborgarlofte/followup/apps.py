from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "medborgarlofte.followup"
    label = "followup"

    def ready(self):
        # The drafting comments between the parties (accounts/comments.py).
        from . import comments

        comments.register()

        from medborgarlofte.agreements import source_choices

        from .models import MeetingType

        # The meeting types an indicator's "meetings:" source may count (issue 14, item 7).
        source_choices.register(
            "meetings", lambda _municipality: [(k, str(label)) for k, label in MeetingType.choices]
        )

        # Next year's draft shows last year's follow-up status beside each continued
        # commitment; agreements (a lower layer) asks through this provider.
        from medborgarlofte.agreements import earlier_followup

        from .earlier import statuses_for_agreement

        earlier_followup.register(statuses_for_agreement)
