"""The free texts a published agreement version carries, for the publication gate
(privacy/gate.py). Party names and signatory names are public by design (the parties
and the office holders who sign) and are not listed."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from medborgarlofte.privacy.gate import PublishedText, short

from .models import AgreementVersion


def _label(obj, field: str) -> str:
    return str(capfirst(obj._meta.get_field(field).verbose_name))


def _item(obj, field: str, place: str) -> PublishedText:
    return PublishedText(obj, field, _label(obj, field), place, getattr(obj, field) or "")


def document_label(version: AgreementVersion) -> str:
    return _("The citizen promise “%(title)s”, version %(number)s") % {
        "title": short(version.title, 60),
        "number": version.number,
    }


def texts(version: AgreementVersion) -> list[PublishedText]:
    general = _("General")
    items = [
        _item(version, field, general)
        for field in ("title", "police_area", "introduction", "effects", "follow_up_text")
    ]
    for basis in version.basis.all():
        items.append(
            _item(basis, "description", _("Basis “%(text)s”") % {"text": short(basis.description)})
        )
    for area in version.focus_areas.all():
        items.append(_item(area, "title", _("Focus area “%(text)s”") % {"text": short(area.title)}))
    for category in version.crime_categories.all():
        place = _("Priority crime category “%(text)s”") % {"text": short(category.name)}
        items.append(_item(category, "name", place))
    for section in version.sections.all():
        place = _("Section “%(text)s”") % {"text": short(section.heading)}
        items.append(_item(section, "heading", place))
    for commitment in version.commitments.prefetch_related("indicators"):
        place = _("Commitment %(ref)s “%(text)s”") % {
            "ref": commitment.ref,
            "text": short(commitment.text),
        }
        items.append(_item(commitment, "text", place))
        for indicator in commitment.indicators.all():
            place = _("Indicator “%(text)s” of commitment %(ref)s") % {
                "text": short(indicator.title),
                "ref": commitment.ref,
            }
            items += [_item(indicator, f, place) for f in ("title", "unit", "source")]
    for signatory in version.signatories.all():
        place = _("Signatory “%(text)s”") % {"text": short(signatory.role)}
        items.append(_item(signatory, "role", place))
    return items
