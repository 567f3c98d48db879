"""The managers' pages: a unit's dashboard (drillable down the tree), its lists, charts,
annual summary, exports, officers' training files and the monthly reports.

Every view takes a unit (or officer, or report) and answers 404 when it lies outside the
viewer's scope (people.scopes), so nobody learns what exists beyond it.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jobs.runner import start_job
from people.access import role_required
from people.models import Officer, Unit
from people.roles import Role
from people.scopes import can_see_officer, scope_root_paths, visible_units

from . import annual, figures, manager_charts
from .jobs import as_of_for
from .models import MonthlyReport
from .training_file import training_file

PAGE_SIZE = 50
FIRST_YEAR = 2000


def _unit(request, unit_id):
    """Return the unit if it lies in the viewer's scope, else raise 404."""
    return get_object_or_404(visible_units(request.user), pk=unit_id)


def _year(request):
    """Return the year asked for (?year=), or None for the current one; 404 if nonsense."""
    value = request.GET.get("year")
    if not value:
        return None
    try:
        year = int(value)
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def _breadcrumbs(request, unit):
    """Return the unit's ancestors the viewer may see, top first, then the unit."""
    roots = scope_root_paths(request.user)
    step = Unit.steplen
    paths = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    paths = [p for p in paths if any(p.startswith(root) for root in roots)]
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


@role_required(Role.MANAGER)
def index(request):
    """Send the manager to a unit's dashboard: the one picked (?unit=, ?year=), or the top of
    their scope."""
    units = visible_units(request.user)
    picked = request.GET.get("unit", "")
    unit = (units.filter(pk=int(picked)).first() if picked.isdigit()
            else units.order_by("depth", "path").first())
    if unit is None:
        if picked:
            raise Http404
        raise PermissionDenied
    url = reverse("home:managers_unit", args=[unit.pk])
    year = _year(request)
    if year and year != timezone.localdate().year:
        url += f"?year={year}"
    return redirect(url)


@role_required(Role.MANAGER)
def unit_dashboard(request, unit_id):
    """The dashboard of one unit: its figures, each also per sub-unit, with charts."""
    unit = _unit(request, unit_id)
    year = _year(request)
    as_of = as_of_for(year)
    board = manager_charts.cached_dashboard(unit, as_of)
    today = timezone.localdate()
    return render(request, "home/managers/dashboard.html", {
        **board, "board": board,
        "breadcrumbs": _breadcrumbs(request, unit),
        "units": visible_units(request.user).only("pk", "name", "path", "depth")
        .order_by("path"),
        "year_query": f"?year={year}" if year else "",
        "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1)),
        "selected_year": year or today.year,
        "charts": manager_charts.chart_titles(),
        "month_rows": list(reversed([m for m in board["total"].months])),
    })


@role_required(Role.MANAGER)
def coverage_gaps(request, unit_id, requirement_id):
    """The officers of the unit who have not met one study requirement (paginated)."""
    from content.models import StudyRequirement

    unit = _unit(request, unit_id)
    requirement = get_object_or_404(StudyRequirement, pk=requirement_id, active=True)
    as_of = as_of_for(_year(request))
    officers = figures.not_meeting(unit, requirement, as_of)
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "home/managers/coverage_gaps.html", {
        "unit": unit, "requirement": requirement, "page": page,
        "period": figures.study_period(as_of), "breadcrumbs": _breadcrumbs(request, unit)})


@role_required(Role.MANAGER)
def non_participants(request, unit_id, month):
    """The officers of the unit who did not take part in one month's exam 未参考名单."""
    unit = _unit(request, unit_id)
    try:
        dt.date(int(month[:4]), int(month[5:7]), 1)
    except ValueError:
        raise Http404 from None
    officers = figures.non_participants(unit, month)
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "home/managers/non_participants.html", {
        "unit": unit, "month": month, "page": page,
        "breadcrumbs": _breadcrumbs(request, unit)})


@role_required(Role.MANAGER)
def chart(request, unit_id, name, fmt):
    """One dashboard chart as PNG or SVG (cached; see manager_charts)."""
    unit = _unit(request, unit_id)
    if name not in manager_charts.CHARTS or fmt not in manager_charts.FORMATS:
        raise Http404
    board = manager_charts.cached_dashboard(unit, as_of_for(_year(request)))
    response = HttpResponse(manager_charts.render_chart(name, board, fmt),
                            content_type=manager_charts.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required(Role.MANAGER)
def annual_summary(request, unit_id):
    """The annual summary of a unit (?year=, default the current year)."""
    unit = _unit(request, unit_id)
    year = _year(request) or timezone.localdate().year
    data = annual.summary(unit, year)
    today = timezone.localdate()
    return render(request, "home/managers/annual.html", {
        "unit": unit, "data": data, "lines": annual.summary_lines(data),
        "breadcrumbs": _breadcrumbs(request, unit), "selected_year": year,
        "years": list(range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1))})


@role_required(Role.MANAGER)
@require_POST
def export(request, unit_id):
    """Start the Excel export of a unit's dashboard as a job."""
    unit = _unit(request, unit_id)
    year = _year(request)
    job = start_job("home.dashboard_export", owner=request.user,
                    params={"unit_id": unit.pk, "year": year})
    return redirect(job)


def _officer(request, officer_id):
    officer = get_object_or_404(Officer.objects.select_related("unit"), pk=officer_id)
    if not can_see_officer(request.user, officer):
        raise Http404
    return officer


@role_required(Role.MANAGER)
def officer_file(request, officer_id):
    """An officer's training file 培训档案 as a page."""
    officer = _officer(request, officer_id)
    return render(request, "home/managers/training_file.html", {
        **training_file(officer), "breadcrumbs": _breadcrumbs(request, officer.unit)})


@role_required(Role.MANAGER)
@require_POST
def officer_file_export(request, officer_id):
    """Start the Excel export of an officer's training file as a job."""
    officer = _officer(request, officer_id)
    job = start_job("home.training_file", owner=request.user,
                    params={"officer_id": officer.pk})
    return redirect(job)


@role_required(Role.MANAGER)
def officer_search(request, unit_id):
    """Find officers of a unit by name or badge number, to open their training file."""
    from django.db.models import Q

    unit = _unit(request, unit_id)
    query = request.GET.get("q", "").strip()[:50]
    officers = Officer.objects.none()
    if query:
        officers = (Officer.objects.filter(unit__path__startswith=unit.path)
                    .filter(Q(name__icontains=query) | Q(badge_number__icontains=query))
                    .select_related("unit").order_by("unit__path", "badge_number"))
    page = Paginator(officers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "home/managers/officer_search.html", {
        "unit": unit, "query": query, "page": page,
        "breadcrumbs": _breadcrumbs(request, unit)})


@role_required(Role.MANAGER)
def reports(request):
    """The monthly reports of the units in the viewer's scope."""
    items = (MonthlyReport.objects.filter(unit__in=visible_units(request.user))
             .select_related("unit"))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "home/managers/reports.html", {"page": page})


@role_required(Role.MANAGER)
def report_download(request, report_id):
    report = get_object_or_404(MonthlyReport.objects.select_related("unit"), pk=report_id)
    if not visible_units(request.user).filter(pk=report.unit_id).exists():
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file_name)
