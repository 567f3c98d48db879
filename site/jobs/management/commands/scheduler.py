from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs import embedded_redis


class Command(BaseCommand):
    help = "Run the periodic-work scheduler (config/cron.py), starting the embedded Redis if used."

    def handle(self, *args, **options):
        embedded_redis.ensure_running()
        call_command("rqcron", "config.cron")
