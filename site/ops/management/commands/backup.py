from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump custom format, or a SQLite copy) and MEDIA_ROOT "
            "(a tar.gz) into one new directory, with a manifest of row counts.")

    def add_arguments(self, parser):
        parser.add_argument("--out", help="A new or empty directory (default: "
                                          "var/backups/<date-time>).")

    def handle(self, *args, out=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        out = Path(out) if out else Path(settings.VAR_DIR) / "backups" / stamp
        try:
            manifest = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Backed up {rows} rows and {manifest['media_files']} media files "
                          f"to {out}")
