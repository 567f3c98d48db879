"""The officer's side of an exam: my exams, the start page, taking, saving, submitting."""
import json
import logging
import math
import secrets

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ops.unavailable import wants_json
from security.session_auth import session_check, session_fingerprint, session_user_id

from .. import exam_page, sitting
from ..models import Attempt, AttemptStatus, Exam, ExamKind, ExamStatus, Layout
from ..notebook import collect_from_attempt
from ..papers import BlueprintError
from ..review import review_allowed, review_context

log = logging.getLogger(__name__)
DEVICE_COOKIE = "lb_device"
MESSAGES = {
    "closed": gettext_lazy("This exam is not open now."),
    "finished": gettext_lazy("This attempt has been submitted; answers can no longer change."),
    "too_late": gettext_lazy("Time is up: the answer arrived after the deadline and was not saved."),
    "other_device": gettext_lazy("This exam is open on another device."),
    "takeover_refused": gettext_lazy("The organizer does not allow continuing this exam on another device."),
    "not_found": gettext_lazy("No such attempt."),
    "bad_request": gettext_lazy("The answer could not be read."),
    "no_such_question": gettext_lazy("No such question in this attempt."),
    "bad_answer": gettext_lazy("The answer could not be read."),
    "signed_out": gettext_lazy("You are signed out. Sign in again to carry on: answers not "
                               "yet saved are kept in this browser and sent when you return."),
}


def _message(error):
    return str(MESSAGES.get(str(error), str(error)))


def _officer(request):
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise Http404
    return officer


def _own_attempt(request, attempt_id, with_override=False, **conditions):
    """Return the signed-in officer's attempt (404 for anyone else's), exam and officer
    loaded in the same query; the officer is also set on request.user (the page header
    shows the name), which saves loading it again. `with_override`: also whether the
    officer has an override of the exam (sitting.with_override_flag), for starting."""
    attempts = Attempt.objects.select_related("exam", "officer")
    if with_override:
        attempts = sitting.with_override_flag(attempts)
    attempt = get_object_or_404(attempts, pk=attempt_id, officer__user_id=request.user.pk,
                                **conditions)
    request.user.officer = attempt.officer
    return attempt


def _device(request):
    return request.COOKIES.get(DEVICE_COOKIE) or ""


def _with_device_cookie(request, response):
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(DEVICE_COOKIE, request._lb_device, max_age=365 * 86400,
                            httponly=True, samesite="Lax")
    return response


def _client(request):
    return request.META.get("REMOTE_ADDR"), request.META.get("HTTP_USER_AGENT", "")


@never_cache  # a waiting room's countdown must not come back from the browser's cache
@login_required
def exam_start(request, exam_id):
    """The start page: rules, duration, number of questions, pass mark."""
    # The officer's attempts with the exam, the officer and each paper's question count, in
    # one query (papers are drawn ahead, so at a mass start every officer has one).
    attempts = list(sitting.with_override_flag(
        Attempt.objects.filter(exam_id=exam_id, exam__status=ExamStatus.PUBLISHED,
                               officer__user_id=request.user.pk)
        .select_related("exam", "officer").order_by("-number")
        .annotate(questions=Count("items", filter=Q(items__parent__isnull=True)))))
    if attempts:
        exam = attempts[0].exam
        officer = request.user.officer = attempts[0].officer
    else:
        exam = get_object_or_404(Exam, pk=exam_id, status=ExamStatus.PUBLISHED)
        officer = _officer(request)
    try:
        attempt = sitting.current_attempt(exam, officer, attempts=attempts)
    except BlueprintError as error:  # the bank can no longer fill the blueprint
        log.error("exam %s: no paper could be drawn for officer %s: %s",
                  exam.pk, officer.pk, error)
        return render(request, "exams/refused.html", {
            "attempt": Attempt(exam=exam, officer=officer),
            "message": _("Your paper for this exam cannot be drawn from the question bank "
                         "now. Please tell the organizer."),
        }, status=409)
    if attempt is None:
        raise Http404
    attempt.exam = exam
    window = sitting.window_for(exam, officer, attempt=attempts[0] if attempts else None)
    questions = getattr(attempt, "questions", None)
    if questions is None:  # drawn just now
        questions = attempt.items.filter(parent__isnull=True).count()
    now = timezone.now()
    # Before the opening the page is a waiting room: the server says how long is left and
    # the page shows the start button when it opens (exams/static/exams/start.js), so an
    # officer signed in early starts without reloading.
    opens_in = math.ceil((window.opens_at - now).total_seconds())
    return render(request, "exams/exam_start.html", {
        "exam": exam, "attempt": attempt, "window": window, "questions": questions,
        "minutes": round(window.minutes), "now": now,
        "opens_in": opens_in, "countdown": countdown(opens_in),
        "is_mock": exam.kind == ExamKind.MOCK,
        "review": review_allowed(attempt),
    })


def countdown(seconds):
    """'MM:SS', or 'H:MM:SS' from an hour up (as start.js shows it)."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes:02}:{seconds:02}"


@require_POST
@login_required
def attempt_begin(request, attempt_id):
    """Start (or resume, or take over) the attempt on this browser, then open it."""
    attempt = _own_attempt(request, attempt_id, with_override=True)
    request._lb_device = _device(request) or secrets.token_urlsafe(16)
    ip, agent = _client(request)
    try:
        sitting.start(attempt, request._lb_device, ip, agent,
                      take_over=request.POST.get("take_over") == "1")
    except sitting.SittingError as error:
        if error.code == "other_device":
            response = render(request, "exams/takeover.html", {"attempt": attempt})
            return _with_device_cookie(request, response)
        response = render(request, "exams/refused.html",
                          {"attempt": attempt, "message": _message(error)}, status=409)
        return _with_device_cookie(request, response)
    return _with_device_cookie(request, redirect("exams:attempt", attempt.pk))


@login_required
def attempt_take(request, attempt_id):
    """The exam page: every question with the saved answers; the key never leaves the server.

    Bounded queries whatever the number of questions: the attempt (with exam and officer),
    then its items with the answer-free parts of their versions (exam_page.load_items).
    """
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("exams:attempt_result", attempt.pk)
    if attempt.device != _device(request):
        return render(request, "exams/takeover.html", {"attempt": attempt})
    paper = exam_page.render(exam_page.load_items(attempt))
    remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(request, "exams/attempt.html", {
        "attempt": attempt, "exam": attempt.exam, "paper": paper, "remaining": remaining,
        "one_per_page": attempt.exam.layout == Layout.ONE_PER_PAGE,
        "initial": json.dumps({"remaining": remaining, "position": attempt.last_position}),
    })


def _signed_out(request):
    """The exam page's autosave gets JSON it can act on; anything else the sign-in page."""
    if not wants_json(request):
        return redirect_to_login(request.get_full_path())
    return JsonResponse({"ok": False, "code": "signed_out", "error": _message("signed_out")},
                        status=401)


@require_POST
def attempt_save(request, attempt_id):
    """Save one answer (JSON: position, answer, flagged); reply with the time left.

    The hottest request of exam day. It never loads `request.user`: the session (read
    through Redis) names the user, and the save's own SQL checks them against their row
    (security/session_auth.py, sitting.save_answer): a Redis read and one UPDATE in all;
    a second query only when that UPDATE is refused, to say why.
    """
    user_id = session_user_id(request)
    if user_id is None:
        return _signed_out(request)
    try:
        body = json.loads(request.body or b"{}")
        position = int(body["position"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"ok": False, "error": _message("bad_request")}, status=400)
    ip, agent = _client(request)
    try:
        saved = sitting.save_answer(attempt_id, user_id, _device(request), position,
                                    body.get("answer"), body.get("flagged"), ip, agent,
                                    user_check=session_check(request),
                                    fingerprint=session_fingerprint(request))
    except sitting.SittingError as error:
        if error.code == "signed_out":
            return _signed_out(request)
        status = {"not_found": 404, "bad_request": 400}.get(error.code, 409)
        return JsonResponse({"ok": False, "error": _message(error), "code": error.code},
                            status=status)
    return JsonResponse({"ok": True, "remaining": saved.remaining, "position": position})


@require_POST
@login_required
def attempt_event(request, attempt_id):
    """Record a focus loss (tab switch, window change) reported by the exam page."""
    attempt = get_object_or_404(Attempt.objects.select_related("exam"), pk=attempt_id,
                                officer=_officer(request), status=AttemptStatus.IN_PROGRESS)
    ip, agent = _client(request)
    submitted = sitting.record_focus_loss(attempt, ip, agent)
    return JsonResponse({"ok": True, "submitted": submitted,
                         "focus_losses": attempt.focus_losses})


@require_POST
@login_required
def attempt_submit(request, attempt_id):
    """Submit the attempt, first saving the answers the exam page had not yet had
    acknowledged (sent along as JSON in `answers`, see exams/static/exams/exam.js)."""
    attempt = get_object_or_404(Attempt.objects.select_related("exam"), pk=attempt_id,
                                officer=_officer(request))
    if attempt.status == AttemptStatus.IN_PROGRESS and request.POST.get("answers"):
        try:
            answers = json.loads(request.POST["answers"])
        except ValueError:
            answers = None
        ip, agent = _client(request)
        sitting.save_pending(attempt.pk, request.user.pk, _device(request), answers, ip, agent)
    sitting.submit(attempt)
    if wants_json(request):
        return JsonResponse({"ok": True, "status": attempt.status})
    return redirect("exams:attempt_result", attempt.pk)


@login_required
def attempt_result(request, attempt_id):
    attempt = get_object_or_404(Attempt.objects.select_related("exam"), pk=attempt_id,
                                officer=_officer(request))
    if attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect("exams:attempt", attempt.pk)
    collect_from_attempt(attempt)  # wrong answers go to the notebook once review is open
    return render(request, "exams/attempt_result.html", review_context(attempt))


@login_required
def my_exams(request):
    """Open and coming exams in full; finished ones, newest first, a page at a time."""
    from ..dashboard import my_exams as summary

    lists = summary(_officer(request))
    page = Paginator(lists["finished"], 20).get_page(request.GET.get("page"))
    return render(request, "exams/my_exams.html", {**lists, "finished": page, "page": page})
