from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.agreements.models import Agreement
from medborgarlofte.followup.models import FollowUp
from medborgarlofte.followup.report import TEMPLATE, report_context, report_pdf


class Command(BaseCommand):
    help = (
        "Write the yearly follow-up report “Uppföljning medborgarlöfte <kommun> <år>” as PDF "
        "(and optionally HTML, from the same template). Uses the published yearly follow-up, "
        "else the figures as they stand now."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("year", type=int, help="the year the agreement period starts")
        parser.add_argument("--pdf", required=True, help="write the PDF to this file")
        parser.add_argument("--html", help="also write the HTML to this file")

    def handle(self, *args, code, year, pdf, html, **options):
        from django.template.loader import render_to_string

        agreement = (
            Agreement.objects.filter(municipality__code=code, period_start__year=year)
            .select_related("municipality")
            .order_by("-period_start")
            .first()
        )
        if agreement is None:
            raise CommandError(f"no agreement for kommun {code} starting in {year}")
        version = agreement.published_version()
        if version is None:
            raise CommandError(f"the agreement {code} {year} has no published version")
        followup = FollowUp.objects.filter(agreement=agreement, period="year").first()
        context = report_context(agreement, version, followup)
        Path(pdf).write_bytes(report_pdf(context))
        self.stdout.write(f"wrote {pdf}")
        if html:
            Path(html).write_text(
                render_to_string(TEMPLATE, {**context, "pdf": False}), encoding="utf-8"
            )
            self.stdout.write(f"wrote {html}")
