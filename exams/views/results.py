"""Results pages for organizers and managers, always limited to the viewer's scope."""
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobs.runner import start_job
from people.access import role_required

from .. import results
from ..analysis import item_analysis
from ..models import Exam, ExamStatus

RESULT_ROLES = results.RESULT_ROLES
PAGE_SIZE = 50


def _exam(exam_id):
    return get_object_or_404(Exam.objects.exclude(status=ExamStatus.DRAFT), pk=exam_id)


@role_required(*RESULT_ROLES)
def exam_list(request):
    """The published exams, newest first, each linking to its results."""
    exams = Exam.objects.exclude(status=ExamStatus.DRAFT).order_by("-opens_at")
    page = Paginator(exams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exams/results/exam_list.html", {"page": page, "now": timezone.now()})


@role_required(*RESULT_ROLES)
def exam_results(request, exam_id):
    """Participation, scores, the distribution chart, the per-unit table and the ranking."""
    exam = _exam(exam_id)
    scope = results.Scope.for_user(request.user)
    every_unit = request.GET.get("by") == "unit"
    ranking = Paginator(results.ranking(exam, scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exams/results/exam.html", {
        "exam": exam, "stats": results.summary(exam, scope),
        "bands": results.distribution(exam, scope),
        "units": results.by_unit(exam, scope, every_unit=every_unit), "every_unit": every_unit,
        "ranking": ranking,
    })


@role_required(*RESULT_ROLES)
def distribution_chart(request, exam_id):
    """The score distribution as a PNG (cached per exam and scope)."""
    exam = _exam(exam_id)
    png = results.distribution_chart(exam, results.Scope.for_user(request.user))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@role_required(*RESULT_ROLES)
def absentees(request, exam_id):
    """The eligible officers in scope who did not sit the exam (未参考名单)."""
    exam = _exam(exam_id)
    officers = results.absentees(exam, results.Scope.for_user(request.user))
    page = Paginator(officers, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "exams/results/absentees.html", {"exam": exam, "page": page})


@role_required(*RESULT_ROLES)
def items(request, exam_id):
    """Item analysis: facility, discrimination and option counts per question version."""
    exam = _exam(exam_id)
    candidates, rows = item_analysis(exam, results.Scope.for_user(request.user))
    return render(request, "exams/results/items.html",
                  {"exam": exam, "candidates": candidates, "rows": rows})


@role_required(*RESULT_ROLES)
@require_POST
def export(request, exam_id):
    """Start the Excel export of the results (in the starter's scope) as a job."""
    exam = _exam(exam_id)
    job = start_job("exams.results_export", owner=request.user, params={"exam_id": exam.pk})
    return redirect(job)


@role_required(*RESULT_ROLES)
def monitor(request, exam_id):
    """The live monitor: per unit, how many have started and submitted (refreshed in place)."""
    exam = _exam(exam_id)
    return render(request, "exams/results/monitor.html", {
        "exam": exam, "live": results.live_progress(exam, results.Scope.for_user(request.user)),
    })


@role_required(*RESULT_ROLES)
def monitor_data(request, exam_id):
    """The live monitor's numbers as JSON, polled by monitor.js."""
    exam = _exam(exam_id)
    live = results.live_progress(exam, results.Scope.for_user(request.user))
    live["updated_at"] = timezone.localtime().strftime("%H:%M:%S")
    live["open"] = exam.opens_at <= timezone.now() < exam.closes_at
    return JsonResponse(live)
