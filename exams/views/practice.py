"""The officer's practice pages: practice by category, the wrong-answer notebook, mock exams.

The question being answered lives in the session (`SESSION_KEY`), never in the page: the
answer form carries only the version id, to tell a stale tab from the current question.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import notebook, practice
from ..models import Attempt, Category, PracticeAnswer, QuestionVersion, WrongAnswer
from ..papers import BlueprintError
from ..rendering import officer_view

SESSION_KEY = "lb_practice"
BANK, NOTEBOOK = "bank", "notebook"
ANSWER_FIELD = "q-"  # the name exams/includes/question.html gives inputs without a position
PER_PAGE = 20


def _officer(request):
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise Http404
    return officer


def _paused(request, officer):
    """Return the "practice is paused" page while the officer sits an exam, else None."""
    attempt = practice.exam_in_progress(officer)
    if attempt is None:
        return None
    return render(request, "exams/practice/paused.html", {"attempt": attempt})


def _category_from(request):
    category_id = request.GET.get("category") or ""
    if not category_id.isdigit():
        return None
    return Category.objects.filter(pk=category_id).first()


def _serve_url(state, skip=False):
    """Return the address that serves the next question in the session's practice mode."""
    params = {"skip": 1} if skip else {}
    if state.get("mode") == BANK and state.get("category"):
        url = reverse("exams:practice_category", args=[state["category"]])
    elif state.get("mode") == NOTEBOOK:
        url = reverse("exams:notebook_practice")
        if state.get("category"):
            params["category"] = state["category"]
    else:
        return reverse("exams:practice")
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def home(request):
    """Pick a category to practise, open the notebook, or start a mock exam."""
    officer = _officer(request)
    notebook.collect_for_officer(officer)
    mocks = list(practice.open_mock_exams())
    latest = {}
    for attempt in Attempt.objects.filter(officer=officer, exam__in=mocks).order_by("number"):
        latest[attempt.exam_id] = attempt
    return render(request, "exams/practice/home.html", {
        "categories": practice.practice_categories(),
        "notebook_count": notebook.open_entries(officer).count(),
        "mocks": [{"exam": exam, "attempt": latest.get(exam.pk)} for exam in mocks],
        "summary": practice.practice_summary(officer),
        "busy": practice.exam_in_progress(officer),
    })


@login_required
def practise_category(request, category_id):
    """Serve a random question of a category subtree."""
    category = get_object_or_404(Category, pk=category_id)
    return _serve(request, _officer(request), BANK, category)


@login_required
def notebook_practice(request):
    """Serve the questions of my notebook again, through the same practice flow."""
    return _serve(request, _officer(request), NOTEBOOK, _category_from(request))


def _serve(request, officer, mode, category):
    paused = _paused(request, officer)
    if paused:
        return paused
    state = request.session.get(SESSION_KEY) or {}
    category_id = category.pk if category else None
    version = None
    if (state.get("mode") == mode and state.get("category") == category_id
            and state.get("version") and "skip" not in request.GET):
        version = QuestionVersion.objects.filter(pk=state["version"]).first()  # not answered yet
    if version is None:
        previous = state.get("question")
        version = (practice.next_question(category, previous) if mode == BANK
                   else practice.next_from_notebook(officer, category, previous))
        state = {"mode": mode, "category": category_id,
                 "version": version.pk if version else None,
                 "question": version.question_id if version else previous}
        request.session[SESSION_KEY] = state
    return render(request, "exams/practice/question.html", {
        "mode": mode, "category": category, "version": version,
        "q": officer_view(version.data) if version else None,
        "skip_url": _serve_url(state, skip=True),
    })


@require_POST
@login_required
def answer(request):
    """Check the answer to the question being practised; show the feedback page."""
    officer = _officer(request)
    paused = _paused(request, officer)
    if paused:
        return paused
    state = request.session.get(SESSION_KEY) or {}
    if not state.get("version") or request.POST.get("version") != str(state["version"]):
        messages.info(request, _("That question was already answered; here is the next one."))
        return redirect(_serve_url(state))
    version = get_object_or_404(QuestionVersion, pk=state["version"])
    given = practice.answer_from_form(version.qtype, request.POST.getlist(ANSWER_FIELD))
    if practice.is_blank(given):
        messages.error(request, _("Answer the question first."))
        return redirect(_serve_url(state))
    record = practice.record_answer(officer, version, given,
                                    from_notebook=state.get("mode") == NOTEBOOK)
    state["version"] = None
    request.session[SESSION_KEY] = state
    return redirect("exams:practice_feedback", record.pk)


@login_required
def feedback(request, answer_id):
    """Right or wrong, the key, the explanation and the legal basis of one practice answer."""
    officer = _officer(request)
    paused = _paused(request, officer)
    if paused:
        return paused
    record = get_object_or_404(PracticeAnswer.objects.select_related("version"),
                               pk=answer_id, officer=officer)
    entry = WrongAnswer.objects.filter(officer=officer,
                                       question_id=record.version.question_id).first()
    return render(request, "exams/practice/feedback.html", {
        "record": record, "q": practice.solution_view(record.version.data, record.answer),
        "entry": entry, "next_url": _serve_url(request.session.get(SESSION_KEY) or {}),
    })


@login_required
def notebook_page(request):
    """Every question I got wrong and have not cleared, with my answer, key and explanation."""
    officer = _officer(request)
    paused = _paused(request, officer)
    if paused:
        return paused
    notebook.collect_for_officer(officer)
    category = _category_from(request)
    source = request.GET.get("source") if request.GET.get("source") in WrongAnswer.Source else ""
    page = Paginator(notebook.entries(officer, category, source), PER_PAGE).get_page(
        request.GET.get("page"))
    query = urlencode({key: value for key, value in
                       (("category", category.pk if category else ""), ("source", source))
                       if value})
    return render(request, "exams/practice/notebook.html", {
        "page": page, "rows": [_entry_view(entry) for entry in page],
        "categories": practice.category_tree(notebook.category_counts(officer)),
        "sources": WrongAnswer.Source.choices, "category": category, "source": source,
        "query": query,
    })


@login_required
def notebook_entry(request, entry_id):
    """One entry of my notebook (someone else's entry does not exist for me)."""
    officer = _officer(request)
    paused = _paused(request, officer)
    if paused:
        return paused
    entry = get_object_or_404(
        WrongAnswer.objects.select_related("version", "attempt_item__attempt__exam"),
        pk=entry_id, officer=officer)
    return render(request, "exams/practice/notebook_entry.html", {"row": _entry_view(entry)})


def _entry_view(entry):
    view = practice.solution_view(entry.version.data, entry.last_answer)
    view["position"] = entry.pk  # names the inputs apart: one page shows many questions
    return {"entry": entry, "q": view}


@require_POST
@login_required
def mock_start(request, exam_id):
    """Start a mock exam (a fresh attempt after a finished one) on the normal exam pages."""
    officer = _officer(request)
    exam = get_object_or_404(practice.open_mock_exams(), pk=exam_id)
    try:
        practice.start_mock(exam, officer)
    except BlueprintError:
        messages.error(request, _("This mock exam cannot be drawn from the question bank now. "
                                  "Please tell the organizer."))
        return redirect("exams:practice")
    return redirect("exams:exam_start", exam.pk)
