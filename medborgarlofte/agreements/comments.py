"""The agreement version as a document the parties comment on (accounts/comments.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from medborgarlofte.accounts import comments

from . import access
from .models import AgreementVersion, Commitment, Section


def _label(version) -> str:
    return _("%(title)s, version %(number)s") % {"title": version.title, "number": version.number}


def _anchors(version) -> list[tuple[str, str, str]]:
    out = []
    for section in Section.objects.filter(version=version).order_by("position", "pk"):
        out.append((comments.Anchor.SECTION, str(section.pk), section.heading))
        for c in Commitment.objects.filter(version=version, section=section).order_by(
            "position", "pk"
        ):
            text = c.text if len(c.text) <= 80 else c.text[:79] + "…"
            out.append((comments.Anchor.COMMITMENT, c.ref, f"{c.ref}: {text}"))
    return out


def register() -> None:
    comments.register(
        comments.DocumentKind(
            kind="agreement",
            model=AgreementVersion,
            label=_label,
            get_for_user=access.get_version_by_pk_for_user,
            url=lambda v: reverse("agreements:version", args=[v.agreement_id, v.number]),
            anchors=_anchors,
        )
    )
