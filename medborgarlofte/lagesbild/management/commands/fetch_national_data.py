"""medborgarlofte fetch_national_data [--only kolada,scb,polisen,bra] [--year YEAR]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from medborgarlofte.lagesbild import national_data


def _sources(text: str) -> list[str]:
    if not text:
        return list(national_data.SOURCES)
    wanted = [part.strip().casefold() for part in text.split(",") if part.strip()]
    unknown = [name for name in wanted if name not in national_data.SOURCES]
    if unknown:
        raise CommandError(
            _("unknown source: %(names)s (choose from %(sources)s)")
            % {"names": ", ".join(unknown), "sources": ", ".join(national_data.SOURCES)}
        )
    return wanted


class Command(BaseCommand):
    help = (
        "Fetch and import national data: Kolada KPIs, SCB population (PxWeb), Polisen's "
        "events and Brå's yearly kommun file. Needs the network. Each source is optional and "
        "idempotent (what was imported before is skipped by content hash); a failing source "
        "does not stop the others, and the command exits non-zero when any failed. For cron "
        "or a systemd timer (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            default="",
            metavar="SOURCES",
            help="comma-separated subset of kolada,scb,polisen,bra (default: all)",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="statistics year for Kolada, SCB and Brå (default: last year)",
        )

    def handle(self, *args, only, year, **options):
        outcomes = national_data.run(_sources(only), year=year)
        failed = []
        for outcome in outcomes:
            if outcome.ok:
                for line in outcome.lines:
                    self.stdout.write(f"{outcome.source}: {line}")
            else:
                failed.append(outcome.source)
                self.stderr.write(
                    _("%(source)s failed: %(error)s")
                    % {"source": outcome.source, "error": outcome.error}
                )
        if failed:
            raise CommandError(
                _("%(count)s of %(total)s sources failed: %(names)s")
                % {"count": len(failed), "total": len(outcomes), "names": ", ".join(failed)}
            )
