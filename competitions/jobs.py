"""Background jobs: importing a judge's filled-in mark sheet (checked first, then saved)."""
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError
from workbooks.reading import WorkbookError

from . import jobs_results  # noqa: F401  the results' job kinds (the registry loads jobs.py)
from . import marksheets
from .models import JudgeAssignment


@job_kind("competitions.marksheet_import", label=gettext_lazy("Mark sheet import"),
          result_template="competitions/judge/sheet_import_result.html")
def import_mark_sheet(progress, assignment_id, submit=False, dry_run=True):
    """Check (dry run) or save a judge's mark sheet; all or nothing."""
    job = progress.job
    assignment = (JudgeAssignment.objects.select_related("event", "event__contest",
                                                         "event__rubric")
                  .filter(pk=assignment_id).first())
    if assignment is None or job.owner_id != assignment.judge_id:
        raise JobError(_("You may not import marks for this event."))
    if assignment.event.contest.status != "marking":
        raise JobError(_("The contest is not being marked."))
    try:
        with job.input_file.open("rb") as handle:
            parsed = marksheets.parse_mark_sheet(io.BytesIO(handle.read()), job.input_name,
                                                 assignment, submit)
    except WorkbookError as exc:
        raise JobError(str(exc)) from None
    report = marksheets.summarize(parsed, job.input_name)
    report.update(dry_run=dry_run, submit=submit, event_id=assignment.event_id)
    if dry_run or not parsed.ok:
        report["saved"] = False
        return report
    report["saved_marks"] = marksheets.apply_mark_sheet(parsed, assignment, submit, job.owner)
    report["saved"] = True
    return report
