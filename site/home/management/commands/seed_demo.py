import os
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app that has demo data provides `<app>/demo.py` with a `seed()` function that is
# idempotent and returns a short summary; they run in this order (later steps use the
# organisation, the laws and the question bank made by earlier ones).
DEMO_APPS = ["people", "content", "cases_library", "exams", "certificates", "competitions"]


class Command(BaseCommand):
    help = "Load the demo organisation and content (safe to run again: nothing is duplicated)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even where LIANBING_PRODUCTION is set.")
        parser.add_argument("--only", nargs="*", choices=DEMO_APPS,
                            help="Seed only these apps (the organisation is always seeded).")

    def handle(self, *args, force=False, only=None, **options):
        if os.environ.get("LIANBING_PRODUCTION") and not force:
            raise CommandError("This looks like a production database (LIANBING_PRODUCTION is "
                               "set); demo data is not loaded there. Use --force to insist.")
        steps = []
        for app in DEMO_APPS:
            if only and app != "people" and app not in only:
                continue
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            steps.append((app, module.seed))
        for number, (app, seed) in enumerate(steps, start=1):
            with transaction.atomic():
                summary = seed()
            self.stdout.write(f"  {number}/{len(steps)} {app}: {summary}")
        from people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, name, role, _unit in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.value:<10} {username:<10} {name}")
