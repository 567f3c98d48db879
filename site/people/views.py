from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import checked_import
from jobs.runner import start_job

from . import roster
from .access import role_required
from .forms import OfficerFilterForm, RosterUploadForm
from .roles import Role
from .scopes import visible_officers, visible_units

ROSTER_ROLES = (Role.MANAGER,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(*ROSTER_ROLES)
def officer_list(request):
    """List the officers in the user's scope, with search, filters and pagination."""
    units = visible_units(request.user)
    form = OfficerFilterForm(request.GET or None, units=units)
    officers = visible_officers(request.user).select_related("unit")
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            officers = officers.filter(Q(name__contains=q) | Q(badge_number__icontains=q))
        if unit := form.cleaned_data["unit"]:
            officers = officers.filter(unit__path__startswith=unit.path)
        if status := form.cleaned_data["status"]:
            officers = officers.filter(status=status)
    page = Paginator(officers.order_by("unit__path", "badge_number"), 50).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/officer_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "units": units, "upload_form": RosterUploadForm(),
    })


@role_required(*ROSTER_ROLES)
def roster_template(request):
    data = roster.build_template(visible_units(request.user))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response


@role_required(*ROSTER_ROLES)
def roster_import(request):
    """Upload a roster: the file is checked in a job (a dry run) before anything is saved."""
    return checked_import.upload_view(request, RosterUploadForm, "people.roster_import",
                                      "people/roster_import.html")


@require_POST
@role_required(*ROSTER_ROLES)
def roster_import_confirm(request, job_id):
    """Save a checked roster: start the real import with the same file."""
    return checked_import.confirm_view(
        request, job_id, ("people.roster_import",),
        _("Only a checked roster without errors can be imported."))


@require_POST
@role_required(*ROSTER_ROLES)
def roster_export(request):
    unit = visible_units(request.user).filter(pk=request.POST.get("unit") or 0).first()
    if unit is None:
        raise PermissionDenied
    job = start_job("people.roster_export", owner=request.user, params={"unit_id": unit.pk})
    return redirect(job)
