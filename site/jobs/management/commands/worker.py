from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs import embedded_redis
from jobs.runner import requeue_pending


class Command(BaseCommand):
    help = "Run an RQ worker on the platform's queues (starting the embedded Redis if used)."

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", default=["default", "reports", "marking"])
        parser.add_argument("--burst", action="store_true", help="Stop when the queues are empty.")

    def handle(self, *args, queues, burst, **options):
        embedded_redis.ensure_running()
        requeue_pending(older_than_seconds=0)
        call_command("rqworker", *queues, burst=burst, with_scheduler=True)
