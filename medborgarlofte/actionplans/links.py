"""The link between a measure and the medborgarlöfte commitment it became, seen from
the agreement editor (agreements/commitment_notes.py, registered in apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from medborgarlofte.agreements.commitment_notes import Note

from . import access


def measure_notes(user, version) -> dict[str, list[Note]]:
    notes: dict[str, list[Note]] = {}
    measures = access.measures_for_commitments(user, version.municipality, version.agreement)
    for measure in measures:
        plan = measure.plan
        label = _("Serves measure %(ref)s “%(title)s” of %(plan)s (version %(n)s)") % {
            "ref": measure.ref,
            "title": measure.title,
            "plan": plan.title,
            "n": plan.number,
        }
        url = reverse("actionplans:plan", args=[plan.pk]) + f"#m{measure.pk}"
        notes.setdefault(measure.commitment_ref, []).append(Note(label, url))
    return notes


def goal_notes(user, version) -> dict[str, list[Note]]:
    """The goals of the samverkansöverenskommelse each commitment serves."""
    notes: dict[str, list[Note]] = {}
    for link in access.goal_links_for_commitments(user, version.municipality, version.agreement):
        goal, cooperation = link.goal, link.goal.cooperation
        label = _("Serves goal %(ref)s “%(title)s” of %(agreement)s") % {
            "ref": goal.ref,
            "title": goal.title,
            "agreement": cooperation.title,
        }
        url = reverse("actionplans:cooperation", args=[cooperation.pk]) + "#goals"
        notes.setdefault(link.commitment_ref, []).append(Note(label, url))
    return notes
