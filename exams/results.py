"""
An exam's results as organizers and managers see them, always within the viewer's scope.

Every number is aggregated by the database (a bounded number of queries, whatever the
number of attempts). Definitions:

- eligible: active officers who may sit the exam (`sitting.eligible_officers`) and whom
  the viewer may see (`people.scopes.visible_officers`);
- sat: eligible officers with a submitted or marked attempt; absent: the others;
- an officer's counted attempt is their latest submitted or marked one (a resit replaces
  the first sitting); scores, pass rate, distribution and ranking use counted attempts
  that are fully marked;
- pass rate: passed / marked counted attempts; percentages are of each attempt's maximum.
"""
import hashlib
from decimal import Decimal
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (Avg, Count, DecimalField, Exists, ExpressionWrapper, F, Max, Min,
                              OuterRef, Q, Value, Window)
from django.db.models.functions import Floor, Least, Rank, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from home import charts
from people.models import Unit
from people.roles import Role
from people.scopes import scope_root_paths, visible_officers

from . import sitting
from .models import Attempt, AttemptStatus

RESULT_ROLES = (Role.ORGANIZER, Role.MANAGER)
FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.MARKED)
BINS = 10
CHART_SECONDS = 3600


@dataclass(frozen=True)
class Scope:
    """Whose results a viewer may see: the officers in their units, grouped one level down."""

    officers: object  # a queryset of Officer
    key: str  # identifies the scope in cache keys
    group_length: int  # the unit-path prefix length that names a per-unit row

    @classmethod
    def for_user(cls, user):
        paths = scope_root_paths(user)
        steplen = Unit.steplen
        if "" in paths:
            roots = list(Unit.get_root_nodes().values_list("path", flat=True)[:2])
            # One root (the corps): its rows are the units below it; several roots: the roots.
            depth = 1 if len(roots) == 1 else 0
        else:
            depth = len(paths[0]) // steplen if paths else 0
        key = hashlib.sha1("|".join(sorted(paths)).encode()).hexdigest()[:12]
        return cls(visible_officers(user), key, (depth + 1) * steplen)


def eligible(exam, scope):
    """Return the eligible officers the viewer may see."""
    return sitting.eligible_officers(exam) & scope.officers


def _finished_attempt_of_officer(exam):
    return Attempt.objects.filter(exam=exam, officer=OuterRef("pk"), status__in=FINISHED)


def counted_attempts(exam, scope):
    """Return each in-scope officer's counted attempt: their latest finished one."""
    later = Attempt.objects.filter(exam=exam, officer=OuterRef("officer"), status__in=FINISHED,
                                   number__gt=OuterRef("number"))
    return Attempt.objects.filter(exam=exam, status__in=FINISHED,
                                  officer__in=scope.officers.values("pk")).filter(~Exists(later))


def marked_attempts(exam, scope):
    """Return the counted attempts that are fully marked (score known)."""
    return counted_attempts(exam, scope).filter(status=AttemptStatus.MARKED, score__isnull=False)


def _percent():
    return ExpressionWrapper(F("score") * Value(Decimal("100")) / F("max_score"),
                             output_field=DecimalField(max_digits=9, decimal_places=4))


def summary(exam, scope):
    """Return participation and score statistics (four queries)."""
    people = eligible(exam, scope).aggregate(
        eligible=Count("pk"), sat=Count("pk", filter=Exists(_finished_attempt_of_officer(exam))))
    counted = counted_attempts(exam, scope).aggregate(
        counted=Count("pk"),
        marked=Count("pk", filter=Q(status=AttemptStatus.MARKED)),
        passed=Count("pk", filter=Q(status=AttemptStatus.MARKED, passed=True)),
        mean=Avg("score", filter=Q(status=AttemptStatus.MARKED)),
        highest=Max("score", filter=Q(status=AttemptStatus.MARKED)),
        lowest=Min("score", filter=Q(status=AttemptStatus.MARKED)),
        max_score=Max("max_score"))
    stats = {**people, **counted}
    stats["absent"] = stats["eligible"] - stats["sat"]
    stats["awaiting"] = stats["counted"] - stats["marked"]
    stats["participation"] = _share(stats["sat"], stats["eligible"])
    stats["pass_rate"] = _share(stats["passed"], stats["marked"])
    stats["median"] = median(marked_attempts(exam, scope), stats["marked"])
    return stats


def _share(part, whole):
    """Return part/whole as a percentage (one decimal), or None when whole is 0."""
    return round(100 * part / whole, 1) if whole else None


def median(attempts, count):
    """Return the median score of `attempts` (whose number is `count`) with one query."""
    if not count:
        return None
    low, high = (count - 1) // 2, count // 2
    values = list(attempts.order_by("score").values_list("score", flat=True)[low:high + 1])
    return (values[0] + values[-1]) / 2


def distribution(exam, scope):
    """Return [(label, count)] of marked scores in ten bands of the maximum (0–10% … 90–100%)."""
    share = ExpressionWrapper(F("score") * Value(Decimal(BINS)) / F("max_score"),
                              output_field=DecimalField(max_digits=12, decimal_places=4))
    band = Least(Floor(share), Value(Decimal(BINS - 1)))
    counts = dict((int(row["band"]), row["n"]) for row in
                  marked_attempts(exam, scope).filter(max_score__gt=0)
                  .annotate(band=band).values("band").annotate(n=Count("pk")).order_by())
    step = 100 // BINS
    return [(f"{i * step}–{(i + 1) * step}", counts.get(i, 0)) for i in range(BINS)]


def distribution_chart(exam, scope, bands=None):
    """Return the distribution chart as PNG bytes, cached per exam, scope and data."""
    bands = bands if bands is not None else distribution(exam, scope)
    data = repr(bands).encode()
    key = f"exams:results:chart:{exam.pk}:{scope.key}:{hashlib.sha1(data).hexdigest()[:12]}"
    png = cache.get(key)
    if png is None:
        fig = charts.bar_chart(_("Score distribution"), [label for label, _n in bands],
                               [n for _label, n in bands], y_label=_("Candidates"))
        fig.axes[0].set_xlabel(_("Score (percent of the maximum)"))
        png = charts.render(fig, "png")
        cache.set(key, png, CHART_SECONDS)
    return png


def by_unit(exam, scope, every_unit=False):
    """Return one row per unit one level below the scope's top (or per unit): three queries.

    Each row: unit, eligible, sat, absent, participation, marked, passed, pass_rate, mean.
    """
    if every_unit:
        officer_group, attempt_group = F("unit__path"), F("officer__unit__path")
    else:
        officer_group = Substr("unit__path", 1, scope.group_length)
        attempt_group = Substr("officer__unit__path", 1, scope.group_length)
    rows = {}
    for row in (eligible(exam, scope)
                .annotate(group=officer_group).values("group")
                .annotate(eligible=Count("pk"),
                          sat_count=Count("pk", filter=Exists(_finished_attempt_of_officer(exam))))
                .order_by()):
        rows[row["group"]] = {"eligible": row["eligible"], "sat": row["sat_count"]}
    marked = Q(status=AttemptStatus.MARKED)
    for row in (counted_attempts(exam, scope).annotate(group=attempt_group).values("group")
                .annotate(marked=Count("pk", filter=marked),
                          passed=Count("pk", filter=marked & Q(passed=True)),
                          mean=Avg("score", filter=marked))
                .order_by()):
        rows.setdefault(row["group"], {"eligible": 0, "sat": 0}).update(
            marked=row["marked"], passed=row["passed"], mean=row["mean"])
    units = Unit.objects.in_bulk(list(rows), field_name="path")
    table = []
    for path in sorted(rows):
        row = {"unit": units.get(path), "marked": 0, "passed": 0, "mean": None, **rows[path]}
        row["absent"] = row["eligible"] - row["sat"]
        row["participation"] = _share(row["sat"], row["eligible"])
        row["pass_rate"] = _share(row["passed"], row["marked"])
        table.append(row)
    return table


def ranking(exam, scope):
    """Return the marked counted attempts, best first, each with its `rank` (ties share one)."""
    return (marked_attempts(exam, scope)
            .annotate(rank=Window(Rank(), order_by=F("score").desc()),
                      percent=_percent())
            .select_related("officer__unit")
            .order_by("-score", "submitted_at", "pk"))


def absentees(exam, scope):
    """Return the eligible officers in scope with no submitted attempt (未参考名单)."""
    return (eligible(exam, scope).filter(~Exists(_finished_attempt_of_officer(exam)))
            .select_related("unit").order_by("unit__path", "badge_number"))


def live_progress(exam, scope):
    """Return per-unit counts for the live monitor: eligible, started, submitted (two queries)."""
    started = Attempt.objects.filter(exam=exam, officer=OuterRef("pk"), started_at__isnull=False)
    group = Substr("unit__path", 1, scope.group_length)
    rows = list(eligible(exam, scope)
                .annotate(group=group).values("group")
                .annotate(eligible=Count("pk"), started=Count("pk", filter=Exists(started)),
                          submitted=Count("pk",
                                          filter=Exists(_finished_attempt_of_officer(exam))))
                .order_by("group"))
    names = dict(Unit.objects.filter(path__in=[r["group"] for r in rows])
                 .values_list("path", "name"))
    units = [{"unit": names.get(r["group"], ""), "eligible": r["eligible"],
              "started": r["started"], "submitted": r["submitted"]} for r in rows]
    totals = {key: sum(u[key] for u in units) for key in ("eligible", "started", "submitted")}
    return {"units": units, "totals": totals}



# --- Excel export ------------------------------------------------------------------------

def write_workbook(exam, scope, progress=None):
    """Return the results workbook (.xlsx bytes): results, questions, units and absentees.

    The workbook is written in write-only mode; every text cell goes through `text_cell`
    so names or answers that look like formulas stay text.
    """
    from workbooks.writing import header_cells, new_write_only_workbook, text_cell, workbook_bytes

    from .analysis import item_analysis

    wb = new_write_only_workbook()

    def sheet(title, headers, rows):
        ws = wb.create_sheet(title)
        ws.append(header_cells(ws, headers))
        for row in rows:
            ws.append([text_cell(ws, value) for value in row])

    sheet(_("Results"),
          [_("Rank"), _("Name"), _("Badge number"), _("Unit"), _("Score"), _("Maximum"),
           _("Percent"), _("Passed"), _("Submitted")],
          ([a.rank, a.officer.name, a.officer.badge_number, a.officer.unit.name, float(a.score),
            float(a.max_score), round(float(a.percent), 1) if a.max_score else None,
            _("Yes") if a.passed else _("No"),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")
            if a.submitted_at else ""]
           for a in ranking(exam, scope).iterator(chunk_size=500)))
    if progress is not None:
        progress.update(40, _("Results written"))
    candidates, rows = item_analysis(exam, scope)
    sheet(_("Questions"),
          [_("Question"), _("Version"), _("Type"), _("Stem"), _("Answers"), _("Mean"),
           _("Facility"), _("Discrimination"), _("Options chosen"), _("Flags")],
          ([r["question_id"], r["number"], str(r["qtype_label"]), r["stem_text"], r["answers"],
            _number(r["mean"]), _number(r["facility"]), _number(r["discrimination"]),
            "; ".join(f"{o['key']}{'*' if o['correct'] else ''}: {o['chosen']}"
                      for o in r["options"]),
            ", ".join(str(label) for flag, label in _flag_labels() if r[flag])]
           for r in rows))
    if progress is not None:
        progress.update(70, _("Questions written"))
    sheet(_("Units"),
          [_("Unit"), _("Eligible"), _("Sat"), _("Absent"), _("Participation %"), _("Marked"),
           _("Passed"), _("Pass rate %"), _("Mean score")],
          ([row["unit"].name if row["unit"] else "", row["eligible"], row["sat"], row["absent"],
            row["participation"], row["marked"], row["passed"], row["pass_rate"],
            _number(row["mean"])]
           for row in by_unit(exam, scope)))
    sheet(_("Absent"), [_("Name"), _("Badge number"), _("Unit")],
          ([o.name, o.badge_number, o.unit.name]
           for o in absentees(exam, scope).iterator(chunk_size=500)))
    return workbook_bytes(wb)


def _number(value):
    return round(float(value), 3) if value is not None else None


def _flag_labels():
    return [("too_easy", _("too easy")), ("too_hard", _("too hard")),
            ("negative", _("negative discrimination"))]
