import json
import sys

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.accounts.tenancy import across_kommuner
from medborgarlofte.kommuner.models import Municipality
from medborgarlofte.privacy import registry
from medborgarlofte.privacy.scanner import scan


def database_fields() -> dict[str, list[str]]:
    """{"app.Model": [field, …]}: the text fields the database scan reads (registry.py)."""
    keys = sorted({*registry.SCANNED, *registry.DATABASE_SCAN})
    grouped: dict[str, list[str]] = {}
    for key in keys:
        model, field = key.rsplit(".", 1)
        grouped.setdefault(model, []).append(field)
    return grouped


def scan_database(municipality=None):
    """Yield (app, model, id, field, kind) for every stored text with a hit. The text itself
    is never part of the result."""
    for label, names in database_fields().items():
        model = apps.get_model(label)
        rows = model.objects.all()
        if municipality is not None:
            rows = rows.filter(municipality=municipality)
        else:
            rows = across_kommuner(rows, "scan_personal_data --database: the operator's check")
        for pk, *values in rows.order_by("pk").values_list("pk", *names).iterator():
            for name, value in zip(names, values, strict=True):
                if not value:
                    continue
                for kind in sorted({hit.kind for hit in scan(str(value))}):
                    yield model._meta.app_label, model.__name__, pk, name, kind


class Command(BaseCommand):
    help = (
        "Scans text for personal data (personnummer, samordningsnummer, phone numbers, "
        "e-mail addresses, street addresses with a number, and what else the scanner finds). "
        "One item per line from FILE, or standard input; prints one JSON object per line: "
        '{"line": n, "hits": [...]}. With --database: scans the stored free-text fields '
        "(privacy/registry.py) and prints one line per hit: app, model, id, field, kind, "
        "without the personal data itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="UTF-8 text file (default: standard input)")
        parser.add_argument(
            "--database",
            action="store_true",
            help="scan the rows already stored instead of a file",
        )
        parser.add_argument(
            "--kommun", metavar="CODE", help="with --database: only this kommun (e.g. 0642)"
        )
        parser.add_argument(
            "--json", action="store_true", help="with --database: one JSON object per line"
        )

    def handle(self, *args, **options):
        if options["database"]:
            self.handle_database(options)
            return
        if options["kommun"]:
            raise CommandError("--kommun goes with --database")
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

    def handle_database(self, options):
        if options["file"]:
            raise CommandError("--database reads no file")
        municipality = None
        if options["kommun"]:
            municipality = Municipality.objects.filter(code=options["kommun"]).first()
            if municipality is None:
                raise CommandError(f"Okänd kommun: {options['kommun']}")
        found = 0
        if not options["json"]:
            self.stdout.write("app\tmodel\tid\tfield\tkind")
        for app, model, pk, field, kind in scan_database(municipality):
            found += 1
            if options["json"]:
                row = {"app": app, "model": model, "id": pk, "field": field, "kind": kind}
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(f"{app}\t{model}\t{pk}\t{field}\t{kind}")
        self.stderr.write(f"{found} träffar")
