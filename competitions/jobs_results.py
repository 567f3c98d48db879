"""Background jobs of the contest results: award certificates (ZIP), results and trend
exports (Excel). Registered when competitions.awards is imported."""
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.registry import job_kind
from jobs.runner import JobError


def _contest(contest_id):
    from .models import Contest

    contest = Contest.objects.select_related("organizer_unit", "best_organisation_unit").filter(
        pk=contest_id).first()
    if contest is None:
        raise JobError(_("The contest no longer exists."))
    return contest


def _stamp():
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@job_kind("competitions.award_certificates", label=gettext_lazy("Award certificates (ZIP)"),
          queue="reports")
def award_certificates(progress, contest_id):
    """Render every prize-winner's certificate of a contest (entrants, teams and the best
    organisation award) into one ZIP file."""
    from . import certificates_pdf, results
    from .models import AwardResult

    contest = _contest(contest_id)
    owner = progress.job.owner
    if owner is None or not results.is_organizer(owner, contest):
        raise JobError(_("Only the contest's organizers may print its award certificates."))
    awards = (AwardResult.objects.filter(contest=contest).exclude(prize="")
              .select_related("contest__organizer_unit", "event", "entry__officer",
                              "entry__unit", "team__unit")
              .order_by("scope", "event_id", "place", "pk"))
    total = awards.count() + (1 if contest.best_organisation_unit_id else 0)
    if not total:
        raise JobError(_("No awards to print: compute the awards first."))
    buffer = io.BytesIO()
    count = certificates_pdf.write_zip(awards.iterator(chunk_size=200), buffer, progress, total,
                                       best_organisation=contest)
    progress.save_result_file(f"award-certificates-{contest.year}-{contest.pk}-{_stamp()}.zip",
                              buffer.getvalue())
    return {"certificates": count, "contest": contest.name}


@job_kind("competitions.results_export", label=gettext_lazy("Contest results export"),
          queue="reports")
def results_export(progress, contest_id):
    """Write the stored rankings and awards of a contest to Excel."""
    from . import results

    contest = _contest(contest_id)
    owner = progress.job.owner
    if owner is None or not results.can_see_results(owner, contest):
        raise JobError(_("You may not export this contest's results."))
    data = results.load(contest)
    progress.save_result_file(f"contest-results-{contest.year}-{contest.pk}-{_stamp()}.xlsx",
                              results.export_workbook(data))
    return {"entrants": len(data.overall), "teams": len(data.teams), "contest": contest.name}


@job_kind("competitions.trend_export", label=gettext_lazy("Contest score trend export"),
          queue="reports")
def trend_export(progress, kind, target):
    """Write a score trend (officer, unit or series) with its chart to Excel."""
    from home import charts
    from people.models import Officer, Unit

    from . import trends

    owner = progress.job.owner
    if owner is None:
        raise JobError(_("The person who started this export no longer exists."))
    if kind == "officer":
        officer = Officer.objects.filter(pk=target).first()
        if officer is None or not trends.may_see_officer(owner, officer):
            raise JobError(_("You may not export this officer's scores."))
        trend = trends.officer_trend(officer)
    elif kind == "unit":
        unit = Unit.objects.filter(pk=target).first()
        if unit is None or not trends.may_see_unit(owner, unit):
            raise JobError(_("You may not export this unit's scores."))
        trend = trends.unit_trend(unit)
    elif kind == "series":
        if not trends.may_see_series(owner):
            raise JobError(_("You may not export this series' scores."))
        trend = trends.series_trend(str(target))
    else:
        raise JobError(_("Unknown trend: %(kind)s") % {"kind": kind})
    png = charts.render(trends.trend_figure(trend), fmt="png")
    progress.save_result_file(f"contest-trend-{kind}-{_stamp()}.xlsx",
                              trends.export_workbook(trend, png))
    return {"points": len(trend.labels), "series": len(trend.series)}
