"""medborgarlofte fetch_kolada KPI[,KPI…] --municipality 0642 --years 2020-2024 --output FILE"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.crimestats.importers import kolada


def _years(text: str) -> list[int]:
    if not text:
        return []
    if "-" in text:
        start, end = (int(part) for part in text.split("-", 1))
        return list(range(start, end + 1))
    return [int(part) for part in text.split(",")]


class Command(BaseCommand):
    help = (
        "Fetch Kolada API v3 data (needs the network) and save every page as one JSON file "
        "for import_kolada. Contacts only api.kolada.se."
    )

    def add_arguments(self, parser):
        parser.add_argument("kpis", help="KPI ids, comma-separated, e.g. N07403,N07540")
        parser.add_argument(
            "--municipality", default="", help="kommunkoder, comma-separated (default: all)"
        )
        parser.add_argument(
            "--years", default="", help="e.g. 2020-2024 or 2022,2023 (default: all)"
        )
        parser.add_argument("--output", required=True, help="file to write the saved responses to")

    def handle(self, *args, kpis, municipality, years, output, **options):
        try:
            pages = kolada.fetch(
                [k.strip() for k in kpis.split(",") if k.strip()],
                [m.strip() for m in municipality.split(",") if m.strip()],
                _years(years),
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"Kolada: {exc}") from exc
        Path(output).write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
        rows = sum(len(page.get("values", [])) for page in pages)
        self.stdout.write(f"{output}: {len(pages)} pages, {rows} values")
