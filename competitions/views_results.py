"""Pages of a contest's results, awards, certificates and score trends."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs.runner import start_job
from people.models import Officer, Unit
from people.roles import Role, has_role
from people.scopes import visible_units

from . import awards, certificates_pdf, results, trends
from .models import (AwardResult, AwardScope, Contest, ContestStatus, Entry, JudgeAssignment,
                     ResultsVisibility)

IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def results_view(view):
    """Give the view the contest if the user may see its results (else login/404/403)."""

    @wraps(view)
    def wrapped(request, contest_id, *args, **kwargs):
        try:
            contest = results.contest_for_results(request, contest_id)
        except results.LoginNeeded:
            return results.login_redirect(request)
        return view(request, contest, *args, **kwargs)

    return wrapped


def organizer_view(view):
    """Let only the contest's organizers through (POST actions on the results)."""

    @wraps(view)
    @login_required
    def wrapped(request, contest_id, *args, **kwargs):
        contest = get_object_or_404(Contest, pk=contest_id)
        if not results.is_organizer(request.user, contest):
            raise PermissionDenied
        return view(request, contest, *args, **kwargs)

    return wrapped


def _organizer_context(request, contest):
    if not results.is_organizer(request.user, contest):
        return {}
    return {
        "is_organizer": True,
        "blockers": (awards.publication_blockers(contest)
                     if contest.status != ContestStatus.PUBLISHED else []),
        "units": awards.participating_units(contest),
    }


@results_view
def contest_results(request, contest):
    data = results.load(contest)
    context = {"contest": contest, "results": data,
               "published": results.is_published(contest),
               "overall_prizes": results.prize_counts(data.overall),
               "own_awards": _own_awards(request.user, data),
               "best_organisation_certificate": results.may_print_best_organisation(
                   request.user, contest)}
    context.update(_organizer_context(request, contest))
    return render(request, "competitions/results/contest.html", context)


def _own_awards(user, data):
    """The signed-in entrant's own prizes, and their team's (for certificate links)."""
    if not user.is_authenticated:
        return []
    lines = data.overall + [line for lines in data.by_event.values() for line in lines]
    own = [line.award for line in lines
           if line.award.prize and line.award.entry.officer_id
           and line.award.entry.officer.user_id == user.pk]
    prized_teams = [line.award for line in data.teams if line.award.prize]
    if prized_teams:
        from .models import EntryStatus

        mine = set(Entry.objects.filter(
            contest=data.contest, officer__user=user, status=EntryStatus.APPROVED,
            team__isnull=False).values_list("team_id", flat=True))
        own += [award for award in prized_teams if award.team_id in mine]
    return own


@results_view
def event_results(request, contest, event_id):
    event = get_object_or_404(contest.events, pk=event_id)
    data = results.load(contest)
    lines = data.by_event.get(event.pk, [])
    return render(request, "competitions/results/event.html", {
        "contest": contest, "event": event, "results": data, "lines": lines,
        "published": results.is_published(contest),
        "prizes": results.prize_counts(lines),
        "is_organizer": results.is_organizer(request.user, contest)})


@require_POST
@organizer_view
def compute(request, contest):
    try:
        # Rescored first: before publication nothing else writes the overall scores.
        summary = awards.compute_awards(contest, request.user, rescore=True)
    except awards.AwardsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Awards computed: %(placings)d placings, %(prizes)d prizes, "
                                    "%(overrides)d changed by hand kept.") % summary)
    return redirect("competitions:results", contest.pk)


@require_POST
@organizer_view
def publish(request, contest):
    try:
        awards.publish(contest, request.user)
    except awards.PublicationBlocked as exc:
        messages.error(request, str(exc))
        for blocker in exc.blockers[:20]:
            messages.error(request, blocker)
    else:
        messages.success(request, _("The results are published."))
    return redirect("competitions:results", contest.pk)


@require_POST
@organizer_view
def withdraw(request, contest):
    try:
        awards.withdraw(contest, request.user)
    except awards.AwardsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The publication is withdrawn; the results are back in "
                                    "marking."))
    return redirect("competitions:results", contest.pk)


@require_POST
@organizer_view
def best_organisation(request, contest):
    unit_id = request.POST.get("unit") or None
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit_id and unit is None:
        raise Http404
    try:
        awards.set_best_organisation(contest, unit, request.POST.get("reason", ""),
                                     request.user)
    except awards.AwardsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The best organisation award is saved."))
    return redirect("competitions:results", contest.pk)


@login_required
def award_override(request, award_id):
    award = get_object_or_404(AwardResult.objects.select_related(
        "contest", "event", "entry__officer", "entry__unit", "team__unit", "changed_by"),
        pk=award_id)
    contest = award.contest
    if not results.is_organizer(request.user, contest):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "clear":
                awards.clear_override(award, request.user)
            else:
                awards.override(award, request.POST.get("prize", ""),
                                request.POST.get("reason", ""), request.user)
        except awards.AwardsError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The award is changed."))
            if award.scope == AwardScope.EVENT:
                return redirect("competitions:results_event", contest.pk, award.event_id)
            return redirect("competitions:results", contest.pk)
    name, unit = certificates_pdf.holder(award)
    return render(request, "competitions/results/override.html", {
        "contest": contest, "award": award, "name": name, "unit": unit,
        "category": certificates_pdf.category(award), "levels": awards.level_names(award),
        "error": error, "reason": request.POST.get("reason", "")})


@login_required
def award_certificate(request, award_id):
    """One award's certificate as a PDF (an entrant's or a team's): see
    results.may_print_certificate for who may have it."""
    award = get_object_or_404(AwardResult.objects.select_related(
        "contest__organizer_unit", "event", "entry__officer", "entry__unit", "team__unit"),
        pk=award_id)
    if not results.may_print_certificate(request.user, award):
        raise Http404
    return _pdf(certificates_pdf.render(award), certificates_pdf.file_name(award))


def _pdf(content, name):
    from urllib.parse import quote

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def best_organisation_certificate(request, contest_id):
    """The best organisation award 最佳组织奖 certificate as a PDF: for the contest's
    organizers, and once published for the managers over the winning unit."""
    contest = get_object_or_404(Contest.objects.select_related(
        "organizer_unit", "best_organisation_unit"), pk=contest_id)
    if not results.may_print_best_organisation(request.user, contest):
        raise Http404
    return _pdf(certificates_pdf.render_best_organisation(contest),
                certificates_pdf.best_organisation_file_name(contest))


@require_POST
@organizer_view
def certificates_zip(request, contest):
    job = start_job("competitions.award_certificates", owner=request.user,
                    params={"contest_id": contest.pk})
    return redirect(job)


@require_POST
@login_required
def export_results(request, contest_id):
    contest = get_object_or_404(Contest, pk=contest_id)
    if not results.can_see_results(request.user, contest):
        raise PermissionDenied
    job = start_job("competitions.results_export", owner=request.user,
                    params={"contest_id": contest.pk})
    return redirect(job)


def award_verify(request, token):
    """The public page an award certificate's QR code opens: name, contest and prize."""
    award = get_object_or_404(AwardResult.objects.select_related(
        "contest__organizer_unit", "event", "entry__officer", "entry__unit", "team__unit"),
        certificate_token=token, contest__status__in=results.SHOWN_STATUSES)
    if not award.prize:
        raise Http404
    name, unit = certificates_pdf.holder(award)
    return render(request, "competitions/results/verify.html", {
        "award": award, "contest": award.contest, "name": name, "unit": unit,
        "category": certificates_pdf.category(award), "prize": award.prize})


def best_organisation_verify(request, token):
    """The public page a best organisation certificate's QR code opens."""
    found = certificates_pdf.best_organisation_from_token(token)
    if found is None:
        raise Http404
    contest_id, unit_id = found
    contest = get_object_or_404(Contest.objects.select_related(
        "organizer_unit", "best_organisation_unit"), pk=contest_id,
        best_organisation_unit_id=unit_id, status__in=results.SHOWN_STATUSES)
    return render(request, "competitions/results/verify.html", {
        "contest": contest, "name": contest.best_organisation_unit.name, "unit": "",
        "category": "", "prize": certificates_pdf.BEST_ORGANISATION})


def _image(fmt, data):
    response = HttpResponse(data, content_type=IMAGE_TYPES[fmt])
    response["Cache-Control"] = "private, max-age=300"
    return response


@results_view
def distribution_chart(request, contest, fmt):
    return _image(fmt, trends.distribution_chart(contest, fmt))


# ---------------------------------------------------------------- trends


@login_required
def trends_index(request):
    user = request.user
    officer = getattr(user, "officer", None)
    is_organizer = has_role(user, Role.ORGANIZER)
    units = []
    if is_organizer:
        units = Unit.objects.all()
    elif has_role(user, Role.MANAGER):
        units = visible_units(user)
    return render(request, "competitions/results/trends_index.html", {
        "officer": officer, "units": units,
        "series": trends.series_names() if trends.may_see_series(user) else [],
        "contests": list(visible_published_contests(user)[:50]),
    })


def visible_published_contests(user):
    """Return the published contests whose results `user` may see (results.can_see_results
    for a signed-in user) as one query: public results, and those of the contests the
    user organizes, enters, judges or — as a manager — has a participating unit in."""
    condition = (Q(results_visibility=ResultsVisibility.PUBLIC)
                 | Q(pk__in=Entry.objects.filter(officer__user=user).values("contest_id"))
                 | Q(pk__in=JudgeAssignment.objects.filter(judge=user)
                     .values("event__contest_id")))
    if has_role(user, Role.ORGANIZER):
        condition |= Q(organizer_unit__in=visible_units(user))
    if has_role(user, Role.MANAGER):
        units = visible_units(user)
        condition |= (Q(pk__in=Contest.participating_units.through.objects.filter(
            unit__in=units).values("contest_id"))
            | Q(pk__in=Entry.objects.filter(unit__in=units).values("contest_id")))
    return (Contest.objects.filter(condition, status__in=results.SHOWN_STATUSES)
            .select_related("organizer_unit"))


def _trend_page(request, trend, chart_url, export_kind, export_target):
    return render(request, "competitions/results/trend.html", {
        "trend": trend, "chart_url": chart_url, "export_kind": export_kind,
        "export_target": export_target})


def _officer_or_404(request, officer_id):
    officer = get_object_or_404(Officer.objects.select_related("unit"), pk=officer_id)
    if not trends.may_see_officer(request.user, officer):
        raise Http404
    return officer


def _unit_or_404(request, unit_id):
    unit = get_object_or_404(Unit, pk=unit_id)
    if not trends.may_see_unit(request.user, unit):
        raise Http404
    return unit


def _series_or_404(request):
    series = request.GET.get("series", "")
    if not trends.may_see_series(request.user):
        raise PermissionDenied
    if series not in trends.series_names():
        raise Http404
    return series


@login_required
def officer_trend(request, officer_id):
    from django.urls import reverse

    officer = _officer_or_404(request, officer_id)
    return _trend_page(request, trends.officer_trend(officer),
                       reverse("competitions:trend_officer_chart", args=[officer.pk, "png"]),
                       "officer", officer.pk)


@login_required
def officer_trend_chart(request, officer_id, fmt):
    return _image(fmt, trends.officer_chart(_officer_or_404(request, officer_id), fmt))


@login_required
def unit_trend(request, unit_id):
    from django.urls import reverse

    unit = _unit_or_404(request, unit_id)
    return _trend_page(request, trends.unit_trend(unit),
                       reverse("competitions:trend_unit_chart", args=[unit.pk, "png"]),
                       "unit", unit.pk)


@login_required
def unit_trend_chart(request, unit_id, fmt):
    return _image(fmt, trends.unit_chart(_unit_or_404(request, unit_id), fmt))


@login_required
def series_trend(request):
    from urllib.parse import urlencode

    from django.urls import reverse

    series = _series_or_404(request)
    chart = reverse("competitions:trend_series_chart", args=["png"]) + "?" + urlencode(
        {"series": series})
    return _trend_page(request, trends.series_trend(series), chart, "series", series)


@login_required
def series_trend_chart(request, fmt):
    return _image(fmt, trends.series_chart(_series_or_404(request), fmt))


@require_POST
@login_required
def trend_export(request):
    kind, target = request.POST.get("kind"), request.POST.get("target", "")
    if kind == "officer":
        _officer_or_404(request, target if str(target).isdigit() else 0)
    elif kind == "unit":
        _unit_or_404(request, target if str(target).isdigit() else 0)
    elif kind == "series":
        if not trends.may_see_series(request.user) or target not in trends.series_names():
            raise Http404
    else:
        raise Http404
    job = start_job("competitions.trend_export", owner=request.user,
                    params={"kind": kind, "target": int(target) if kind != "series"
                            else target})
    return redirect(job)
