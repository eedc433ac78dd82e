"""Checking an exchange document and applying it to the database.

The rules of the format live in exchange/validation.py. `import_agreement_document` applies a
valid document in one
transaction with an audit record; `replace_version_content` rewrites one editable
version and is shared with the editor. See docs/formats/agreement-v1.md.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medborgarlofte.accounts import approvals, audit
from medborgarlofte.crimestats.models import CrimeCategory
from medborgarlofte.crimestats.taxonomy import match_category
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy.fields import hit_message
from medborgarlofte.privacy.scanner import scan

from . import models as m
from .exchange import (
    DocumentError,
    DocumentIssue,
    canonical_document,
    export_version_document,
    validate_document,
)

# --- Importing --------------------------------------------------------------------------

CREATED, NEW_VERSION, UPDATED_DRAFT, UNCHANGED = (
    "created",
    "new_version",
    "updated_draft",
    "unchanged",
)


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do)."""

    action: str  # created | new_version | updated_draft | unchanged
    municipality: Municipality
    period_start: datetime.date
    period_end: datetime.date
    version_number: int
    agreement: m.Agreement | None  # None only for a dry run that would create it
    version: m.AgreementVersion | None  # None only for a dry run that would create it
    document: dict  # the canonical document
    counts: dict = field(default_factory=dict)
    unlinked_categories: list = field(default_factory=list)
    dry_run: bool = False
    approvals_removed: int = 0
    previous_status: str = ""
    replaced_version: int | None = None  # the published version a new version follows

    @property
    def changed(self) -> bool:
        return self.action != UNCHANGED and not self.dry_run

    def summary_lines(self) -> list[str]:
        params = {
            "kommun": self.municipality.name,
            "code": self.municipality.code,
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
            "number": self.version_number,
            "previous": self.replaced_version,
            "status": self.previous_status,
            "approvals": self.approvals_removed,
        }
        lines = [_("Dry run: nothing was saved.")] if self.dry_run else []
        headline = {
            CREATED: _(
                "%(kommun)s (%(code)s) %(start)s – %(end)s: new agreement with draft "
                "version %(number)d."
            ),
            NEW_VERSION: _(
                "%(kommun)s (%(code)s) %(start)s – %(end)s: new draft version %(number)d."
            )
            + (
                " " + _("Published version %(previous)d is not changed.")
                if self.replaced_version
                else ""
            ),
            UPDATED_DRAFT: _(
                "%(kommun)s (%(code)s) %(start)s – %(end)s: the content of version "
                "%(number)d (%(status)s) is replaced; its status is draft again."
            ),
            UNCHANGED: _(
                "%(kommun)s (%(code)s) %(start)s – %(end)s: unchanged, version "
                "%(number)d already has exactly this content."
            ),
        }[self.action]
        lines.append(headline % params)
        if self.approvals_removed:
            lines.append(
                ngettext(
                    "%(approvals)d approval was removed; the parties must approve again.",
                    "%(approvals)d approvals were removed; the parties must approve again.",
                    self.approvals_removed,
                )
                % params
            )
        c = self.counts
        lines.append(
            _(
                "Sections: %(sections)d, commitments: %(commitments)d, indicators: "
                "%(indicators)d, focus areas: %(focus_areas)d, crime categories: "
                "%(crime_categories)d."
            )
            % c
        )
        if self.unlinked_categories:
            lines.append(
                _("Not linked to statistics: %(names)s.")
                % {"names": ", ".join(self.unlinked_categories)}
            )
        return lines


def _counts(doc: dict) -> dict:
    commitments = [c for s in doc["sections"] for c in s["commitments"]]
    return {
        "parties": len(doc["parties"]),
        "sections": len(doc["sections"]),
        "commitments": len(commitments),
        "indicators": sum(len(c.get("indicators", [])) for c in commitments),
        "focus_areas": len(doc.get("focus_areas", [])),
        "crime_categories": len(doc.get("crime_categories", [])),
    }


def _linked_categories(doc: dict) -> dict:
    """{name: CrimeCategory or None} for the document's priority crime categories."""
    names = doc.get("crime_categories", [])
    if not names:
        return {}
    categories = list(CrimeCategory.objects.all())
    return {name: match_category(name, categories) for name in names}


#: Keys of the exchange format whose values are codes, dates or references, not free
#: text; every other string of a document passes the scanner (privacy/registry.py).
NOT_FREE_TEXT_KEYS = frozenset(
    {"format", "key", "ref", "kind", "level", "cadence", "direction", "source", "status",
     "municipality", "kommun", "code", "signed_date", "date", "valid_from", "valid_to",
     "owners", "focus_area", "categories", "crime_categories", "party", "language"}
)  # fmt: skip


def personal_data_issues(doc, path: str = "") -> list[DocumentIssue]:
    """A document issue for every string with scanner hits, by path (no data shown).

    Signatories' names are the signing officials' names, published on purpose."""
    issues = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in NOT_FREE_TEXT_KEYS or (key == "name" and ".signatories[" in f".{path}"):
                continue
            issues += personal_data_issues(value, f"{path}.{key}" if path else str(key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            issues += personal_data_issues(value, f"{path}[{index}]")
    elif isinstance(doc, str) and (hits := scan(doc)):
        issues.append(DocumentIssue(path, hit_message(hits)))
    return issues


def _checked(doc, name: str) -> dict:
    issues = validate_document(doc)
    if issues:
        raise DocumentError(issues, name)
    issues = personal_data_issues(doc)
    if issues:
        raise DocumentError(issues, name)
    return canonical_document(doc)


def import_agreement_document(
    doc, *, user=None, dry_run: bool = False, name: str = ""
) -> ImportResult:
    """Apply a parsed document: new agreement, new draft version, replaced draft or nothing.

    Raises DocumentError (nothing changed) when the document is invalid. A published
    version is never changed. With dry_run nothing is written.
    """
    canonical = _checked(doc, name)
    municipality = Municipality.objects.get(code=canonical["municipality"])
    start = datetime.date.fromisoformat(canonical["period"]["start"])
    end = datetime.date.fromisoformat(canonical["period"]["end"])
    linked = _linked_categories(canonical)
    with transaction.atomic():
        agreement = (
            m.Agreement.objects.select_for_update()
            .filter(municipality=municipality, period_start=start, period_end=end)
            .first()
        )
        latest = agreement.versions.order_by("-number").first() if agreement else None
        before = export_version_document(latest) if latest else None
        result = ImportResult(
            action=CREATED,
            municipality=municipality,
            period_start=start,
            period_end=end,
            version_number=(latest.number + 1) if latest else 1,
            agreement=agreement,
            version=None,
            document=canonical,
            counts=_counts(canonical),
            dry_run=dry_run,
            unlinked_categories=[n for n, category in linked.items() if category is None],
        )
        if latest is not None and before == canonical:
            result.action, result.version, result.version_number = UNCHANGED, latest, latest.number
        elif agreement is not None and (latest is None or latest.status == m.Status.PUBLISHED):
            result.action = NEW_VERSION
            result.replaced_version = latest.number if latest else None
        elif latest is not None:
            result.action, result.version, result.version_number = (
                UPDATED_DRAFT,
                latest,
                latest.number,
            )
            result.previous_status = latest.get_status_display()
            result.approvals_removed = latest.approvals.count()
        if dry_run or result.action == UNCHANGED:
            return result
        if agreement is None:
            agreement = m.Agreement.objects.create(
                municipality=municipality, period_start=start, period_end=end
            )
        if result.version is None:
            result.version = m.AgreementVersion.objects.create(
                agreement=agreement,
                municipality=municipality,
                number=result.version_number,
                status=m.Status.DRAFT,
                title=canonical["title"],
            )
        result.agreement = agreement
        approvals.clear_approvals(result.version, user)  # audited, like any edit
        write_content(result.version, canonical, linked)
        audit.record(
            user=user,
            action="import_agreement",
            obj=result.version,
            summary=" ".join(result.summary_lines()),
            before=before,
            after=canonical,
        )
    return result


def replace_version_content(
    version: m.AgreementVersion, doc: dict, user, *, name: str = ""
) -> bool:
    """Replace everything in an editable version with the document's content.

    The document must be valid and belong to the version's kommun and period. Approvals
    are removed and the status goes back to draft. Returns False (and writes nothing)
    when the version already has exactly this content. Raises DocumentError or, for a
    published version, ValueError.
    """
    if not version.is_editable:
        raise ValueError("A published version is never changed; start a new version.")
    canonical = _checked(doc, name)
    agreement = version.agreement
    wrong = []
    if canonical["municipality"] != version.municipality.code:
        wrong.append(
            DocumentIssue(
                "municipality",
                _('the document is for kommun "%(other)s", this version for "%(code)s"')
                % {"other": canonical["municipality"], "code": version.municipality.code},
            )
        )
    period = {"start": agreement.period_start.isoformat(), "end": agreement.period_end.isoformat()}
    if canonical["period"] != period:
        wrong.append(
            DocumentIssue(
                "period",
                _("the document's period differs from this agreement's (%(start)s – %(end)s)")
                % period,
            )
        )
    if wrong:
        raise DocumentError(wrong, name)
    with transaction.atomic():
        before = export_version_document(version)
        if before == canonical:
            return False
        approvals.clear_approvals(version, user)  # audited, like any edit
        write_content(version, canonical, _linked_categories(canonical))
        audit.record(
            user=user,
            action="replace_version_content",
            obj=version,
            summary=f"{canonical['title']} v{version.number}",
            before=before,
            after=canonical,
        )
    return True


def write_content(version: m.AgreementVersion, doc: dict, linked: dict) -> None:
    """Rewrite the version's rows from a canonical document (call inside a transaction)."""
    version.approvals.all().delete()
    version.sections.all().delete()  # with their commitments, owner links and indicators
    for related in (
        version.signatories,
        version.parties,
        version.focus_areas,
        version.crime_categories,
        version.basis,
    ):
        related.all().delete()
    signed, follow_up = doc.get("signed", {}), doc.get("follow_up", {})
    version.status = m.Status.DRAFT
    version.title = doc["title"]
    version.police_area = doc.get("police_area", "")
    version.introduction = doc.get("introduction", "")
    version.effects = doc.get("effects", "")
    version.follow_up_text = follow_up.get("text", "")
    version.follow_up_schedule = follow_up.get("schedule", [])
    version.signed_date = datetime.date.fromisoformat(signed["date"]) if "date" in signed else None
    version.extensions = doc.get("extensions", {})
    version.save()
    tenant = {"version": version, "municipality_id": version.municipality_id}
    parties = {
        p.key: p
        for p in m.Party.objects.bulk_create(
            m.Party(**tenant, key=p["key"], kind=p["kind"], name=p["name"], position=i)
            for i, p in enumerate(doc["parties"])
        )
    }
    m.Signatory.objects.bulk_create(
        m.Signatory(
            **tenant, party=parties[s["party"]], role=s["role"], name=s.get("name", ""), position=i
        )
        for i, s in enumerate(signed.get("signatories", []))
    )
    m.BasisItem.objects.bulk_create(
        m.BasisItem(
            **tenant,
            kind=b["kind"],
            description=b["description"],
            years=b.get("years", []),
            position=i,
        )
        for i, b in enumerate(doc.get("basis", []))
    )
    focus_areas = {
        f.key: f
        for f in m.FocusArea.objects.bulk_create(
            m.FocusArea(**tenant, key=f["key"], title=f["title"], position=i)
            for i, f in enumerate(doc.get("focus_areas", []))
        )
    }
    m.PriorityCategory.objects.bulk_create(
        m.PriorityCategory(**tenant, name=n, category=linked.get(n), position=i)
        for i, n in enumerate(doc.get("crime_categories", []))
    )
    for s_index, data in enumerate(doc["sections"]):
        section = m.Section.objects.create(
            **tenant,
            heading=data["heading"],
            position=s_index,
            focus_area=focus_areas.get(data.get("focus_area")),
        )
        _write_commitments(section, data["commitments"], parties, tenant)


def _write_commitments(section, items: list, parties: dict, tenant: dict) -> None:
    commitments = m.Commitment.objects.bulk_create(
        m.Commitment(
            **tenant,
            section=section,
            ref=c["ref"],
            text=c["text"],
            level=c.get("level", ""),
            cadence=c.get("cadence", ""),
            position=i,
        )
        for i, c in enumerate(items)
    )
    owners, indicators = [], []
    for commitment, data in zip(commitments, items, strict=True):
        owners += [
            m.CommitmentOwner(
                commitment=commitment,
                party=parties[key],
                position=i,
                municipality_id=tenant["municipality_id"],
            )
            for i, key in enumerate(data["owners"])
        ]
        indicators += [
            m.Indicator(
                commitment=commitment,
                municipality_id=tenant["municipality_id"],
                title=ind["title"],
                kind=ind["kind"],
                unit=ind.get("unit", ""),
                baseline=ind.get("baseline"),
                target=ind.get("target"),
                direction=ind.get("direction", ""),
                source=ind.get("source", ""),
                position=i,
            )
            for i, ind in enumerate(data.get("indicators", []))
        ]
    m.CommitmentOwner.objects.bulk_create(owners)
    m.Indicator.objects.bulk_create(indicators)
