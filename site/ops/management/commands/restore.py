from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a directory made by `manage.py backup` into this installation's "
            "database (which must be empty) and MEDIA_ROOT, then check the row counts.")

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--force", action="store_true",
                            help="Replace a database that has tables and write over MEDIA_ROOT.")

    def handle(self, *args, directory, force, **options):
        try:
            differences = restore(directory, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if differences:
            lines = [f"{label}: {want} in the backup, {got} restored"
                     for label, (want, got) in sorted(differences.items())]
            raise CommandError("Restored, but the row counts differ:\n" + "\n".join(lines))
        self.stdout.write(f"Restored {directory}; every table has the rows of the backup.")
