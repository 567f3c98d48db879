"""Who may see a job: the person who started it, and administrators."""
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.roles import Role, has_role

from .models import Job


def get_job_for_user(user, job_id):
    """Return the job if the user may see it; otherwise raise 404 (never reveal it exists)."""
    job = get_object_or_404(Job, pk=job_id)
    if job.owner_id != user.pk and not has_role(user, Role.ADMIN):
        raise Http404
    return job
