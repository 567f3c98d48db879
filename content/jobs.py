"""Background jobs of the study material: benchmark and attendance imports (check, then save)."""
import io

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError
from people.roles import Role, has_role
from workbooks.reading import WorkbookError

from . import attendance, benchmark_workbook
from .models import DiscretionBenchmarkPage, TrainingEventPage


def _input(progress):
    job = progress.job
    if job.owner is None or not has_role(job.owner, Role.TRAINER):
        raise JobError(_("Only trainers may import study records."))
    with job.input_file.open("rb") as handle:
        return io.BytesIO(handle.read()), job.input_name


@job_kind("content.benchmark_import", label=gettext_lazy("Discretion benchmark import"),
          result_template="content/import_result.html")
def import_benchmark(progress, page_id, dry_run=True):
    """Check a benchmark workbook; unless a dry run, save it if it has no errors."""
    benchmark = DiscretionBenchmarkPage.objects.filter(pk=page_id).first()
    if benchmark is None:
        raise JobError(_("The benchmark no longer exists."))
    data, name = _input(progress)
    try:
        parsed = benchmark_workbook.parse_benchmark(data, name)
    except WorkbookError as exc:
        raise JobError(str(exc)) from None
    report = benchmark_workbook.summarize(parsed)
    report.update(dry_run=dry_run, saved=False, target=benchmark.title,
                  confirm_url=reverse("content:benchmark_import_confirm",
                                      args=[progress.job.pk]),
                  back_url=benchmark.url or "")
    if not dry_run and parsed.ok:
        benchmark_workbook.apply_benchmark(benchmark, parsed, user=progress.job.owner)
        report["saved"] = True
    return report


@job_kind("content.attendance_import", label=gettext_lazy("Attendance import"),
          result_template="content/import_result.html")
def import_attendance(progress, page_id, dry_run=True):
    """Check an attendance workbook; unless a dry run, record it if it has no errors."""
    event = TrainingEventPage.objects.filter(pk=page_id).first()
    if event is None:
        raise JobError(_("The training event no longer exists."))
    data, name = _input(progress)
    try:
        parsed = attendance.parse_attendance(event, data, name)
    except WorkbookError as exc:
        raise JobError(str(exc)) from None
    report = {
        "filename": name, "attendees": len(parsed.hours), "error_count": len(parsed.errors),
        "errors": [error.as_dict() for error in parsed.errors[:500]],
        "dry_run": dry_run, "saved": False, "target": event.title,
        "confirm_url": reverse("content:attendance_import_confirm", args=[progress.job.pk]),
        "back_url": event.url or "",
    }
    if not dry_run and parsed.ok:
        attendance.record(event, parsed.hours, progress.job.owner)
        report["saved"] = True
    return report
