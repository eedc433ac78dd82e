"""medborgarlofte fetch_police_events [--kommun CODE …] [--format json]."""

import json

from django.core.management.base import BaseCommand, CommandError

from medborgarlofte.incidents.police_events import PoliceEventsError
from medborgarlofte.incidents.police_fetch import FetchError, fetch_police_events


class Command(BaseCommand):
    help = (
        "Fetch the latest events from Polisen's events API and import them. Polite: sends a "
        "User-Agent, waits at least 10 s between calls (also across runs), one call per county."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kommun",
            action="append",
            default=[],
            metavar="CODE",
            help="kommunkod or name (repeatable); asks for the kommun's county, since from "
            "2026 Polisen gives the county as location",
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="summary as text or JSON"
        )

    def handle(self, *args, kommun, format, **options):
        try:
            outcome = fetch_police_events(kommun or None)
        except (FetchError, PoliceEventsError) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            payload = [result.as_json() for result in outcome.results]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for result in outcome.results:
            for line in result.summary_lines():
                self.stdout.write(line)
