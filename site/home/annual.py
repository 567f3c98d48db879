"""
The annual summary a unit puts in its report, computed from the records (never typed):

- training sessions 场次: training events held in the year attended by at least one officer
  of the subtree; person-times 人次: their attendances by officers of the subtree;
- study hours: hours earned in the year by the subtree's active officers (content.hours),
  and per officer;
- exams held: exams (not drafts, cancelled or mock exams) that opened in the year and were
  open to the subtree (an eligible unit above, at or below it, or a named officer in it);
- participation %, pass %: the year's monthly law tests, as on the dashboard (figures.py);
- mean score (percent) and its change on the year before (whole years);
- certificates issued / renewed / expired in the year (the certificate history);
- contests of the year with entrants from the subtree, and the prizes they won.
"""
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q

from people.models import Unit

from . import figures


def ancestor_paths(path):
    step = Unit.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def summary(unit, year):
    """Return the annual figures of `unit`'s subtree for `year` (a bounded number of queries)."""
    with figures.without_jit():
        return _summary(unit, year)


def _summary(unit, year):
    from certificates.models import CertificateChange, ChangeAction
    from content.hours import Period
    from content.models import Attendance
    from exams.models import Exam, ExamKind, ExamStatus

    period = Period.year(year)
    subtree = unit.path

    attended = Attendance.objects.filter(officer__unit__path__startswith=subtree,
                                         event__starts_at__date__gte=period.start,
                                         event__starts_at__date__lt=period.end)
    training = attended.aggregate(sessions=Count("event", distinct=True),
                                  person_times=Count("pk"))

    officers = figures.active_officers(unit)
    as_of = dt.date(year, 12, 31)
    studied = figures.study(unit, as_of, [])
    hours = sum((row["hours"] for row in studied.values()), Decimal(0))
    officer_count = officers.count()

    exams_held = (Exam.objects.filter(opens_at__date__gte=period.start,
                                      opens_at__date__lt=period.end)
                  .exclude(status__in=[ExamStatus.DRAFT, ExamStatus.CANCELLED])
                  .exclude(kind=ExamKind.MOCK)
                  .filter(Q(eligible_units__path__startswith=subtree)
                          | Q(eligible_units__path__in=ancestor_paths(subtree))
                          | Q(eligible_officers__unit__path__startswith=subtree))
                  .aggregate(n=Count("pk", distinct=True))["n"])

    months = [figures.month_key(year, m) for m in range(1, 13)]
    last_months = [figures.month_key(year - 1, m) for m in range(1, 13)]
    month_exams = figures.MonthExams.load(months + last_months)
    # A month whose exam is still open is left out (as on the dashboard).
    months = [m for m in months if not month_exams.open.get(m)]
    took = figures.participation(unit, months, month_exams)
    marks = figures.scores(unit, month_exams)
    expected = sum(e for per_month in took.values() for e, _s in per_month.values())
    sat = sum(s for per_month in took.values() for _e, s in per_month.values())

    def score_totals(month_list):
        marked = passed = n = 0
        total = 0.0
        for per_month in marks.values():
            for month in month_list:
                m_marked, m_passed, m_sum, m_n = per_month.get(month, (0, 0, 0, 0))
                marked, passed, total, n = (marked + m_marked, passed + m_passed,
                                            total + m_sum, n + m_n)
        return marked, passed, (round(float(total) / n, 1) if n else None)

    marked, passed, mean = score_totals(months)
    _m, _p, last_mean = score_totals(last_months)

    changes = (CertificateChange.objects.filter(
        certificate__officer__unit__path__startswith=subtree,
        at__date__gte=period.start, at__date__lt=period.end)
        .aggregate(issued=Count("pk", filter=Q(action__in=[ChangeAction.ISSUED,
                                                          ChangeAction.IMPORTED])),
                   renewed=Count("pk", filter=Q(action__in=[ChangeAction.RENEWED,
                                                           ChangeAction.RENEWED_NO_EXAM])),
                   expired=Count("pk", filter=Q(action=ChangeAction.EXPIRED))))

    contest_rows = [c for c in figures.contests(unit, since_year=year) if c["year"] == year]
    prizes = {}
    for contest in contest_rows:
        for _scope, prize, n in contest["prizes"]:
            prizes[prize] = prizes.get(prize, 0) + n
    return {
        "unit": unit, "year": year,
        "sessions": training["sessions"], "person_times": training["person_times"],
        "hours": hours, "officers": officer_count,
        "hours_per_officer": round(hours / officer_count, 1) if officer_count else None,
        "exams_held": exams_held,
        "expected": expected, "sat": sat, "participation": figures.share(sat, expected),
        "marked": marked, "passed": passed, "pass_rate": figures.share(passed, marked),
        "mean_score": mean, "last_mean_score": last_mean,
        "score_change": figures.change(mean, last_mean),
        "certificates_issued": changes["issued"], "certificates_renewed": changes["renewed"],
        "certificates_expired": changes["expired"],
        "contests": len(contest_rows),
        "contest_entrants": sum(c["entrants"] for c in contest_rows),
        "awards": sum(prizes.values()),
        "prizes": sorted(prizes.items()),
        "best_organisation": sum(1 for c in contest_rows if c["best_organisation"]),
        "contest_rows": contest_rows,
    }


def summary_lines(data):
    """Return the summary as (label, value) pairs, as the page and the export show them."""
    from django.utils.translation import gettext as _

    def pct(value):
        return "—" if value is None else f"{value}%"

    change = data["score_change"]
    change_text = "—" if change is None else (
        _("up %(n)s%% on last year") % {"n": change} if change >= 0
        else _("down %(n)s%% on last year") % {"n": -change})
    return [
        (_("Training sessions"), data["sessions"]),
        (_("Person-times trained"), data["person_times"]),
        (_("Study hours"), round(float(data["hours"]), 1)),
        (_("Study hours per officer"), float(data["hours_per_officer"])
         if data["hours_per_officer"] is not None else "—"),
        (_("Exams held"), data["exams_held"]),
        (_("Monthly exam participation"), pct(data["participation"])),
        (_("Monthly exam pass rate"), pct(data["pass_rate"])),
        (_("Mean score (percent)"), data["mean_score"] if data["mean_score"] is not None else "—"),
        (_("Mean score change"), change_text),
        (_("Certificates issued"), data["certificates_issued"]),
        (_("Certificates renewed"), data["certificates_renewed"]),
        (_("Certificates expired"), data["certificates_expired"]),
        (_("Contests"), data["contests"]),
        (_("Contest entrants"), data["contest_entrants"]),
        (_("Awards won"), data["awards"]),
    ]
