"""The promise as a document: PDF and DOCX of an agreement version (issue 14, item 8).

Both carry the contents of the public agreement page: the PDF is rendered from the same
template (``agreements/_document_body.html``, included by ``publicsite/agreement.html``),
the DOCX is built with python-docx from the same loaded version. Every free text passes
``privacy.gate.public_text``, for drafts too: the documents are made for council papers
and the kommun's website.

    version = load_version(version)     # everything the document shows, fixed queries
    pdf = agreement_pdf(version)
    docx = agreement_docx(version)
"""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medborgarlofte.privacy.gate import public_text

from .models import AgreementVersion, Commitment, CommitmentOwner, Section, Signatory

SOURCE_LABELS = {
    "manual": gettext_lazy("entered manually"),
    "crime_statistics": gettext_lazy("crime statistics"),
    "incidents": gettext_lazy("incident reports"),
    "meetings": gettext_lazy("meetings"),
    "survey": gettext_lazy("safety survey"),
    "activities": gettext_lazy("activities"),
}

SCHEDULE_LABELS = {
    "tertial": gettext_lazy("Every tertial"),
    "quarter": gettext_lazy("Every quarter"),
    "half_year": gettext_lazy("Every half year"),
    "year": gettext_lazy("Every year"),
    "kvartal": gettext_lazy("Every quarter"),
    "halvår": gettext_lazy("Every half year"),
}

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def with_contents(queryset: QuerySet[AgreementVersion]) -> QuerySet[AgreementVersion]:
    """Everything the agreement page and the documents show, in a fixed number of queries."""
    commitments = Commitment.objects.prefetch_related(
        Prefetch("owner_links", queryset=CommitmentOwner.objects.select_related("party")),
        "indicators",
    )
    return queryset.select_related("agreement", "municipality__county").prefetch_related(
        "parties",
        Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
        "basis",
        "focus_areas",
        "crime_categories",
        Prefetch(
            "sections",
            queryset=Section.objects.select_related("focus_area").prefetch_related(
                Prefetch("commitments", queryset=commitments)
            ),
        ),
    )


def load_version(version: AgreementVersion) -> AgreementVersion:
    """The version (fetched through access.py) again with its contents, indicators
    prepared for display."""
    scoped = AgreementVersion.objects.filter(pk=version.pk, municipality=version.municipality_id)
    version = with_contents(scoped).get()
    prepare_indicators(version)
    return version


def schedule(version) -> list[dict]:
    """follow_up_schedule is a list of ISO dates, or one word (tertial, quarter, half_year,
    year)."""
    entries = version.follow_up_schedule or []
    if not isinstance(entries, list):
        entries = [entries]
    items = []
    for entry in entries:
        text = str(entry)
        try:
            items.append({"date": date.fromisoformat(text)})
        except ValueError:
            items.append({"label": SCHEDULE_LABELS.get(text, text)})
    return items


def source_label(source: str) -> str:
    """'crime_statistics:Narkotikabrott' → 'crime statistics: Narkotikabrott'."""
    kind, _sep, detail = (source or "").partition(":")
    label = SOURCE_LABELS.get(kind.strip())
    if label is None:
        return source or ""
    return f"{label}: {detail.strip()}" if detail.strip() else str(label)


def plain_number(value):
    """12.0 → 12, 100.50 → 100.5 (the template localises it: '100,5')."""
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def prepare_indicators(version) -> None:
    for section in version.sections.all():
        for commitment in section.commitments.all():
            for indicator in commitment.indicators.all():
                indicator.source_label = source_label(indicator.source)
                indicator.baseline_display = plain_number(indicator.baseline)
                indicator.target_display = plain_number(indicator.target)


def file_name(version, extension: str, *, with_number: bool = False) -> str:
    suffix = f"-v{version.number}" if with_number else ""
    return (
        f"medborgarlofte-{version.municipality.code}-{version.agreement.year}{suffix}.{extension}"
    )


# --- PDF ------------------------------------------------------------------------------------


def agreement_pdf(version) -> bytes:
    """The version as PDF, from the public page's template (WeasyPrint)."""
    from medborgarlofte.reports.pdf import render_pdf

    context = {
        "version": version,
        "agreement": version.agreement,
        "municipality": version.municipality,
        "year": version.agreement.year,
        "schedule": schedule(version),
    }
    return render_pdf("agreements/document.html", context)


# --- DOCX -----------------------------------------------------------------------------------


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _paragraphs(document, text: str) -> None:
    for block in public_text(text or "").split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def _indicator_line(indicator) -> str:
    parts = [str(indicator.get_kind_display()).lower()]
    if indicator.unit:
        parts.append(_("unit: %(unit)s") % {"unit": public_text(indicator.unit)})
    baseline = plain_number(indicator.baseline)
    if baseline is not None:
        parts.append(_("baseline %(value)s") % {"value": formats.localize(baseline)})
    target = plain_number(indicator.target)
    if target is not None:
        parts.append(_("target %(value)s") % {"value": formats.localize(target)})
    if indicator.direction:
        parts.append(
            _("desired direction: %(direction)s")
            % {"direction": str(indicator.get_direction_display()).lower()}
        )
    if indicator.source:
        parts.append(
            _("source: %(source)s") % {"source": public_text(source_label(indicator.source))}
        )
    return f"{public_text(indicator.title)} ({', '.join(parts)})"


def agreement_docx(version) -> bytes:
    """The version as a Word document (python-docx): the same sections as the public page."""
    import docx

    document = docx.Document()
    document.core_properties.title = public_text(version.title)
    document.core_properties.language = "sv-SE"
    document.add_heading(public_text(version.title), level=0)

    agreement, kommun = version.agreement, version.municipality
    facts = [
        (_("Municipality"), f"{kommun.name} ({kommun.county.name})"),
        (_("Period"), f"{_date(agreement.period_start)} – {_date(agreement.period_end)}"),
    ]
    if version.police_area:
        facts.append((_("Local police area"), public_text(version.police_area)))
    facts.append((_("Version"), str(version.number)))
    if version.signed_date:
        facts.append((_("Signed"), _date(version.signed_date)))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    document.add_heading(_("Parties"), level=1)
    for party in version.parties.all():
        document.add_paragraph(f"{party.name} ({party.get_kind_display()})", style="List Bullet")

    if version.introduction:
        document.add_heading(_("Introduction"), level=1)
        _paragraphs(document, version.introduction)

    basis = list(version.basis.all())
    if basis:
        document.add_heading(_("What the promise is based on"), level=1)
        for item in basis:
            years = f" ({', '.join(str(y) for y in item.years)})" if item.years else ""
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{item.get_kind_display()}{years}: ").bold = True
            paragraph.add_run(public_text(item.description))

    focus_areas = list(version.focus_areas.all())
    if focus_areas:
        document.add_heading(_("Focus areas"), level=1)
        for area in focus_areas:
            document.add_paragraph(public_text(area.title), style="List Number")

    categories = list(version.crime_categories.all())
    if categories:
        document.add_heading(_("Priority crime categories"), level=1)
        for category in categories:
            document.add_paragraph(public_text(category.name), style="List Bullet")

    document.add_heading(_("Commitments"), level=1)
    sections = list(version.sections.all())
    if not sections:
        document.add_paragraph(_("This version has no commitments."))
    for section in sections:
        document.add_heading(public_text(section.heading), level=2)
        if section.focus_area:
            document.add_paragraph(
                f"{_('Focus area:')} {public_text(section.focus_area.title)}", style="Caption"
            )
        for commitment in section.commitments.all():
            _paragraphs(document, commitment.text)
            meta = []
            owners = ", ".join(link.party.name for link in commitment.owner_links.all())
            meta.append(f"{_('Responsible:')} {owners}")
            if commitment.level:
                meta.append(_("Level: %(level)s") % {"level": commitment.get_level_display()})
            if commitment.cadence:
                meta.append(
                    _("How often: %(cadence)s") % {"cadence": commitment.get_cadence_display()}
                )
            document.add_paragraph(" · ".join(meta)).runs[0].italic = True
            indicators = list(commitment.indicators.all())
            if indicators:
                document.add_paragraph(_("How it is measured:"))
                for indicator in indicators:
                    document.add_paragraph(_indicator_line(indicator), style="List Bullet 2")

    if version.effects:
        document.add_heading(_("Expected effects"), level=1)
        _paragraphs(document, version.effects)

    items = schedule(version)
    if version.follow_up_text or items:
        document.add_heading(_("Follow-up"), level=1)
        _paragraphs(document, version.follow_up_text)
        if items:
            document.add_paragraph(_("Follow-up schedule:"))
            for item in items:
                text = _date(item["date"]) if "date" in item else str(item["label"])
                document.add_paragraph(text, style="List Bullet")

    signatories = list(version.signatories.all())
    if signatories or version.signed_date:
        document.add_heading(_("Signatures"), level=1)
        if version.signed_date:
            document.add_paragraph(
                _("Signed on %(date)s by:") % {"date": _date(version.signed_date)}
            )
        for signatory in signatories:
            name = f", {signatory.name}" if signatory.name else ""
            document.add_paragraph(
                f"{public_text(signatory.role)}{name} ({signatory.party.name})", style="List Bullet"
            )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
