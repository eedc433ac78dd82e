"""The gate before anything public (issue 12, item 5).

Two halves, one scanner (privacy/scanner.py):

1. **Publication.** Publishing an agreement version, a lägesbild or a follow-up first
   collects every free text the published document carries — each app lists them as
   ``PublishedText`` items (its ``publication.py``) — and scans them. A hit that no
   coordinator has dismissed blocks publication: ``check_publishable`` raises
   ``PersonalDataFound`` with one ``Finding`` per hit, naming the document, the place
   (commitment, activity, problem …), the field and the kind, in Swedish. A
   coordinator may mark one hit "inte en personuppgift" with a reason
   (``dismiss``); the decision holds only for that exact text of that field of that
   row, so any edit brings the hit back.

2. **Public output.** Every public builder (HTML, JSON, CSV, Atom, PDF, the API) passes
   the free text it carries through ``public_text`` / ``public_data`` (templates: the
   ``|public_text`` filter): a hit that has not been dismissed is replaced by the
   kind's replacement ("[telefonnummer]", "[namn]" …). It is the last safety net for
   text that reached the database some other way (old rows, direct SQL, a missed form).
   Scanning is cached per text, and the database is asked only when a text has a hit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.privacy import scanner

DEFAULT_REPLACEMENT = "[…]"

# Our own labels for the kinds (Swedish through gettext); kinds the scanner adds later
# fall back to its KIND_LABELS, then to the kind's key.
_KIND_LABELS = {
    "personnummer": gettext_lazy("personal identity number"),
    "samordningsnummer": gettext_lazy("coordination number"),
    "possible_personnummer": gettext_lazy("possible personal identity number"),
    "phone": gettext_lazy("phone number"),
    "email": gettext_lazy("e-mail address"),
    "address": gettext_lazy("address"),
    "name": gettext_lazy("name"),
}


def kind_label(kind: str) -> str:
    if kind in _KIND_LABELS:
        return str(_KIND_LABELS[kind])
    return str(scanner.KIND_LABELS.get(kind, kind))


def replacement(kind: str) -> str:
    return scanner.REPLACEMENTS.get(kind, DEFAULT_REPLACEMENT)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8192)
def _hits(text: str) -> tuple:
    return tuple(scanner.scan(text))


def hits(text: str) -> tuple:
    """The scanner's hits, cached per text (the scanner is a pure function)."""
    return _hits(text) if text else ()


# --- what a published document carries ---------------------------------------------------


@dataclass(frozen=True)
class PublishedText:
    """One free text of a document about to be published.

    obj/field name the row and column that hold it (dismissals are keyed on them);
    place and label are what the coordinator reads: "Aktiviteten ”Kontakt …”
    (2024-03-04)", "Titel"."""

    obj: object
    field: str
    label: str
    place: str
    text: str


@dataclass(frozen=True)
class Finding:
    document: str
    place: str
    label: str
    kind: str
    app_label: str
    model: str
    object_id: int
    field: str
    start: int

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def target(self) -> str:
        """What the dismiss form posts back (the server re-scans; nothing is trusted)."""
        return (
            f"{self.app_label}.{self.model}:{self.object_id}:{self.field}:{self.start}:{self.kind}"
        )

    def message(self) -> str:
        return _("%(place)s, field %(field)s: %(kind)s") % {
            "place": self.place,
            "field": self.label,
            "kind": self.kind_label,
        }


def short(text: str, limit: int = 40) -> str:
    """A text for a place label: its hits shown as "…", cut after `limit` characters."""
    text = " ".join(scanner.redact(text, list(hits(text)), "…").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + " …"


def _dismissed(text: str) -> set[tuple[str, str]]:
    """(kind, hit hash) pairs dismissed for this exact text, in any row."""
    from medborgarlofte.accounts.tenancy import across_kommuner

    from .models import PersonalDataDismissal

    rows = across_kommuner(
        PersonalDataDismissal.objects.filter(text_hash=sha(text)),
        "public output: a coordinator judged this exact text not personal data; the public "
        "builders render text without knowing its kommun (only hashes are compared)",
    )
    return set(rows.values_list("kind", "hit_hash"))


def _dismissed_for(obj, field: str, text: str) -> set[tuple[str, str]]:
    from .models import PersonalDataDismissal

    return set(
        PersonalDataDismissal.objects.filter(
            municipality_id=obj.municipality_id,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            field=field,
            text_hash=sha(text),
        ).values_list("kind", "hit_hash")
    )


def collect(document: str, texts: Iterable[PublishedText]) -> list[Finding]:
    """Every hit in the texts that has not been dismissed, in the order given."""
    findings = []
    for item in texts:
        found = hits(item.text or "")
        if not found:
            continue
        dismissed = _dismissed_for(item.obj, item.field, item.text)
        meta = item.obj._meta
        for hit in found:
            if (hit.kind, sha(hit.text)) in dismissed:
                continue
            findings.append(
                Finding(
                    document=document,
                    place=item.place,
                    label=item.label,
                    kind=hit.kind,
                    app_label=meta.app_label,
                    model=meta.model_name,
                    object_id=item.obj.pk,
                    field=item.field,
                    start=hit.start,
                )
            )
    return findings


class PersonalDataFound(ValidationError):
    """Publication refused: the findings say where. A ValidationError, so a view that
    only knows ValidationError still shows the Swedish message naming each place."""

    def __init__(self, document: str, findings: list[Finding]):
        self.document = document
        self.findings = findings
        lines = "; ".join(f.message() for f in findings)
        super().__init__(
            _(
                "%(document)s was not published: it seems to contain personal data. "
                "Remove it, or have a coordinator mark the finding as not personal data. "
                "%(findings)s."
            )
            % {"document": document, "findings": lines}
        )


def check_publishable(document: str, texts: Iterable[PublishedText]) -> None:
    findings = collect(document, texts)
    if findings:
        raise PersonalDataFound(document, findings)


# --- dismissing one finding ------------------------------------------------------------

# The rows and fields a dismissal may name: the fields the publication providers list.
DISMISSABLE: dict[str, set[str]] = {
    "agreements.agreementversion": {
        "title",
        "police_area",
        "introduction",
        "effects",
        "follow_up_text",
    },
    "agreements.basisitem": {"description"},
    "agreements.focusarea": {"title"},
    "agreements.prioritycategory": {"name"},
    "agreements.section": {"heading"},
    "agreements.commitment": {"text"},
    "agreements.indicator": {"title", "unit", "source"},
    "agreements.signatory": {"role"},
    "lagesbild.lagesbild": {"title", "analysis"},
    "lagesbild.problem": {
        "title",
        "behaviour",
        "place",
        "time",
        "affected",
        "causes",
        "focus_area",
    },
    "lagesbild.evidence": {"label"},
    "followup.followup": {"summary"},
    "followup.narrative": {"text"},
    "followup.commitmentstatus": {"explanation"},
    "followup.activity": {"title", "unit"},
}


def parse_target(target: str, user):
    """The row, field, text and hit a dismiss form names; ValidationError if any is off
    (also for rows of kommuner where the user holds no role: their existence is not
    revealed)."""
    from django.apps import apps

    from medborgarlofte.accounts import access

    try:
        model_key, object_id, field, start, kind = target.split(":")
        app_label, model_name = model_key.split(".")
        object_id, start = int(object_id), int(start)
    except ValueError as exc:
        raise ValidationError(_("The finding is no longer there.")) from exc
    if field not in DISMISSABLE.get(model_key, set()):
        raise ValidationError(_("The finding is no longer there."))
    model = apps.get_model(app_label, model_name)
    kommuner = access.municipalities_for_user(user)
    obj = model.objects.filter(pk=object_id, municipality__in=kommuner).first()
    if obj is None:
        raise ValidationError(_("The finding is no longer there."))
    text = getattr(obj, field) or ""
    hit = next((h for h in hits(text) if h.start == start and h.kind == kind), None)
    if hit is None:
        raise ValidationError(_("The finding is no longer there."))
    return obj, field, text, hit


@transaction.atomic
def dismiss(user, target: str, reason: str):
    """Mark one finding "inte en personuppgift". Coordinators of the row's kommun only."""
    from medborgarlofte.accounts import access, audit
    from medborgarlofte.accounts.models import Role

    from .models import PersonalDataDismissal

    obj, field, text, hit = parse_target(target, user)
    if Role.COORDINATOR not in access.roles_for(user, obj.municipality):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason why this is not personal data."))
    if hits(reason):
        raise ValidationError(_("The reason seems to contain personal data itself. Rephrase it."))
    dismissal, created = PersonalDataDismissal.objects.get_or_create(
        municipality=obj.municipality,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        field=field,
        kind=hit.kind,
        text_hash=sha(text),
        hit_hash=sha(hit.text),
        defaults={"reason": reason, "user": user},
    )
    if created:
        audit.record(
            user=user,
            action="dismiss_personal_data_finding",
            obj=obj,
            municipality=obj.municipality,
            summary=f"{obj._meta.model_name} {obj.pk} {field}: {hit.kind}",
            after={"field": field, "kind": hit.kind, "reason": reason, "dismissal": dismissal.pk},
        )
    return dismissal


# --- public output ---------------------------------------------------------------------


def public_text(value):
    """The text as it may be shown publicly: undismissed hits replaced ("[telefonnummer]")."""
    if not isinstance(value, str) or not value:
        return value
    found = hits(str(value))
    if not found:
        return value
    dismissed = _dismissed(str(value))
    out, position = [], 0
    for hit in found:
        if (hit.kind, sha(hit.text)) in dismissed:
            continue
        out.append(value[position : hit.start])
        out.append(replacement(hit.kind))
        position = hit.end
    out.append(value[position:])
    return "".join(out)  # a plain str: templates escape it as any text


# Keys whose values are codes, dates, enumerations or deliberately public names (the
# parties and signatories of an agreement: public office holders signing in office).
KEEP_KEYS = frozenset(
    {
        "format",
        "municipality",
        "code",
        "ref",
        "key",
        "kind",
        "level",
        "cadence",
        "status",
        "period",
        "date",
        "start",
        "end",
        "due",
        "published_at",
        "as_of",
        "value_date",
        "signed_date",
        "parties",
        "owners",
        "owner",
        "signatories",
    }
)


def public_data(value, keep: frozenset = KEEP_KEYS):
    """A JSON-like structure with public_text applied to every string it carries."""
    if isinstance(value, str):
        return public_text(value)
    if isinstance(value, dict):
        return {k: v if k in keep else public_data(v, keep) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [public_data(v, keep) for v in value]
    return value
