"""medborgarlofte crime_summary KOMMUNKOD --from YEAR --to YEAR [--format table|json]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.crimestats import queries
from medborgarlofte.crimestats.summary import build_summary, to_json


def _cell(value, decimals=1) -> str:
    if value is None:
        return "–"
    return f"{value:.{decimals}f}" if isinstance(value, float) else str(value)


class Command(BaseCommand):
    help = "Print one kommun's crime statistics (priority categories): counts, rates, change with 95 % interval, sources."

    def add_arguments(self, parser):
        parser.add_argument("code", help="kommunkod, e.g. 0642")
        parser.add_argument("--from", dest="year_from", type=int, required=True, help="first year")
        parser.add_argument("--to", dest="year_to", type=int, required=True, help="last year")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["table", "json"],
            default="table",
            help="output format (default: table)",
        )

    def handle(self, *args, code, year_from, year_to, fmt, **options):
        kommun = queries.municipality_by_code(code)
        if kommun is None:
            raise CommandError(_("unknown kommunkod: %(code)s") % {"code": code})
        if year_from > year_to:
            raise CommandError(_("The first year must not be after the last year."))
        data = to_json(build_summary(kommun, year_from, year_to))
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._table(kommun, data)

    def _table(self, kommun, data) -> None:
        out = self.stdout
        out.write(
            f"{kommun.code} {kommun.name} {data['from']}–{data['to']}"
            + (" — Exempeldata" if data["example_data"] else "")
        )
        out.write("population: " + ", ".join(f"{y}: {p}" for y, p in data["population"].items()))
        for category in data["categories"]:
            out.write("")
            out.write(
                category["name"] + ("" if category["category"] else " (not linked to statistics)")
            )
            for year, count in category["counts"].items():
                out.write(
                    f"  {year}  {count:>8}  {_cell(category['rates'].get(year)):>10} per 100 000"
                )
            change = category["change"]
            if change:
                verdict = "significant" if change["significant"] else "not significant"
                out.write(
                    f"  change {change['from']}→{change['to']}: rate ratio {_cell(change['rate_ratio'], 2)} "
                    f"(95 % CI {_cell(change['ci_low'], 2)}–{_cell(change['ci_high'], 2)}), {verdict}"
                )
        for source in data["sources"]:
            out.write(source["text"])
