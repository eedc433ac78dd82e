"""Which versions are compared, and where the comparison is shown (issue 18).

The comparison itself is agreements/diff.py (pure functions on exchange documents). It is
shown in three places, always the same way (the fragment accounts/_changes.html):

- the version history (staff): every version against the one before it;
- the version page, where the parties approve: a draft against the latest published
  version, so both see what they are approving;
- the public agreement page: a published version against the published version before
  it, from documents that went through the privacy gate and without the extensions.
  Comments are never part of a document, so they are never in a diff.
"""

from django.utils.translation import gettext as _

from medborgarlofte.privacy.gate import public_data

from .diff import diff_agreements
from .exchange import export_version_document
from .models import AgreementVersion, Status


def version_history(agreement) -> list[dict]:
    """Every version, newest first, each with the changes against the version before it."""
    versions = list(agreement.versions.order_by("number"))
    documents = [export_version_document(v) for v in versions]
    history = []
    for index, version in enumerate(versions):
        changes = diff_agreements(documents[index - 1], documents[index]) if index else []
        history.append({"version": version, "changes": changes, "first": index == 0})
    history.reverse()
    return history


def changes_since_published(version) -> dict:
    """For a version that is not published: the latest published version before it
    ("since", None if there is none or the version is published) and the changes."""
    published = None
    if version.status != Status.PUBLISHED:
        published = (
            version.agreement.versions.filter(status=Status.PUBLISHED, number__lt=version.number)
            .order_by("-number")
            .first()
        )
    if published is None:
        return {"since": None, "changes": []}
    changes = diff_agreements(export_version_document(published), export_version_document(version))
    return {"since": published, "changes": changes}


def public_changes(earlier, version) -> list:
    """What changed from the published version `earlier` to the published `version`,
    only from what the public page shows (privacy gate, no extensions)."""
    old = public_data(export_version_document(earlier))
    new = public_data(export_version_document(version))
    return diff_agreements(old, new, public=True)


def audit_phrases(ids, municipality) -> dict:
    """How agreement versions read in the audit log: "version 4 av medborgarlöftet 2024"."""
    found = AgreementVersion.objects.filter(municipality=municipality, pk__in=ids).select_related(
        "agreement"
    )
    return {
        str(v.pk): _("version %(number)s of the medborgarlöfte %(year)s")
        % {"number": v.number, "year": str(v.agreement.year)}
        for v in found
    }
