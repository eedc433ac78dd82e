"""medborgarlofte load_kommungrupper FILE [--source …] [--dry-run]: SKR's kommungrupper."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from medborgarlofte.kommuner.models import Kommungrupp, Municipality
from medborgarlofte.kommuner.reference import (
    KOMMUNGRUPP_SOURCE,
    KommungruppFileError,
    load_kommungrupper,
    parse_kommungrupper,
)


class Command(BaseCommand):
    help = (
        "Load SKR's kommungruppsindelning (the group A1–C9 of each kommun) from a CSV with "
        "the columns Kommunkod and Gruppkod, for the peer comparison of the crime statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .csv file (UTF-8, comma or semicolon)")
        parser.add_argument(
            "--source",
            default=KOMMUNGRUPP_SOURCE,
            help=f"source text stored with the groups (default: {KOMMUNGRUPP_SOURCE!r})",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file; save nothing")

    def handle(self, *args, file, source, dry_run, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        known = set(Municipality.objects.values_list("code", flat=True))
        try:
            groups = parse_kommungrupper(text, known, set(Kommungrupp.values))
        except KommungruppFileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        missing = len(known - set(groups))
        if dry_run:
            self.stdout.write(f"{len(groups)} kommuner in the file, {missing} without a group.")
            return
        with transaction.atomic():
            count = load_kommungrupper(Municipality, groups, source)
        self.stdout.write(f"{count} kommuner got a kommungrupp; {missing} without one.")
