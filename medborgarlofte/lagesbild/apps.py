from django.apps import AppConfig


class LagesbildConfig(AppConfig):
    name = "medborgarlofte.lagesbild"
    label = "lagesbild"

    def ready(self):
        # The drafting comments between the parties (accounts/comments.py).
        from . import comments

        comments.register()
        # How frozen versions read in the audit log (accounts/audit_sentences.py).
        from medborgarlofte.accounts.audit_sentences import register_objects

        from .models import LagesbildVersion

        def version_phrases(ids, municipality) -> dict:
            from django.utils.translation import gettext as _

            found = LagesbildVersion.objects.filter(
                municipality=municipality, pk__in=ids
            ).select_related("lagesbild")
            return {
                str(v.pk): _("version %(number)s of the situational picture “%(title)s”")
                % {"number": v.number, "title": v.lagesbild.title}
                for v in found
            }

        register_objects("lagesbildversion", version_phrases)
