import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from medborgarlofte.followup.reminders import send_reminders
from medborgarlofte.followup.todo import send_todo_digests


class Command(BaseCommand):
    help = (
        "E-mail owners when a commitment's cadence was missed last period, and before each "
        "tertial/yearly follow-up is due, and send the to-do list to each user who asked for it "
        "(at most once a day). Meant for cron (daily); each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=14,
            help="remind this many days before a follow-up is due (default 14)",
        )
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders, send and record nothing"
        )

    def handle(self, *args, days, today, dry_run, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        reminders = send_reminders(day, days, dry_run=dry_run)
        for r in reminders:
            self.stdout.write(
                f"{'would send' if dry_run else 'sent'} {r.kind} {r.agreement.municipality.code} {r.key} → {r.recipient.get_username()}"
            )
        self.stdout.write(f"{len(reminders)} reminder(s){' (dry run)' if dry_run else ''}")
        digests = send_todo_digests(day, dry_run=dry_run)
        for user, count in digests:
            self.stdout.write(
                f"{'would send' if dry_run else 'sent'} to-do list ({count}) → {user.get_username()}"
            )
        self.stdout.write(f"{len(digests)} to-do e-mail(s){' (dry run)' if dry_run else ''}")
