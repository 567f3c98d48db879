"""
The managers' figures for one unit subtree, each per sub-unit (one level down) and in total.

Every figure is aggregated by the database: one query per figure family whatever the number
of officers (the families: people and certificates, study and coverage, monthly exam
participation, monthly exam scores, contests, certificate expiry; plus two small queries on
the exams of the months shown). Python only adds up the per-sub-unit rows.

Definitions (the same on the dashboard, the charts, the exports and the monthly report):

- officers: active officers whose unit lies in the subtree;
- sub-unit row: the units directly below the chosen unit, each with its own subtree; officers
  placed in the chosen unit itself form an extra row (“the unit itself”);
- certified: a certificate valid or expiring soon, not past its date on `as_of`; expiring:
  certified and ending within 30 days; expired: valid/expiring/expired status and past its
  date; uncertified: officers without a certificate in force (expired, suspended, none);
- study hours: completed lessons and attended training from 1 January to `as_of`
  (content.hours); coverage per requirement follows content.coverage over the same period;
- monthly exams: exams of kind “monthly law test” (not drafts, not cancelled) whose period
  (YYYY-MM) is one of the months shown. For each month an officer is *expected* when
  eligible for one of the month's monthly exams (a unit subtree or named officer), and
  *took part* when expected and holding a submitted or marked attempt in one of them; the
  others of the month are its non-participants 未参考名单;
- a month whose exam is still open is listed but left out of the twelve-month totals;
- pass rate and mean score (percent of each attempt's maximum) use the counted attempts that
  are marked, as the exam results pages do (exams.results): an officer's latest finished
  attempt per exam, officers of the subtree;
- year on year: the mean score of the months of `as_of`'s year up to `as_of`'s month
  against the same months of the year before (relative change, in percent).
"""
import calendar
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.db.models import (Case, Count, DateField, DecimalField, Exists, ExpressionWrapper, F,
                              FloatField, OuterRef, Q, Sum, Value, When)
from django.db.models.functions import Cast, Substr, TruncMonth

from people.models import Officer, OfficerStatus, Unit

STEP = Unit.steplen
EXPIRING_DAYS = 30
SCOPE_ORDER = {"overall": 0, "team": 1, "event": 2}
PRIZE_ORDER = {"一等奖": 0, "二等奖": 1, "三等奖": 2, "优秀奖": 3}


# --- periods ------------------------------------------------------------------------------

def month_key(year, month):
    return f"{year:04d}-{month:02d}"


def months_ending(as_of, count=12):
    """Return the `count` month keys ('YYYY-MM') ending with `as_of`'s month, oldest first."""
    year, month = as_of.year, as_of.month
    keys = []
    for _index in range(count):
        keys.append(month_key(year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))


def month_end(key):
    year, month = int(key[:4]), int(key[5:])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def share(part, whole):
    """Return part/whole as a percentage with one decimal, or None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


def change(new, old):
    """Return the relative change from `old` to `new` in percent (one decimal), or None."""
    if new is None or old is None or not old:
        return None
    return round(100 * (float(new) - float(old)) / float(old), 1)


# --- the subtree and its rows ---------------------------------------------------------------

def group_of(field_path, unit):
    """Return the expression naming the sub-unit row of a unit path (one level below `unit`)."""
    return Substr(field_path, 1, len(unit.path) + STEP)


def active_officers(unit):
    return Officer.objects.filter(unit__path__startswith=unit.path, status=OfficerStatus.ACTIVE)


@dataclass
class Row:
    """One sub-unit (or the unit itself, or the total) with every figure."""

    unit: object
    path: str
    own: bool = False  # the chosen unit's own officers (not in a sub-unit)
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def sub_units(unit):
    """Return the units directly below `unit` (one query)."""
    return list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
                .order_by("path"))


# --- people and certificates (one query) ------------------------------------------------------

def people_and_certificates(unit, as_of):
    """Return {group path: {officers, certified, expiring, expired, uncertified}}."""
    from certificates.models import CertificateStatus

    in_force = Q(certificate__status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING],
                 certificate__valid_until__gte=as_of)
    rows = (active_officers(unit).annotate(grp=group_of("unit__path", unit)).values("grp")
            .annotate(officers=Count("pk"),
                      certified=Count("pk", filter=in_force),
                      expiring=Count("pk", filter=in_force & Q(
                          certificate__valid_until__lte=as_of + dt.timedelta(days=EXPIRING_DAYS))),
                      expired=Count("pk", filter=Q(
                          certificate__status__in=[CertificateStatus.VALID,
                                                   CertificateStatus.EXPIRING,
                                                   CertificateStatus.EXPIRED],
                          certificate__valid_until__lt=as_of)))
            .order_by())
    result = {}
    for row in rows:
        row = dict(row)
        row["uncertified"] = row["officers"] - row["certified"]
        result[row.pop("grp")] = row
    return result


# --- study hours and coverage (one query) -----------------------------------------------------

def study_period(as_of):
    """The period study figures cover: 1 January of `as_of`'s year up to `as_of` included."""
    from content.hours import Period

    # Lazy: the dashboard's figures are cached and shown in either language.
    label = format_lazy(gettext_lazy("1 January to {month}/{day} {year}"),
                        year=as_of.year, month=as_of.month, day=as_of.day)
    return Period(dt.date(as_of.year, 1, 1), as_of + dt.timedelta(days=1), label)


def requirements():
    from content.models import StudyRequirement

    return list(StudyRequirement.objects.filter(active=True).order_by("kind", "name", "pk"))


def _day_start(day):
    """Return the aware datetime at which `day` starts in the current time zone."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def officer_hours_sql(unit, as_of, reqs):
    """Return (sql, params) of one row per active officer of the subtree: oid, grp, h_year and
    h_ind_<id> per induction requirement (NULL outside its intake).

    Hours follow content.hours (completed lessons on their completion day, attended
    training on the event's day) but are summed set-wise: the period's records and
    attendances are aggregated per officer once and joined to the officers, so the cost
    grows with the records of the period, not with officers times records (a correlated
    subquery per officer took seconds at 20,000 officers). Induction hours are summed the
    same way for the intake (officers hired within the period).
    """
    from content.models import Attendance, RequirementKind, StudyRecord

    period = study_period(as_of)
    start, end = _day_start(period.start), _day_start(period.end)
    inner = active_officers(unit).annotate(oid=F("pk"), grp=group_of("unit__path", unit))
    columns = ["oid", "grp"]
    in_subtree = Q(officer__unit__path__startswith=unit.path)
    induction = []  # (column, sql, params) per induction requirement
    for req in reqs:
        if req.kind == RequirementKind.INDUCTION:
            name = f"h_ind_{req.pk}"
            inner = inner.annotate(**{f"in_{req.pk}": Case(
                When(hire_date__gte=period.start, hire_date__lt=period.end, then=Value(1)),
                default=None)})
            columns.append(f"in_{req.pk}")
            induction.append((req, name, *_induction_hours_sql(req, period, in_subtree)))
    records = (StudyRecord.objects.filter(in_subtree, completed_at__gte=start,
                                          completed_at__lt=end)
               .annotate(rid=F("officer_id")).values("rid")
               .annotate(h=Sum("credited_hours")).order_by())
    attended = (Attendance.objects.filter(in_subtree, event__starts_at__gte=start,
                                          event__starts_at__lt=end)
                .annotate(aid=F("officer_id")).values("aid")
                .annotate(h=Sum("hours")).order_by())
    officers_sql, officers_params = inner.values(*columns).order_by().query.sql_with_params()
    records_sql, records_params = records.query.sql_with_params()
    attended_sql, attended_params = attended.query.sql_with_params()
    extra = "".join(
        f", CASE WHEN o.in_{req.pk} IS NOT NULL THEN COALESCE({name}.h, 0) END AS {name}"
        for req, name, _sql, _params in induction)
    joins = "".join(f" LEFT JOIN ({sql}) {name} ON {name}.iid = o.oid"
                    for _req, name, sql, _params in induction)
    sql = (f"SELECT o.oid AS oid, o.grp AS grp{extra}, "
           f"COALESCE(r.h, 0) + COALESCE(a.h, 0) AS h_year "
           f"FROM ({officers_sql}) o "
           f"LEFT JOIN ({records_sql}) r ON r.rid = o.oid "
           f"LEFT JOIN ({attended_sql}) a ON a.aid = o.oid{joins}")
    return sql, [*officers_params, *records_params, *attended_params,
                 *[p for _req, _name, _sql, params in induction for p in params]]


def _induction_hours_sql(req, period, in_subtree):
    """Return (sql, params): hours per officer of the intake earned within the requirement's
    days of their own hire date (content.hours.with_induction_hours, summed set-wise)."""
    from content.models import Attendance, StudyRecord

    days = dt.timedelta(days=req.within_days or 90)
    hired = Q(officer__hire_date__gte=period.start, officer__hire_date__lt=period.end)
    window_end = ExpressionWrapper(F("officer__hire_date") + days, output_field=DateField())
    records = (StudyRecord.objects.filter(in_subtree, hired, completed_at__isnull=False,
                                          completed_at__date__gte=F("officer__hire_date"),
                                          completed_at__date__lt=window_end)
               .annotate(oid=F("officer_id")).values("oid")
               .annotate(h=Sum("credited_hours")).order_by())
    attended = (Attendance.objects.filter(in_subtree, hired,
                                          event__starts_at__date__gte=F("officer__hire_date"),
                                          event__starts_at__date__lt=window_end)
                .annotate(oid=F("officer_id")).values("oid")
                .annotate(h=Sum("hours")).order_by())
    records_sql, records_params = records.query.sql_with_params()
    attended_sql, attended_params = attended.query.sql_with_params()
    sql = (f"SELECT u.oid AS iid, SUM(u.h) AS h FROM ("
           f"{records_sql} UNION ALL {attended_sql}) u GROUP BY u.oid")
    return sql, [*records_params, *attended_params]


def _hours_column(req):
    from content.models import RequirementKind

    return f"h_ind_{req.pk}" if req.kind == RequirementKind.INDUCTION else "h_year"


def study(unit, as_of, reqs):
    """Return {group path: {study_officers, hours, req_<id>_concerned, req_<id>_met}}: one query.

    The officer rows (officer_hours_sql) are materialized once, then counted per requirement.
    """
    hours_sql, hours_params = officer_hours_sql(unit, as_of, reqs)
    outer, params = ["COUNT(*)", "COALESCE(SUM(h_year), 0)"], []
    for req in reqs:
        column = _hours_column(req)
        outer.append(f"COUNT(*) FILTER (WHERE {column} IS NOT NULL)")
        outer.append(f"COUNT(*) FILTER (WHERE {column} >= %s)")
        params.append(float(req.hours))  # a float compares as a number on SQLite too
    sql = (f"WITH officer_hours AS MATERIALIZED ({hours_sql}) "
           f"SELECT grp, {', '.join(outer)} FROM officer_hours GROUP BY grp")
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hours_params, *params])
        for record in cursor.fetchall():
            grp, officers, hours, *counts = record
            row = {"study_officers": officers, "hours": Decimal(str(hours or 0))}
            for index, req in enumerate(reqs):
                row[f"req_{req.pk}_concerned"] = counts[2 * index]
                row[f"req_{req.pk}_met"] = counts[2 * index + 1]
            result[grp] = row
    return result


def not_meeting(unit, requirement, as_of):
    """Return the officers of the subtree concerned by `requirement` who have not met it,
    annotated with `study_hours` (content.hours' definition, computed for the rows shown)."""
    from django.db.models.expressions import RawSQL

    from content.hours import with_hours, with_induction_hours
    from content.models import RequirementKind

    hours_sql, params = officer_hours_sql(unit, as_of, [requirement])
    column = _hours_column(requirement)
    ids = RawSQL(f"SELECT oid FROM ({hours_sql}) officer_hours "
                 f"WHERE {column} IS NOT NULL AND {column} < %s",
                 [*params, float(requirement.hours)])
    officers = Officer.objects.filter(pk__in=ids)
    if requirement.kind == RequirementKind.INDUCTION:
        officers = with_induction_hours(officers, requirement.within_days or 90)
    else:
        officers = with_hours(officers, study_period(as_of))
    return officers.select_related("unit").order_by("unit__path", "badge_number")


# --- monthly exams ----------------------------------------------------------------------------

@dataclass
class MonthExams:
    """The monthly exams of some months: ids, eligible unit paths and whether still open."""

    ids: dict  # month key -> [exam id]
    paths: dict  # month key -> [eligible unit path]
    open: dict  # month key -> True if one of its exams has not closed yet
    upcoming: dict = field(default_factory=dict)  # month key -> True if none has opened yet

    @classmethod
    def load(cls, months, now=None):
        """Read the monthly exams of `months` (two queries, whatever the number of officers)."""
        from django.utils import timezone

        from exams.models import Exam, ExamKind, ExamStatus

        now = now or timezone.now()
        ids, paths, still_open = {m: [] for m in months}, {m: [] for m in months}, {}
        upcoming = {}
        exams = (Exam.objects.filter(kind=ExamKind.MONTHLY, period__in=months)
                 .exclude(status__in=[ExamStatus.DRAFT, ExamStatus.CANCELLED])
                 .values_list("pk", "period", "opens_at", "closes_at"))
        period_of = {}
        for pk, period, opens_at, closes_at in exams:
            ids[period].append(pk)
            period_of[pk] = period
            still_open[period] = still_open.get(period, False) or closes_at > now
            upcoming[period] = upcoming.get(period, True) and opens_at > now
        if period_of:
            through = Exam.eligible_units.through
            for exam_id, path in (through.objects.filter(exam_id__in=list(period_of))
                                  .values_list("exam_id", "unit__path")):
                paths[period_of[exam_id]].append(path)
        return cls(ids, paths, still_open, upcoming)


def _expected(month_exams, month):
    """Return the Q (on Officer) of officers expected to sit one of the month's exams."""
    from exams.models import Exam

    ids = month_exams.ids.get(month) or []
    if not ids:
        return None
    named = Exam.eligible_officers.through.objects.filter(exam_id__in=ids).values("officer_id")
    condition = Q(pk__in=named)
    for path in set(month_exams.paths.get(month) or []):
        condition |= Q(unit__path__startswith=path)
    return condition


def _took_part(month_exams, month):
    from exams.models import Attempt, AttemptStatus

    return Q(pk__in=Attempt.objects.filter(
        exam_id__in=month_exams.ids[month],
        status__in=[AttemptStatus.SUBMITTED, AttemptStatus.MARKED]).values("officer_id"))


def participation(unit, months, month_exams):
    """Return {group path: {month: (expected, took part)}} in one query."""
    annotations = {}
    for index, month in enumerate(months):
        expected = _expected(month_exams, month)
        if expected is None:
            continue
        annotations[f"e{index}"] = Count("pk", filter=expected)
        annotations[f"s{index}"] = Count("pk", filter=expected & _took_part(month_exams, month))
    if not annotations:
        return {}
    result = {}
    for row in (active_officers(unit).annotate(grp=group_of("unit__path", unit)).values("grp")
                .annotate(**annotations).order_by()):
        result[row["grp"]] = {month: (row[f"e{i}"], row[f"s{i}"])
                              for i, month in enumerate(months) if f"e{i}" in row}
    return result


def non_participants(unit, month, month_exams=None):
    """Return the officers of the subtree expected in `month` who did not take part (未参考名单)."""
    month_exams = month_exams or MonthExams.load([month])
    expected = _expected(month_exams, month)
    if expected is None:
        return Officer.objects.none()
    return (active_officers(unit).filter(expected).exclude(_took_part(month_exams, month))
            .select_related("unit").order_by("unit__path", "badge_number"))


def counted_marked_attempts(unit, exam_ids):
    """Return the counted, marked attempts of the subtree's officers in `exam_ids`."""
    from exams.models import Attempt, AttemptStatus

    finished = [AttemptStatus.SUBMITTED, AttemptStatus.MARKED]
    # A later attempt is always a resit (number > 1): saying so keeps the anti-join's hash
    # table to the few resits instead of every attempt.
    later = Attempt.objects.filter(exam=OuterRef("exam"), officer=OuterRef("officer"),
                                   status__in=finished, number__gt=1).filter(
                                       number__gt=OuterRef("number"))
    return (Attempt.objects.filter(exam_id__in=exam_ids, status=AttemptStatus.MARKED,
                                   score__isnull=False,
                                   officer__unit__path__startswith=unit.path)
            .filter(~Exists(later)))


def scores(unit, month_exams):
    """Return {group path: {month: (marked, passed, sum of percent scores)}} in one query."""
    exam_ids = [pk for ids in month_exams.ids.values() for pk in ids]
    if not exam_ids:
        return {}
    # Floating point: a mean of percentages shown with one decimal needs no exact decimals,
    # and it is several times faster to sum than numeric division on every attempt.
    percent = Case(When(max_score__gt=0,
                        then=Cast("score", FloatField()) * Value(100.0)
                        / Cast("max_score", FloatField())),
                   default=None, output_field=FloatField())
    result = {}
    for row in (counted_marked_attempts(unit, exam_ids)
                .annotate(grp=group_of("officer__unit__path", unit), month=F("exam__period"))
                .values("grp", "month")
                .annotate(marked=Count("pk"), passed=Count("pk", filter=Q(passed=True)),
                          percent_sum=Sum(percent), percent_n=Count(percent))
                .order_by()):
        result.setdefault(row["grp"], {})[row["month"]] = (
            row["marked"], row["passed"], row["percent_sum"] or 0.0, row["percent_n"])
    return result


# --- contests (one query) -----------------------------------------------------------------

def contests(unit, since_year=None):
    """Return the contests with entries from the subtree: entrants and prizes won (two queries).

    Each: {contest, year, entrants, prizes: [(prize, count)], best_organisation (bool)}.
    """
    from competitions.models import (AwardResult, AwardScope, Contest, ContestStatus, Entry,
                                     EntryStatus)

    entries = Entry.objects.filter(unit__path__startswith=unit.path).exclude(
        status__in=[EntryStatus.REJECTED, EntryStatus.WITHDRAWN])
    if since_year:
        entries = entries.filter(contest__year__gte=since_year)
    by_contest = {row["contest"]: row["n"] for row in
                  entries.values("contest").annotate(n=Count("pk")).order_by()}
    shown = [ContestStatus.PUBLISHED, ContestStatus.ARCHIVED]
    awards = (AwardResult.objects.filter(contest_id__in=list(by_contest), contest__status__in=shown)
              .filter(Q(entry__unit__path__startswith=unit.path)
                      | Q(team__unit__path__startswith=unit.path))
              .exclude(prize="").values("contest", "scope", "prize")
              .annotate(n=Count("pk")).order_by("contest", "scope", "prize"))
    prizes = {}
    for row in sorted(awards, key=lambda r: (SCOPE_ORDER.get(r["scope"], 9),
                                             PRIZE_ORDER.get(r["prize"], 9), r["prize"])):
        prizes.setdefault(row["contest"], []).append(
            (AwardScope(row["scope"]).label, row["prize"], row["n"]))
    result = []
    for contest in (Contest.objects.filter(pk__in=list(by_contest))
                    .select_related("best_organisation_unit").order_by("-year", "name")):
        best = contest.best_organisation_unit
        result.append({
            "contest": contest, "year": contest.year, "entrants": by_contest[contest.pk],
            "published": contest.status in shown,
            "prizes": prizes.get(contest.pk, []),
            "prize_count": sum(n for _scope, _prize, n in prizes.get(contest.pk, [])),
            "best_organisation": bool(best and contest.status in shown
                                      and best.path.startswith(unit.path)),
        })
    return result


# --- certificate expiry timeline (one query) ------------------------------------------------

def expiry_timeline(unit, as_of, months=12):
    """Return [(month key, certificates in force ending that month)] for the next `months`."""
    from certificates.models import Certificate, CertificateStatus

    keys = []
    year, month = as_of.year, as_of.month
    for _index in range(months):
        keys.append(month_key(year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    end = month_end(keys[-1]) + dt.timedelta(days=1)
    counts = {}
    for row in (Certificate.objects.filter(
            officer__unit__path__startswith=unit.path, officer__status=OfficerStatus.ACTIVE,
            status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING],
            valid_until__gte=as_of, valid_until__lt=end)
            .annotate(month=TruncMonth("valid_until")).values("month")
            .annotate(n=Count("pk")).order_by()):
        counts[month_key(row["month"].year, row["month"].month)] = row["n"]
    return [(key, counts.get(key, 0)) for key in keys]


# --- everything the dashboard shows ---------------------------------------------------------

@contextmanager
def without_jit():
    """Run the enclosed aggregate queries with PostgreSQL's JIT compilation off.

    For these one-shot aggregates JIT costs more than it saves: at 20,000 officers it spent
    1.2 s compiling a query that then ran in 0.5 s (bench/managers). SET LOCAL ends with the
    transaction, so the connection is left as it was.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def dashboard(unit, as_of, months_shown=12):
    """Return every figure of the dashboard for `unit` on `as_of` (a fixed number of queries)."""
    with without_jit():
        return _dashboard(unit, as_of, months_shown)


def _dashboard(unit, as_of, months_shown):
    reqs = requirements()
    months = months_ending(as_of, months_shown)
    this_year = [month_key(as_of.year, m) for m in range(1, as_of.month + 1)]
    last_year = [month_key(as_of.year - 1, m) for m in range(1, 13)]
    last_year_same = last_year[:as_of.month]
    window = sorted(set(months) | set(this_year) | set(last_year))
    month_exams = MonthExams.load(window)

    people = people_and_certificates(unit, as_of)
    studied = study(unit, as_of, reqs)
    took = participation(unit, months, month_exams)
    marks = scores(unit, month_exams)

    children = sub_units(unit)
    rows = [Row(child, child.path) for child in children]
    groups = set(people) | set(studied) | set(took) | set(marks)
    if unit.path in groups:
        rows.insert(0, Row(unit, unit.path, own=True))
    total = Row(unit, "")

    def fill(row, paths):
        v = row.values
        v["officers"] = sum(people.get(p, {}).get("officers", 0) for p in paths)
        for key in ("certified", "expiring", "expired", "uncertified"):
            v[key] = sum(people.get(p, {}).get(key, 0) for p in paths)
        v["certified_share"] = share(v["certified"], v["officers"])
        v["hours"] = sum((studied.get(p, {}).get("hours", Decimal(0)) for p in paths), Decimal(0))
        v["hours_per_officer"] = (round(v["hours"] / v["officers"], 1) if v["officers"]
                                  else None)
        v["coverage"] = []
        for req in reqs:
            concerned = sum(studied.get(p, {}).get(f"req_{req.pk}_concerned", 0) for p in paths)
            met = sum(studied.get(p, {}).get(f"req_{req.pk}_met", 0) for p in paths)
            v["coverage"].append({"requirement": req, "concerned": concerned, "met": met,
                                  "not_met": concerned - met, "percent": share(met, concerned)})
        per_month = []
        for month in months:
            expected = sum(took.get(p, {}).get(month, (0, 0))[0] for p in paths)
            sat = sum(took.get(p, {}).get(month, (0, 0))[1] for p in paths)
            marked = sum(marks.get(p, {}).get(month, (0, 0, 0, 0))[0] for p in paths)
            passed = sum(marks.get(p, {}).get(month, (0, 0, 0, 0))[1] for p in paths)
            per_month.append({
                "month": month, "has_exam": bool(month_exams.ids.get(month)),
                "open": month_exams.open.get(month, False),
                "upcoming": month_exams.upcoming.get(month, False),
                "expected": expected, "sat": sat, "absent": expected - sat,
                "participation": share(sat, expected), "marked": marked, "passed": passed,
                "pass_rate": share(passed, marked)})
        v["months"] = per_month
        # A month whose exam is still open is shown but left out of the totals.
        closed = [m for m in per_month if not m["open"]]
        expected = sum(m["expected"] for m in closed)
        sat = sum(m["sat"] for m in closed)
        marked = sum(m["marked"] for m in closed)
        passed = sum(m["passed"] for m in closed)
        v["participation"] = share(sat, expected)
        v["pass_rate"] = share(passed, marked)
        v["expected"], v["sat"], v["marked"], v["passed"] = expected, sat, marked, passed

        def mean(month_list):
            total_percent = sum((marks.get(p, {}).get(m, (0, 0, 0, 0))[2]
                                 for p in paths for m in month_list), 0.0)
            n = sum(marks.get(p, {}).get(m, (0, 0, 0, 0))[3] for p in paths for m in month_list)
            return round(float(total_percent) / n, 1) if n else None

        v["mean_score"] = mean(months)
        v["mean_this_year"] = mean(this_year)
        v["mean_last_year_same"] = mean(last_year_same)
        v["score_change"] = change(v["mean_this_year"], v["mean_last_year_same"])
        v["score_change_abs"] = abs(v["score_change"]) if v["score_change"] is not None else None
        v["score_trend"] = {
            "this_year": [mean([month_key(as_of.year, m)]) if m <= as_of.month else None
                          for m in range(1, 13)],
            "last_year": [mean([key]) for key in last_year],
        }

    all_paths = groups
    for row in rows:
        if row.own:
            fill(row, [unit.path])
        else:
            fill(row, [p for p in all_paths if p.startswith(row.path)])
    fill(total, list(all_paths))
    return {
        "unit": unit, "as_of": as_of, "months": months, "requirements": reqs,
        "period": study_period(as_of), "total": total, "rows": rows,
        "year": as_of.year,
        "contests": contests(unit, since_year=as_of.year - 1),
        "expiry": expiry_timeline(unit, as_of),
    }
