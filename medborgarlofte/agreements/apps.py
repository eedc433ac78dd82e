from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "medborgarlofte.agreements"
    label = "agreements"

    def ready(self):
        # The sources (a lower layer) may not import agreements: they ask for the
        # commitments (weekly meeting actions) and the priority crime categories (the
        # statistics pages) through these providers (docs/decisions/0004-layers.md).
        from medborgarlofte.crimestats import priorities
        from medborgarlofte.incidents import commitments

        from . import comments
        from .for_sources import commitment_refs_for_user, priority_categories

        commitments.register(commitment_refs_for_user)
        priorities.register(priority_categories)
        # Public pages of lower layers that show agreement data revalidate on its stamp.
        from medborgarlofte.accounts.public_cache import register_stamp

        from .stamps import public_stamp

        register_stamp("agreements", public_stamp)
        comments.register()
        # How agreement versions read in the audit log (accounts/audit_sentences.py).
        from medborgarlofte.accounts.audit_sentences import register_objects

        from .history import audit_phrases

        register_objects("agreementversion", audit_phrases)
