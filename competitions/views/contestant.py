"""The contestant's side: my contests, and my work for each event until it closes."""
import os
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import correction
from ..forms import SubmissionForm
from ..models import ContestStatus, EntryStatus, EventKind, Submission

MAX_FINDINGS = 100


def submission_open(submission, now=None):
    """Return True while the contestant may still change their work."""
    now = now or timezone.now()
    event = submission.event
    return (event.contest.status == ContestStatus.RUNNING
            and submission.entry.status == EntryStatus.APPROVED
            and (event.opens_at is None or event.opens_at <= now)
            and (event.closes_at is None or now < event.closes_at))


def _my_submission(request, submission_id):
    submission = get_object_or_404(
        Submission.objects.select_related("event", "event__contest", "event__case",
                                          "entry", "entry__officer"),
        pk=submission_id)
    if submission.entry.officer is None or submission.entry.officer.user_id != request.user.pk:
        raise Http404
    return submission


def stored_name(upload_name):
    """Return a random storage name keeping only the extension (no names in file paths)."""
    extension = os.path.splitext(upload_name)[1].lower()[:10]
    return f"{secrets.token_hex(12)}{extension}"


@login_required
def my_submission(request, submission_id):
    submission = _my_submission(request, submission_id)
    event = submission.event
    is_open = submission_open(submission)
    if event.kind == EventKind.CORRECTION:
        return _correction(request, submission, is_open)
    form = None
    if event.kind != EventKind.QUIZ:
        form = SubmissionForm(request.POST or None, request.FILES or None,
                              initial={"text": submission.text})
        if request.method == "POST":
            if not is_open:
                messages.error(request, _("This event is closed; your work can no longer "
                                          "be changed."))
                return redirect("competitions:my_submission", submission.pk)
            if form.is_valid():
                submission.text = form.cleaned_data["text"]
                upload = form.cleaned_data.get("file")
                if upload:
                    submission.file.save(stored_name(upload.name),
                                         ContentFile(upload.read()), save=False)
                submission.submitted_at = timezone.now()
                submission.not_attempted = False
                submission.save()
                messages.success(request, _("Your work is saved. You may change it until the "
                                            "event closes."))
                return redirect("competitions:my_submission", submission.pk)
    return render(request, "competitions/contestant/submission.html", {
        "submission": submission, "event": event, "form": form, "is_open": is_open})


def _correction(request, submission, is_open):
    event = submission.event
    findings = list(submission.findings or [])
    error = ""
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("This event is closed; your work can no longer be "
                                      "changed."))
            return redirect("competitions:my_submission", submission.pk)
        if "delete" in request.POST:
            try:
                del findings[int(request.POST["delete"])]
            except (ValueError, IndexError):
                pass
        else:
            location = (request.POST.get("location") or "").strip()
            category = request.POST.get("category") or ""
            explanation = (request.POST.get("explanation") or "").strip()
            if event.locations and location not in event.locations:
                error = _("Choose a location from the list.")
            elif not location:
                error = _("Give the location of the error.")
            elif category not in correction.CATEGORIES:
                error = _("Choose the category of the error.")
            elif not explanation:
                error = _("Explain what is wrong.")
            elif len(findings) >= MAX_FINDINGS:
                error = _("You cannot report more than %(n)s errors.") % {"n": MAX_FINDINGS}
            else:
                findings.append({"location": location[:200], "category": category,
                                 "explanation": explanation[:2000]})
        if not error:
            submission.findings = findings
            submission.submitted_at = timezone.now()
            submission.not_attempted = False
            submission.save(update_fields=["findings", "submitted_at", "not_attempted"])
            messages.success(request, _("Your findings are saved."))
            return redirect("competitions:my_submission", submission.pk)
    return render(request, "competitions/contestant/correction.html", {
        "submission": submission, "event": event, "findings": findings, "is_open": is_open,
        "categories": correction.CATEGORIES.items(), "error": error,
        "post": request.POST if error else {}})
