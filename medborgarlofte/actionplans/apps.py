from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "medborgarlofte.actionplans"
    label = "actionplans"
    verbose_name = "Åtgärdsplan"

    def ready(self):
        # The agreement editor (a lower layer) shows which measure and which goal of the
        # samverkansöverenskommelse a commitment serves
        # through its registry; agreements never imports this app (docs/decisions/0004).
        from medborgarlofte.agreements import commitment_notes

        from .links import goal_notes, measure_notes

        commitment_notes.register(measure_notes)
        commitment_notes.register(goal_notes)
