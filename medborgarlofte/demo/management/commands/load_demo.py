import os

from django.core.management.base import BaseCommand

from medborgarlofte.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Loads the demo (Mullsjö 2024 and neighbouring kommuner, published) and demo logins "
        "into the configured database. DEMO_PASSWORD sets the password; otherwise a random "
        "one is printed. Idempotent."
    )

    def handle(self, *args, **options):
        result = load_demo(os.environ.get("DEMO_PASSWORD") or None)
        self.stdout.write(self.style.SUCCESS("Demodata inläst:"))
        for title in result.agreements:
            self.stdout.write(f"  {title}")
        self.stdout.write("")
        self.stdout.write(f"Inloggningar (lösenord för alla: {result.password})")
        for username, description in result.users:
            self.stdout.write(f"  {username:<22} {description}")
        self.stdout.write("")
        self.stdout.write("Publik sida: http://127.0.0.1:8000/kommun/0642/medborgarlofte/2024/")
        self.stdout.write("Logga in:    http://127.0.0.1:8000/konto/logga-in/")
