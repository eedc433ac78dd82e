"""The free texts an approved (published) lägesbild carries, for the publication gate
(privacy/gate.py). The police-only intelligence part is never published and not listed."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medborgarlofte.privacy.gate import PublishedText, short

from .models import Lagesbild


def _item(obj, field: str, place: str) -> PublishedText:
    label = str(capfirst(obj._meta.get_field(field).verbose_name))
    return PublishedText(obj, field, label, place, getattr(obj, field) or "")


def document_label(lagesbild: Lagesbild) -> str:
    return _("The situational picture “%(title)s”") % {"title": short(lagesbild.title, 60)}


def texts(lagesbild: Lagesbild) -> list[PublishedText]:
    general = _("General")
    items = [_item(lagesbild, field, general) for field in ("title", "analysis")]
    for problem in lagesbild.problems.prefetch_related("evidence"):
        place = _("Problem “%(text)s”") % {"text": short(problem.title)}
        for field in ("title", "behaviour", "place", "time", "affected", "causes", "focus_area"):
            items.append(_item(problem, field, place))
        for evidence in problem.evidence.all():
            place = _("Evidence “%(text)s” of problem “%(problem)s”") % {
                "text": short(evidence.label),
                "problem": short(problem.title),
            }
            items.append(_item(evidence, "label", place))
    return items
