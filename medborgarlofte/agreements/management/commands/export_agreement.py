"""medborgarlofte export_agreement KOMMUNKOD YEAR [--format yaml|json] [--version N]."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.agreements.exchange import (
    agreement_for_year,
    dump_document,
    export_version_document,
    version_of,
)
from medborgarlofte.agreements.models import Agreement
from medborgarlofte.kommuner.models import Municipality


class Command(BaseCommand):
    help = "Write an agreement as an exchange-format document (medborgarlofte/1) to stdout."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version N selects a version here; it replaces Django's --version (program version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("year", type=int, help="the year the agreement period starts")
        parser.add_argument("--format", dest="fmt", choices=["yaml", "json"], default="yaml")
        parser.add_argument(
            "--version",
            dest="number",
            type=int,
            default=None,
            help="version number (default: the latest version)",
        )

    def handle(self, *args, code, year, fmt, number, **options):
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(_('unknown kommun code "%(code)s"') % {"code": code})
        agreement = agreement_for_year(Agreement.objects.filter(municipality=municipality), year)
        if agreement is None:
            raise CommandError(
                _("%(kommun)s has no agreement whose period starts in %(year)d")
                % {"kommun": municipality.name, "year": year}
            )
        version = version_of(agreement, number)
        if version is None:
            raise CommandError(
                _("%(kommun)s %(year)d has no version %(number)s")
                % {
                    "kommun": municipality.name,
                    "year": year,
                    "number": number if number is not None else "",
                }
            )
        self.stdout.write(dump_document(export_version_document(version), fmt), ending="")
