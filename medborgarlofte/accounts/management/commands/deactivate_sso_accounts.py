"""medborgarlofte deactivate_sso_accounts: deactivate the accounts that came from an
identity provider and have not signed in through it for the provider's
`deactivate_after_days` (run it daily, docs/deploy.md)."""

from django.core.management.base import BaseCommand

from medborgarlofte.accounts.sso import deactivate_idle


class Command(BaseCommand):
    help = (
        "Deactivate accounts from an organisation's sign-in service that have not signed in "
        "for the provider's number of days. A later sign-in through the provider activates "
        "the account again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the accounts, change nothing"
        )

    def handle(self, *args, dry_run, **options):
        idle = deactivate_idle(dry_run=dry_run)
        verb = "would deactivate" if dry_run else "deactivated"
        for identity in idle:
            self.stdout.write(
                f"{verb} {identity.user.get_username()} ({identity.provider.slug}, last "
                f"sign-in {identity.last_sign_in:%Y-%m-%d})"
            )
        self.stdout.write(f"{len(idle)} account(s) {verb}.")
