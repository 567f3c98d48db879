"""Background jobs of the question bank."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind

from .importing import import_file
from .models import QuestionType


@job_kind("exams.import_questions", label=gettext_lazy("Question import"),
          result_template="exams/import_result.html")
def import_questions(progress, fmt, category="", dry_run=True):
    """Import the job's question file (a dry run first, then for real)."""
    job = progress.job
    progress.update(1, _("Reading the file"), force=True)
    with job.input_file.open("rb") as handle:
        data = handle.read()
    report = import_file(data, job.input_name, fmt, category=category, dry_run=dry_run,
                         author=job.owner, progress=progress)
    report["dry_run"] = dry_run
    report["format"] = fmt
    report["category"] = category
    report["by_type_labels"] = {str(QuestionType(code).label): count
                                for code, count in report["by_type"].items() if count}
    return report


@job_kind("exams.draw_papers", label=gettext_lazy("Drawing exam papers"), queue="marking")
def draw_papers(progress, exam_id):
    """Draw the paper of every eligible officer of a published exam (idempotent)."""
    from .models import Exam
    from .sitting import draw_for_exam

    exam = Exam.objects.get(pk=exam_id)
    drawn = draw_for_exam(exam, progress=progress)
    return {"exam": exam.title, "drawn": drawn}


@job_kind("exams.remark_exam", label=gettext_lazy("Re-marking after a key change"),
          queue="marking", result_template="exams/marking/remark_result.html")
def remark_exam(progress, exam_id):
    """Re-grade an exam's finished attempts against their questions' newest keys (idempotent)."""
    from jobs.runner import JobError

    from .marking import remark_exam as remark
    from .models import Exam

    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise JobError(_("This exam no longer exists."))
    report = remark(exam, progress.job.owner, progress=progress)
    return {"exam": exam.title, "exam_id": exam.pk, **report.as_dict()}


@job_kind("exams.results_export", label=gettext_lazy("Exam results export"), queue="reports")
def export_results(progress, exam_id):
    """Write an exam's results, within the starter's scope, to an .xlsx file."""
    from django.utils import timezone

    from jobs.runner import JobError

    from .models import Exam
    from .results import Scope, write_workbook

    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None or progress.job.owner is None:
        raise JobError(_("This export can no longer be made."))
    progress.update(1, _("Collecting the results"), force=True)
    content = write_workbook(exam, Scope.for_user(progress.job.owner), progress=progress)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    progress.save_result_file(f"{_('results')}-{exam.pk}-{stamp}.xlsx", content)
    return {"exam": exam.title}
