"""The follow-up report "Uppföljning medborgarlöfte <kommun> <år>": one context for the
HTML page and the PDF (same template, followup/report.html)."""

from django.utils.translation import gettext as _

from medborgarlofte.privacy.gate import public_data
from medborgarlofte.reports.pdf import render_pdf

from .charts import add_charts
from .data import build_followup_data
from .models import FollowUp, FollowUpStatus

TEMPLATE = "followup/report.html"


def report_title(municipality_name: str, year: int) -> str:
    return _("Citizen promise follow-up %(name)s %(year)s") % {
        "name": municipality_name,
        "year": year,
    }


def followup_data_for(agreement, version, period: str, followup: FollowUp | None) -> dict:
    """The frozen snapshot of a published follow-up, else the data computed now."""
    if followup is not None and followup.status == FollowUpStatus.PUBLISHED and followup.snapshot:
        return public_data(dict(followup.snapshot))  # redacted (privacy/gate.py)
    return build_followup_data(agreement, version, period, followup=followup)


def report_context(agreement, version, followup: FollowUp | None, period: str = "year") -> dict:
    if followup is not None:
        period = followup.period
    data = add_charts(followup_data_for(agreement, version, period, followup))
    commitments = [c for g in data["groups"] for c in g["commitments"]]
    weekly = [c for c in commitments if c["compliance"]["expected"] is not None]
    return {
        "data": data,
        "title": report_title(
            agreement.municipality.name, data["period"].get("year") or agreement.year
        ),
        "municipality": agreement.municipality,
        "agreement": agreement,
        "version": version,
        "commitments": commitments,
        "counted_compliance": weekly,
        "indicators": [(c, i) for c in commitments for i in c["indicators"]],
        "published": data.get("status") == FollowUpStatus.PUBLISHED,
    }


def report_pdf(context: dict) -> bytes:
    return render_pdf(TEMPLATE, context)
