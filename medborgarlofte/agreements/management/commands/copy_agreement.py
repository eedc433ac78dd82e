"""medborgarlofte copy_agreement KOMMUNKOD FROM_YEAR TO_YEAR [--end-year YEAR] [--version N]."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.agreements.exchange import agreement_for_year
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.agreements.nextyear import copy_agreement
from medborgarlofte.kommuner.models import Municipality


class Command(BaseCommand):
    help = (
        "Make next year's agreement as a draft: copy an earlier agreement's published (or "
        "chosen) version into a new agreement for the new period. The earlier agreement is "
        "not changed."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version N selects a version here; it replaces Django's --version (program version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("from_year", type=int, help="the year the earlier agreement starts")
        parser.add_argument("to_year", type=int, help="the first year of the new period")
        parser.add_argument(
            "--end-year",
            dest="end_year",
            type=int,
            default=None,
            help="the last year of the new period (default: TO_YEAR, a one-year promise)",
        )
        parser.add_argument(
            "--version",
            dest="number",
            type=int,
            default=None,
            help="version to copy (default: the latest published version)",
        )

    def handle(self, *args, code, from_year, to_year, end_year, number, **options):
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(_('unknown kommun code "%(code)s"') % {"code": code})
        agreement = agreement_for_year(
            Agreement.objects.filter(municipality=municipality), from_year
        )
        if agreement is None:
            raise CommandError(
                _("%(kommun)s has no agreement whose period starts in %(year)d")
                % {"kommun": municipality.name, "year": from_year}
            )
        try:
            version = copy_agreement(
                agreement, None, start_year=to_year, end_year=end_year, number=number
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("Created %(title)s (draft version %(number)s) with %(count)s commitments.")
            % {
                "title": version.title,
                "number": version.number,
                "count": version.commitments.count(),
            }
        )
