import json
import sys

from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.privacy.scanner import scan


class Command(BaseCommand):
    help = (
        "Scans text for personal data (kinds: personnummer, samordningsnummer, "
        "possible_personnummer, phone, email, address, name). One item per line from FILE, "
        'or standard input; prints one JSON object per line: {"line": n, "hits": [...]}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="UTF-8 text file (default: standard input)")

    def handle(self, *args, **options):
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
            except OSError as exc:
                raise CommandError(f"{options['file']}: kan inte läsas ({exc.strerror})") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{options['file']}: är inte UTF-8 (byte {exc.start})") from exc
        else:
            lines = sys.stdin.read().splitlines()
        for number, line in enumerate(lines, start=1):
            hits = [hit.as_dict() for hit in scan(line)]
            self.stdout.write(json.dumps({"line": number, "hits": hits}, ensure_ascii=False))
