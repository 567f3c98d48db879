from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import checked_import
from ops.unavailable import wants_json
from people.access import role_required
from people.roles import Role

from . import attendance, benchmark_workbook, citations, reading, self_check
from .assignments import assigned_to
from .forms import LawImportForm, SearchForm, WorkbookUploadForm
from .hours import Period, officer_hours
from .law_import import create_law
from .lawtext import LawTextError
from .models import (Article, DiscretionBenchmarkPage, LessonPage, StudyRecord,
                     TrainingEventPage)
from .search import search as run_search

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _live_page(model, page_id):
    page = get_object_or_404(model, pk=page_id)
    if not page.live:
        raise Http404
    return page


@login_required
def my_study(request):
    """The officer's study page: what is assigned, progress, and hours this year."""
    officer = getattr(request.user, "officer", None)
    items = assigned_to(officer, request.user) if officer else []
    today = timezone.localdate()
    periods = [Period.month(today.year, today.month), Period.year(today.year)]
    hours = [(period, officer_hours(officer, period)) for period in periods] if officer else []
    recent = (StudyRecord.objects.filter(officer=officer).select_related("page")
              .order_by("-last_beat_at")[:10] if officer else [])
    return render(request, "content/my_study.html", {
        "officer": officer, "items": items, "hours": hours, "recent": recent,
        "form": SearchForm(),
    })


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    hits = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        hits = run_search(form.cleaned_data["q"])
    return render(request, "content/search.html", {"form": form, "hits": hits,
                                                   "searched": bool(request.GET.get("q"))})


@login_required
def article(request, pk):
    """One article, its place in the law, and the typical cases that cite it."""
    article = get_object_or_404(Article.objects.select_related("law"), pk=pk)
    if not article.law.live:
        raise Http404
    cases = (article.case_citations.filter(case__live=True).select_related("case")
             .order_by("-case__decided_on"))
    siblings = article.law.articles.filter(position__in=[article.position - 1,
                                                         article.position + 1])
    return render(request, "content/article.html", {
        "article": article, "cases": [citation.case for citation in cases],
        "previous": next((a for a in siblings if a.position < article.position), None),
        "next": next((a for a in siblings if a.position > article.position), None),
    })


@login_required
def cite(request):
    """Go to the article a citation names (/study/cite/?q=《行政处罚法》第三十二条)."""
    found = citations.resolve(request.GET.get("q", ""))
    if found is None or not found.law.live:
        raise Http404(_("No such article."))
    return redirect(found)


@require_POST
@login_required
def reading_beat(request, page_id):
    """Record a beat of active (or idle) reading; the page sends one every 15 seconds."""
    officer = getattr(request.user, "officer", None)
    if officer is None:
        return JsonResponse({"recorded": False})
    page = get_object_or_404(LessonPage.objects.live(), pk=page_id) if request.POST.get(
        "lesson") else None
    if page is None:
        from wagtail.models import Page

        page = get_object_or_404(Page.objects.live(), pk=page_id).specific
    record = reading.record_beat(officer, page, active=request.POST.get("active") == "1")
    return JsonResponse({"recorded": True, "active_seconds": record.active_seconds,
                         "can_complete": record.active_seconds >= reading
                         .completion_threshold_seconds(page)})


@require_POST
@login_required
def complete_lesson(request, page_id):
    lesson = _live_page(LessonPage, page_id)
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise PermissionDenied
    try:
        reading.complete_lesson(officer, lesson)
        messages.success(request, _("Lesson completed: %(minutes)s minutes of study credited.")
                         % {"minutes": lesson.estimated_minutes})
    except reading.NotReadYet:
        messages.error(request, _("Read the lesson for at least %(minutes)s minutes before "
                                  "marking it complete.") % {
            "minutes": reading.completion_threshold_seconds(lesson) // 60})
    return redirect(lesson.url)


@role_required(Role.TRAINER)
def event_attendance(request, page_id):
    """Record who attended a training event, by ticking a list of eligible officers."""
    event = _live_page(TrainingEventPage, page_id)
    officers = event.eligible_officers().select_related("unit").order_by("unit__path", "name")
    if request.method == "POST":
        ids = attendance.eligible_officer_ids(event, request.POST.getlist("officer"))
        count = attendance.record_list(event, ids, request.user)
        messages.success(request, _("Attendance saved: %(count)s attendees.") % {"count": count})
        return redirect("content:event_attendance", page_id=event.pk)
    present = set(event.attendances.values_list("officer_id", flat=True))
    return render(request, "content/event_attendance.html", {
        "event": event, "officers": officers[:2000], "present": present,
        "upload_form": WorkbookUploadForm(),
    })


@role_required(Role.TRAINER)
def attendance_template(request, page_id):
    event = _live_page(TrainingEventPage, page_id)
    return _xlsx(attendance.build_template(event), "attendance.xlsx")


@require_POST
@role_required(Role.TRAINER)
def attendance_import(request, page_id):
    """Check an uploaded sign-in sheet (a dry-run job). The form is on the attendance page,
    so an unusable upload goes back there with a message."""
    event = _live_page(TrainingEventPage, page_id)
    form = WorkbookUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an .xlsx file to upload."))
        return redirect("content:event_attendance", page_id=event.pk)
    return checked_import.start_check(request, form.cleaned_data["file"],
                                      "content.attendance_import", {"page_id": event.pk})


@role_required(Role.TRAINER)
def benchmark_template(request):
    return _xlsx(benchmark_workbook.build_template(), "benchmark-template.xlsx")


@login_required
def benchmark_export(request, page_id):
    benchmark = _live_page(DiscretionBenchmarkPage, page_id)
    return _xlsx(benchmark_workbook.export_benchmark(benchmark), f"benchmark-{benchmark.pk}.xlsx")


@role_required(Role.TRAINER)
def benchmark_import(request, page_id):
    benchmark = get_object_or_404(DiscretionBenchmarkPage, pk=page_id)
    return checked_import.upload_view(
        request, WorkbookUploadForm, "content.benchmark_import", "content/benchmark_import.html",
        params={"page_id": benchmark.pk}, context={"benchmark": benchmark})


@require_POST
@role_required(Role.TRAINER)
def import_confirm(request, job_id):
    """Save a checked file: run the same import again on the stored file, for real."""
    return checked_import.confirm_view(
        request, job_id, ("content.benchmark_import", "content.attendance_import"),
        _("Only a checked file without errors can be imported."))


@role_required(Role.TRAINER)
def law_import(request):
    """Create a law page from its text (第一章 … 第一条 …), one Article per 条."""
    form = LawImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            law = create_law(form.cleaned_data["shelf"], form.cleaned_data["file"],
                             short_title=form.cleaned_data["short_title"],
                             issuing_body=form.cleaned_data["issuing_body"])
        except LawTextError as error:
            for _line, problem in error.problems:
                form.add_error("file", problem)
        else:
            messages.success(request, _("Imported %(title)s with %(count)s articles.") % {
                "title": law.title, "count": law.articles.count()})
            return redirect(law.url)
    return render(request, "content/law_import.html", {"form": form})


@require_POST
@login_required
def self_check_answer(request, page_id, question_id):
    """Check an answer to one self-check question of a lesson or case; return the feedback.

    Answers JSON to the page's script (Accept: application/json), else a feedback page.
    """
    from wagtail.models import Page

    page = get_object_or_404(Page.objects.live(), pk=page_id).specific
    question = self_check.find(page, question_id)
    if question is None:
        raise Http404
    as_json = wants_json(request)
    values = request.POST.getlist(f"{self_check.ANSWER_PREFIX}{question.pk}")
    try:
        correct, view = self_check.check(question, values,
                                         officer=getattr(request.user, "officer", None))
    except self_check.Refused as refused:
        message = (_("Self-check is paused while you are taking an exam.")
                   if str(refused) == "exam" else _("Answer the question first."))
        if as_json:
            return JsonResponse({"error": message}, status=409 if str(refused) == "exam"
                                else 400)
        messages.error(request, message)
        return redirect(f"{page.url}#check-{question.pk}")
    context = {"page": page, "q": view, "correct": correct}
    if as_json:
        return JsonResponse({"correct": correct, "html": render_to_string(
            "content/includes/self_check_feedback.html", context, request=request)})
    return render(request, "content/self_check_feedback.html", context)
