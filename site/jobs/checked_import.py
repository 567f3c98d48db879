"""The two views of a checked import: upload a file for a dry run, then confirm it.

Every import runs twice as a job. The upload view stores the file with a job whose
params carry ``dry_run=True``: the job reads and checks every row, saves nothing and
reports its errors on the job page. Only when that check succeeded without errors may
its owner confirm it; the confirm view then starts the real run of the same kind on the
same stored file (``jobs.runner.confirm_checked``), so what is saved is exactly what was
checked.

The views that use these helpers keep their own decorators (who may import), template
and wording; the helpers only hold the steps the imports share.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import get_job_for_user
from .runner import confirm_checked, start_job


def upload_view(request, form_class, kind, template, params=None, context=None):
    """Show the upload form; on a valid POST, start the dry run and go to its job page.

    `params` is a dict of job params, or a callable taking the valid form and returning
    one; ``dry_run=True`` is always added. `context` is added to the template's context.
    """
    posted = request.method == "POST"
    form = form_class(request.POST, request.FILES) if posted else form_class()
    if posted and form.is_valid():
        return start_check(request, form.cleaned_data["file"], kind,
                           params(form) if callable(params) else params)
    return render(request, template, {**(context or {}), "form": form})


def start_check(request, upload, kind, params=None):
    """Start the dry run of `kind` on an uploaded file and go to its job page (for an
    upload form that lives on another page and so cannot use `upload_view`)."""
    job = start_job(kind, owner=request.user, params={**(params or {}), "dry_run": True},
                    input_file=upload, input_name=upload.name)
    return redirect(job)


def confirm_view(request, job_id, kinds, refused_message):
    """Start the real run of the user's checked job of one of `kinds`.

    If the check cannot be confirmed (another kind, not finished, it found errors, or its
    file is no longer kept), show `refused_message` and go back to the checked job's page.
    A check confirmed already leads to the run it started, saying so.
    """
    checked = get_job_for_user(request.user, job_id)
    job, started = confirm_checked(checked, request.user, kinds=kinds)
    if job is None:
        messages.error(request, _("The checked file is no longer kept: upload it again.")
                       if checked.files_removed_at else refused_message)
        return redirect(checked)
    if not started:
        messages.info(request, _("This check was confirmed already: here is its import."))
    return redirect(job)
