import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo organisation and content (safe to run again: nothing is duplicated)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even where LIANBING_PRODUCTION is set.")

    def handle(self, *args, force=False, **options):
        if os.environ.get("LIANBING_PRODUCTION") and not force:
            raise CommandError("This looks like a production database (LIANBING_PRODUCTION is "
                               "set); demo data is not loaded there. Use --force to insist.")
        from people import demo as people_demo

        steps = [
            ("1/1 organisation and people", people_demo.seed_people),
        ]
        for label, step in steps:
            with transaction.atomic():
                result = step()
            self.stdout.write(f"  {label}: {result}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("Demo accounts (password %s):" % people_demo.DEMO_PASSWORD)
        for username, name, role, _unit in people_demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<14} {username:<10} {name}")
