from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.timezone import localtime

from people.roles import Role, has_role

from .access import get_job_for_user
from .models import Job
from .registry import get_kind


@login_required
def job_list(request):
    jobs = Job.objects.filter(owner=request.user).only(
        "id", "kind", "status", "progress", "message", "created_at", "finished_at", "result_name",
        "result_file", "files_removed_at")
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html",
                  {"page": page, "retention_days": settings.JOB_FILES_DAYS})


@login_required
def job_detail(request, job_id):
    job = get_job_for_user(request.user, job_id)
    kind = get_kind(job.kind)
    return render(request, "jobs/job_detail.html", {
        "job": job,
        "result_template": kind.result_template,
        "result": job.result,
        "show_traceback": has_role(request.user, Role.ADMIN),
        "retention_days": settings.JOB_FILES_DAYS,
    })


@login_required
def job_status(request, job_id):
    """Return the job's progress as JSON, for the progress page to poll."""
    job = get_job_for_user(request.user, job_id)
    return JsonResponse({
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "finished": job.is_finished,
        "finished_at": date_format(localtime(job.finished_at), "DATETIME_FORMAT")
        if job.finished_at else "",
    })


@login_required
def job_download(request, job_id):
    job = get_job_for_user(request.user, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True,
                        filename=job.result_name or "result")
