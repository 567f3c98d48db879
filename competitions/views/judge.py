"""
The judge's pages. Everything a judge sees names an entry by its blind code only: never
the contestant's name, unit, team, badge number or officer id, and uploaded files are
served under the blind code, not their original name.
"""
import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import checked_import

from .. import judging, marksheets
from ..forms import MarkSheetUploadForm
from ..models import (ContestStatus, EventKind, JudgeAssignment, Mark, MarkStatus,
                      PlantedError)
from ..rubric_spec import to_rubric
from ..scoring_types import InvalidScoring


def _assignment(request, event_id):
    """Return the user's assignment on a contest being marked, or 404."""
    assignment = (JudgeAssignment.objects
                  .select_related("event", "event__contest", "event__rubric")
                  .filter(event_id=event_id, judge=request.user,
                          event__contest__status=ContestStatus.MARKING)
                  .exclude(event__kind=EventKind.QUIZ).first())
    if assignment is None:
        raise Http404
    return assignment


def _submission(assignment, code):
    submission = (judging.visible_submissions(assignment).select_related("entry")
                  .filter(entry__blind_code=code).first())
    if submission is None:
        raise Http404
    submission.event = assignment.event
    return submission


@login_required
def events(request):
    """The judge's assigned events, with how many submissions are marked."""
    rows = []
    for assignment in judging.my_assignments(request.user):
        subs = judging.visible_submissions(assignment)
        counts = subs.aggregate(
            total=Count("pk", distinct=True),
            done=Count("pk", distinct=True, filter=Q(
                marks__judge=request.user, marks__status__in=[MarkStatus.SUBMITTED,
                                                              MarkStatus.RELEASED])))
        rows.append((assignment, counts))
    return render(request, "competitions/judge/events.html", {"rows": rows})


@login_required
def event_submissions(request, event_id):
    assignment = _assignment(request, event_id)
    subs = list(judging.visible_submissions(assignment).select_related("entry"))
    marks = {m.submission_id: m for m in Mark.objects.filter(
        judge=request.user, submission__event_id=event_id)}
    rows = [(s, marks.get(s.pk)) for s in subs]
    return render(request, "competitions/judge/submissions.html", {
        "assignment": assignment, "event": assignment.event, "rows": rows,
        "can_sheet": True})


@login_required
def mark_submission(request, event_id, code):
    assignment = _assignment(request, event_id)
    event = assignment.event
    submission = _submission(assignment, code)
    mark = judging.mark_for(assignment, submission)
    rubric = to_rubric(event.rubric.definition, event.rubric.name) if event.rubric_id else None
    error = ""
    if request.method == "POST":
        if mark is not None and mark.is_locked:
            return HttpResponse(_("This mark is submitted and locked; only the chief judge or "
                                  "the organizer can unlock it."), status=403)
        submit = "submit" in request.POST
        try:
            raw, comments = judging.raw_from_post(event, rubric, request.POST)
            judging.save_mark(assignment, submission, raw,
                              comment=(request.POST.get("comment") or "").strip(),
                              criterion_comments=comments, submit=submit, by=request.user)
        except judging.JudgingError as problem:
            error = str(problem)
            mark = judging.mark_for(assignment, submission)
        else:
            if submit:
                messages.success(request, _("Mark for %(code)s submitted.") % {"code": code})
                return redirect("competitions:judge_event", event.pk)
            messages.success(request, _("Draft saved."))
            return redirect("competitions:judge_mark", event.pk, code)
    context = {"assignment": assignment, "event": event, "submission": submission,
               "mark": mark, "error": error, "locked": mark is not None and mark.is_locked}
    if event.kind == EventKind.CORRECTION:
        context.update(_correction_context(event, submission, mark))
    else:
        values = judging.form_values(rubric, mark)
        if error:
            values = {key: request.POST.get(key) for key in request.POST}
        context.update(rubric=rubric, definition=event.rubric.definition,
                       **_rubric_rows(rubric, values))
    return render(request, "competitions/judge/mark.html", context)


def _rubric_rows(rubric, values):
    """Return the marking form's rows: each criterion's fields with their current values."""
    criteria = []
    for criterion in rubric.criteria:
        deductions = []
        for item in criterion.deductions:
            kind = "amount" if not item.fixed else ("count" if item.repeatable else "once")
            deductions.append({"item": item, "kind": kind, "name": f"deduct_{item.code}",
                               "value": values.get(f"deduct_{item.code}", "")})
        criteria.append({
            "criterion": criterion,
            "level": {"name": f"level_{criterion.code}",
                      "value": values.get(f"level_{criterion.code}", "")},
            "measures": [{"item": m, "name": f"measure_{m.code}",
                          "checked": values.get(f"measure_{m.code}") == "1"}
                         for m in criterion.measures],
            "deductions": deductions,
            "comment": {"name": f"comment_{criterion.code}",
                        "value": values.get(f"comment_{criterion.code}", "")},
        })
    vetoes = [{"veto": v, "name": f"veto_{v.code}", "checked": values.get(f"veto_{v.code}") == "1"}
              for v in rubric.vetoes]
    return {"criteria": criteria, "vetoes": vetoes}


def _correction_context(event, submission, mark):
    """Each finding with the key lines a judge needs for it: same location or category.

    The judge never sees the whole answer key: only the planted errors at the finding's
    location (to judge the reason) and those of the same category (to confirm an
    ambiguous match), without their points.
    """
    key = list(PlantedError.objects.filter(event=event))
    verdicts = {v.get("finding"): v for v in ((mark.raw if mark else {}) or {}).get(
        "verdicts", [])}
    findings = []
    for index, finding in enumerate(submission.findings or []):
        at_location = [e for e in key if e.location == finding.get("location")]
        same_category = [e for e in key if e.category == finding.get("category")
                         and e not in at_location]
        findings.append({"index": index, "finding": finding, "at_location": at_location,
                         "candidates": at_location + same_category,
                         "verdict": verdicts.get(index, {})})
    from ..correction import CATEGORIES

    return {"findings": findings, "categories": CATEGORIES}


@login_required
def submission_file(request, event_id, code):
    """Serve the uploaded file under the blind code (the original name may hold a name)."""
    assignment = _assignment(request, event_id)
    submission = _submission(assignment, code)
    if not submission.file:
        raise Http404
    extension = os.path.splitext(submission.file.name)[1].lower()
    content_type = mimetypes.guess_type(f"x{extension}")[0] or "application/octet-stream"
    return FileResponse(submission.file.open("rb"), as_attachment=True,
                        filename=f"{code}{extension}", content_type=content_type)


@login_required
def mark_sheet(request, event_id):
    assignment = _assignment(request, event_id)
    subs = list(judging.visible_submissions(assignment).select_related("entry"))
    try:
        content = marksheets.write_mark_sheet(assignment, subs)
    except InvalidScoring as problem:
        messages.error(request, str(problem))
        return redirect("competitions:judge_event", event_id)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    seat = assignment.seat or "judge"
    response["Content-Disposition"] = (
        f"attachment; filename=marksheet-event{assignment.event_id}-{seat}.xlsx")
    return response


@login_required
def mark_sheet_import(request, event_id):
    assignment = _assignment(request, event_id)
    return checked_import.upload_view(
        request, MarkSheetUploadForm, "competitions.marksheet_import",
        "competitions/judge/sheet_import.html",
        params=lambda form: {"assignment_id": assignment.pk,
                             "submit": form.cleaned_data["submit_marks"]},
        context={"assignment": assignment, "event": assignment.event})


@require_POST
@login_required
def mark_sheet_confirm(request, job_id):
    return checked_import.confirm_view(
        request, job_id, ("competitions.marksheet_import",),
        _("Only a checked file without errors can be imported."))
