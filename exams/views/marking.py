"""Marking pages: the queue, marking one anonymous answer, changing a mark, re-marking."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jobs.runner import start_job
from people.access import role_required
from people.roles import Role, has_role

from .. import marking
from ..models import Exam, ScoreChange
from ..rendering import officer_view


def _item_for_marker(request, item_id):
    """Return an open item the marker may see (404 otherwise), with its version and case."""
    return get_object_or_404(
        marking.markable_items(request.user).select_related("version", "parent__version",
                                                            "attempt__exam"),
        pk=item_id)


@role_required(*marking.MARKER_ROLES)
def queue(request):
    """The exams with answers awaiting marking."""
    return render(request, "exams/marking/queue.html",
                  {"exams": marking.pending_by_exam(request.user)})


@role_required(*marking.MARKER_ROLES)
def exam_queue(request, exam_id):
    """One exam's open questions, with how many answers await marking."""
    exam = get_object_or_404(Exam, pk=exam_id)
    return render(request, "exams/marking/exam_queue.html", {
        "exam": exam, "questions": marking.pending_by_question(request.user, exam),
        "can_remark": _can_remark(request.user),
    })


@role_required(*marking.MARKER_ROLES)
def next_item(request, exam_id, version_id):
    """Open the next answer of a question awaiting marking, or go back to the exam's queue."""
    item = marking.next_pending(request.user, exam_id, version_id)
    if item is None:
        messages.success(request, _("Every answer to this question is marked."))
        return redirect("exams:marking_exam", exam_id)
    return redirect("exams:marking_item", item.pk)


@role_required(*marking.MARKER_ROLES)
def mark_item(request, item_id):
    """Show one anonymous answer with the reference answer; give it points and a comment."""
    item = _item_for_marker(request, item_id)
    if item.marked_at is not None:
        return redirect("exams:marking_change", item.pk)
    error = None
    if request.method == "POST":
        try:
            marking.mark_item(item, request.POST.get("points", ""),
                              request.POST.get("comment", ""), request.user)
        except marking.MarkingError as exc:
            error = str(exc)
        else:
            following = marking.next_pending(request.user, item.attempt.exam_id,
                                             item.version_id, after=item.pk)
            if following is None:
                messages.success(request, _("Every answer to this question is marked."))
                return redirect("exams:marking_exam", item.attempt.exam_id)
            return redirect("exams:marking_item", following.pk)
    return render(request, "exams/marking/item.html", _item_context(item, error, request.POST),
                  status=400 if error else 200)


@role_required(*marking.MARKER_ROLES)
def change_mark(request, item_id):
    """Change a mark already given; a reason is required and the change is audited."""
    item = _item_for_marker(request, item_id)
    if item.marked_at is None:
        return redirect("exams:marking_item", item.pk)
    error = None
    if request.method == "POST":
        try:
            marking.change_mark(item, request.POST.get("points", ""),
                                request.POST.get("comment", ""), request.POST.get("reason", ""),
                                request.user)
        except marking.MarkingError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The mark has been changed."))
            return redirect("exams:marking_change", item.pk)
    context = _item_context(item, error, request.POST)
    context["changes"] = (ScoreChange.objects.filter(item=item)
                          .select_related("changed_by__officer"))
    return render(request, "exams/marking/change.html", context, status=400 if error else 200)


def _item_context(item, error, posted):
    """The marker's view of one answer: no name, unit or badge — only the candidate code."""
    data = item.version.data
    return {
        "item": item, "exam": item.attempt.exam, "error": error,
        "code": marking.candidate_code(item.attempt_id),
        "q": officer_view(data),
        "case": officer_view(item.parent.version.data) if item.parent_id else None,
        "answer": item.answer if isinstance(item.answer, str) else "",
        "reference_answer": data.get("reference_answer", ""),
        "scoring_points": data.get("scoring_points") or [],
        "points_value": posted.get("points", item.earned if item.earned is not None else ""),
        "comment_value": posted.get("comment", item.marker_comment),
        "reason_value": posted.get("reason", ""),
    }


def _can_remark(user):
    return has_role(user, Role.ORGANIZER)


@role_required(Role.ORGANIZER)
def remark(request, exam_id):
    """Show the key changes that affect an exam; start the re-mark job."""
    exam = get_object_or_404(Exam, pk=exam_id)
    if request.method == "POST":
        job = start_job("exams.remark_exam", owner=request.user, params={"exam_id": exam.pk})
        return redirect(job)
    return render(request, "exams/marking/remark.html",
                  {"exam": exam, "changes": marking.remark_summary(exam)})

