import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from medborgarlofte.privacy import retention

ZERO = datetime.timedelta(0)


class Command(BaseCommand):
    help = (
        "Dispose of data past its retention period (gallring), per kind and kommun, "
        "following RETENTION_* settings. One transaction and one audit entry per kind and "
        "kommun. Meant for a daily timer; a second run finds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be disposed of; change nothing"
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="KIND",
            help="only this kind (repeatable), e.g. --only dialogue_text",
        )
        parser.add_argument(
            "--today",
            help="with --dry-run: what would go on this date (YYYY-MM-DD), e.g. to plan ahead",
        )

    def handle(self, *args, dry_run, only, today, **options):
        kinds = {rule.kind for rule in retention.rules()}
        unknown = sorted(set(only or []) - kinds)
        if unknown:
            raise CommandError(
                f"Unknown kind {', '.join(unknown)}; known: {', '.join(sorted(kinds))}"
            )
        now = timezone.now()
        if today:
            if not dry_run:
                raise CommandError("--today only with --dry-run: disposal always uses today")
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from exc
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        groups = (retention.plan if dry_run else retention.apply)(now, set(only or []) or None)
        with translation.override("en"):
            for group in groups:
                self.stdout.write(self._line(group, dry_run))
        total = sum(sum((g.counts if dry_run else g.disposed).values()) for g in groups)
        self.stdout.write(
            f"{total} item(s) in {len(groups)} group(s)"
            + (" would be disposed of (dry run)" if dry_run else " disposed of")
        )

    def _line(self, group, dry_run) -> str:
        counts = group.counts if dry_run else group.disposed
        what = ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "nothing"
        kommun = group.municipality
        kommun = f"{kommun.code} {kommun.name}" if kommun else "-"
        cutoff = group.cutoff.astimezone(datetime.UTC)
        return (
            f"{'would dispose of' if dry_run else 'disposed of'} {group.rule.kind:<26} "
            f"{kommun:<22} {what} ({'' if group.rule.fixed_age == ZERO else 'older than '}"
            f"{group.period}: before "
            f"{cutoff:%Y-%m-%d %H:%M} UTC; {group.setting})"
        )
