"""
The chief judge's and organizer's pages for one event: every mark by blind code and
judge seat, the third-marker and arbitration queues, unlocking (with a reason),
releasing, clearing disagreement flags, and the judge consistency report.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import aggregation as agg
from .. import consistency, judging, scoring
from ..access import can_chief
from ..models import Aggregation, EntryStatus, Event, Mark, MarkChange, Submission

MIN_MARKS_FOR_Z = 15
MARKS_PER_PAGE = 20


def _event(request, event_id):
    event = get_object_or_404(Event.objects.select_related("contest", "rubric"), pk=event_id)
    if not event.is_judged or not can_chief(request.user, event):
        raise Http404
    return event


@login_required
def event_marks(request, event_id):
    """Every approved entry's marks, a page of entries at a time (by blind code), with the
    double-marking queues and the audit trail of the whole event."""
    event = _event(request, event_id)
    labels = scoring.judge_labels(event)
    approved = Submission.objects.filter(event=event, entry__status=EntryStatus.APPROVED)
    page = Paginator(approved.select_related("entry")
                     .prefetch_related(Prefetch("marks", queryset=Mark.objects.order_by("pk")))
                     .order_by("entry__blind_code", "pk"),
                     MARKS_PER_PAGE).get_page(request.GET.get("page"))
    problems = {}
    for problem in scoring.unresolved(event.contest, event):
        problems.setdefault(problem.submission.pk, []).append(problem)
    rows = [{"submission": s, "marks": [(labels.get(m.judge_id, "?"), m) for m in s.marks.all()],
             "problems": problems.get(s.pk, [])} for s in page.object_list]
    double = event.aggregation == Aggregation.DOUBLE
    waiting = (list(approved.filter(score_state__in=(agg.NEEDS_THIRD, agg.NEEDS_ARBITRATION))
                    .select_related("entry").order_by("entry__blind_code"))
               if double else [])
    third = [s for s in waiting if s.score_state == agg.NEEDS_THIRD]
    arbitration = [s for s in waiting if s.score_state == agg.NEEDS_ARBITRATION]
    changes = (MarkChange.objects.filter(mark__submission__event=event)
               .select_related("mark__submission__entry", "mark", "changed_by__officer")[:50])
    return render(request, "competitions/chief/marks.html", {
        "event": event, "rows": rows, "page": page, "third": third,
        "arbitration": arbitration, "double": double, "labels": labels, "changes": changes})


@require_POST
@login_required
def mark_unlock(request, mark_id):
    mark = get_object_or_404(Mark.objects.select_related("submission__event__contest"),
                             pk=mark_id)
    event = mark.submission.event
    if not can_chief(request.user, event):
        raise Http404
    try:
        judging.unlock(mark, request.user, request.POST.get("reason", ""))
    except judging.JudgingError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("The mark is unlocked; the judge can correct and "
                                    "submit it again."))
    return redirect("competitions:event_marks", event.pk)


@require_POST
@login_required
def event_release(request, event_id):
    event = _event(request, event_id)
    count = judging.release(event, request.user)
    messages.success(request, _("%(count)s marks released.") % {"count": count})
    return redirect("competitions:event_marks", event.pk)


@require_POST
@login_required
def clear_flag(request, submission_id):
    submission = get_object_or_404(Submission.objects.select_related("event__contest"),
                                   pk=submission_id)
    event = submission.event
    if not can_chief(request.user, event):
        raise Http404
    try:
        judging.clear_flag(submission, request.user, request.POST.get("note", ""))
    except judging.JudgingError as problem:
        messages.error(request, str(problem))
    return redirect("competitions:event_marks", event.pk)


@login_required
def consistency_report(request, event_id):
    """Judge consistency: severity, spread (打保险分), drops, correlation, ICC, Kendall's W."""
    event = _event(request, event_id)
    labels = scoring.judge_labels(event)
    table = scoring.event_table(event)
    reports = consistency.judge_reports(table, trim_from=event.trim_from)
    flagged = [d for d in consistency.disagreements(table) if d.flagged]
    show_z = request.GET.get("z") == "1"
    z_table = consistency.standardise(table, MIN_MARKS_FOR_Z) if table else None
    judges = [j for j in consistency.judges_of(table)]
    z_rows = []
    if show_z and z_table:
        for submission, marks in sorted(z_table.items(), key=lambda i: i[0].entry.blind_code):
            z_rows.append((submission, [marks.get(j) for j in judges]))
    return render(request, "competitions/chief/consistency.html", {
        "event": event,
        "reports": [(labels.get(r.judge, "?"), r) for r in reports],
        "icc": consistency.icc_2_1(table), "kendall": consistency.kendalls_w(table),
        "flagged": sorted(flagged, key=lambda d: -d.range), "entries": len(table),
        "z_available": z_table is not None, "show_z": show_z,
        "judge_labels": [labels.get(j, "?") for j in judges], "z_rows": z_rows,
        "min_marks": MIN_MARKS_FOR_Z})
