"""The council report: a staff page and its PDF and DOCX, and the åtgärdsplan as JSON.

Read access: the kommun's coordinator, police and reader (accounts.access.READ_ROLES);
another kommun's user gets 404. The report holds no police-only material, so nothing is
logged as a police read."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from medborgarlofte.accounts import access
from medborgarlofte.actionplans import access as plan_access
from medborgarlofte.actionplans import exchange

from . import report


@login_required
def report_page(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    return render(
        request,
        "council/report.html",
        {
            "report": report.build(kommun),
            "municipality": kommun,
            "plans": plan_access.plans_for_user(request.user, kommun),
        },
    )


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    data = report.build(kommun)
    return _attachment(report.report_pdf(data), "application/pdf", report.file_name(data, "pdf"))


@login_required
def report_docx(request, code):
    kommun = access.get_municipality_for_user(request.user, code)
    data = report.build(kommun)
    return _attachment(
        report.report_docx(data), report.DOCX_CONTENT_TYPE, report.file_name(data, "docx")
    )


@login_required
def plan_export(request, pk):
    """The åtgärdsplan as JSON (docs/formats/actionplan.md)."""
    plan = plan_access.get_plan_for_user(request.user, pk)
    body = json.dumps(exchange.export_plan(plan), ensure_ascii=False, indent=2)
    return _attachment(body.encode(), "application/json", exchange.file_name(plan))
