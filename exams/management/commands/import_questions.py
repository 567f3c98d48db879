import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams import formats
from exams.importing import import_file

FORMATS = ["xlsx", "moodlexml", "gift", "aiken"]


class Command(BaseCommand):
    help = "Import questions from an Excel, Moodle XML, GIFT or Aiken file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=FORMATS,
                            help="The file's format (default: guessed from the name).")
        parser.add_argument("--category", default="",
                            help='Put the questions under this category path, e.g. "通用法律/行政处罚法".')
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, path, format=None, category="", dry_run=False, **options):
        as_json = options["json"]
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        fmt = format or formats.detect_format(file.name)
        if fmt is None:
            raise CommandError(f"{path}: cannot tell the format; use --format")
        report = import_file(file.read_bytes(), file.name, fmt, category=category,
                             dry_run=dry_run)
        if as_json:
            self.stdout.write(_dumps(report))
        else:
            self._print(report, dry_run)
        if report["errors"]:
            if as_json:
                raise SystemExit(1)
            raise CommandError(f"{len(report['errors'])} error(s); nothing was saved.")

    def _print(self, report, dry_run):
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb} {report['created']}, skipped {report['skipped']}")
        for name, count in report["by_type"].items():
            if count:
                self.stdout.write(f"  {name}: {count}")
        for kind in ("warnings", "errors"):
            for issue in report[kind]:
                self.stdout.write(f"{kind[:-1]}: {issue['location']}: {issue['message']}")


def _dumps(report):
    return json.dumps(report, ensure_ascii=False)
