"""
Score trends over time, from the published results (AwardResult rows of contests whose
results are published or archived), and the score distribution of one contest.

    officer   the officer's score in each event, and overall, contest by contest
    unit      the mean score per event of the unit's entrants (its whole subtree)
    series    the mean score per event of all entrants, year by year, in one series
              (Contest.series, e.g. the annual 文化市场行政执法岗位技能竞赛)
    contest   the distribution of overall scores (histogram) and of each event's scores
              (box plot)

Events are matched across contests by name. A trend is a `Trend` (labels of the
contests along the x axis, one series of values per event, None where missing); charts
are drawn by home.charts (Figure objects, CJK font) and cached by the results' data
version (competitions.results.version), so a chart is redrawn only after a change.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from home import charts

from . import results
from .models import AwardResult, AwardScope, Contest

SHOWN = results.SHOWN_STATUSES
CHART_TIMEOUT = 24 * 3600


@dataclass
class Trend:
    title: str
    labels: list          # x axis: one label per contest (or year)
    series: list          # [(name, [value or None per label])]
    y_label: str = ""

    @property
    def is_empty(self):
        return not self.labels or not any(v is not None for _n, vs in self.series for v in vs)

    def rows(self):
        """Return the table form: [label, value per series] per x label."""
        return [[label] + [values[i] for _name, values in self.series]
                for i, label in enumerate(self.labels)]


def year_label(year):
    """A year on a chart's axis: "2026年" in Chinese, "2026" in English."""
    return pgettext("chart axis", "%(year)s") % {"year": year}


def _contest_labels(contests):
    """Label contests by year, adding the name where a year has several contests."""
    per_year = defaultdict(int)
    for contest in contests:
        per_year[contest.year] += 1
    return [year_label(c.year) if per_year[c.year] == 1 else f"{year_label(c.year)} {c.name[:10]}"
            for c in contests]


def _event_order(rows):
    """Return event names in the order their events first come (sort order, then id)."""
    seen = {}
    for name, order in rows:
        seen.setdefault(name, order)
    return sorted(seen, key=lambda n: seen[n])


def officer_trend(officer):
    """Return the officer's scores per event and overall across published contests."""
    awards = list(AwardResult.objects.filter(
        entry__officer=officer, contest__status__in=SHOWN,
        scope__in=[AwardScope.EVENT, AwardScope.OVERALL]).select_related(
        "contest", "event").order_by("contest__year", "contest_id"))
    contests = list({a.contest_id: a.contest for a in awards}.values())
    index = {c.pk: i for i, c in enumerate(contests)}
    names = _event_order((a.event.name, (a.event.sort_order, a.event_id))
                         for a in awards if a.event_id)
    values = {name: [None] * len(contests) for name in names + [_("Overall")]}
    for a in awards:
        name = a.event.name if a.event_id else _("Overall")
        values[name][index[a.contest_id]] = a.score
    return Trend(_("%(name)s: contest scores") % {"name": officer.name},
                 _contest_labels(contests), list(values.items()), _("Score"))


def _mean_trend(title, awards, by_year=False):
    rows = list(awards.values("contest_id", "contest__year", "contest__name", "event__name",
                              "event__sort_order", "event_id").annotate(
        mean=Avg("score"), n=Count("pk")).order_by("contest__year", "contest_id"))
    if by_year:
        keys = sorted({r["contest__year"] for r in rows})
        labels = [year_label(year) for year in keys]
        key_of = "contest__year"
    else:
        contests = list(Contest.objects.filter(
            pk__in={r["contest_id"] for r in rows}).order_by("year", "pk"))
        keys = [c.pk for c in contests]
        labels = _contest_labels(contests)
        key_of = "contest_id"
    index = {key: i for i, key in enumerate(keys)}
    names = _event_order((r["event__name"], (r["event__sort_order"], r["event_id"]))
                         for r in rows)
    sums = {name: [[0, 0] for _k in keys] for name in names}
    for r in rows:
        cell = sums[r["event__name"]][index[r[key_of]]]
        cell[0] += float(r["mean"]) * r["n"]
        cell[1] += r["n"]
    series = [(name, [round(s / n, 2) if n else None for s, n in cells])
              for name, cells in sums.items()]
    return Trend(title, labels, series, _("Mean score"))


def unit_trend(unit):
    """Return the mean score per event of the unit's entrants, contest by contest."""
    awards = AwardResult.objects.filter(
        scope=AwardScope.EVENT, contest__status__in=SHOWN, score__isnull=False,
        entry__unit__path__startswith=unit.path)
    return _mean_trend(_("%(unit)s: mean score per event") % {"unit": unit.name}, awards)


def series_names():
    """Return the names of the contest series that have published results."""
    return list(Contest.objects.filter(status__in=SHOWN).exclude(series="").order_by(
        "series").values_list("series", flat=True).distinct())


def series_trend(series):
    """Return the mean score per event of all entrants of a series, year by year."""
    awards = AwardResult.objects.filter(
        scope=AwardScope.EVENT, contest__status__in=SHOWN, score__isnull=False,
        contest__series=series)
    return _mean_trend(_("%(series)s: mean score per event by year") % {"series": series},
                       awards, by_year=True)


@dataclass
class Distribution:
    title: str
    totals: list                  # overall scores (float)
    events: list                  # [(event name, [scores])]

    @property
    def is_empty(self):
        return not self.totals and not any(scores for _n, scores in self.events)


def distribution(contest):
    """Return the overall and per-event scores of a contest's stored results."""
    awards = list(AwardResult.objects.filter(
        contest=contest, scope__in=[AwardScope.EVENT, AwardScope.OVERALL],
        score__isnull=False).select_related("event").order_by("event__sort_order", "event_id"))
    totals = [float(a.score) for a in awards if a.scope == AwardScope.OVERALL]
    per_event = defaultdict(list)
    for a in awards:
        if a.scope == AwardScope.EVENT:
            per_event[a.event.name].append(float(a.score))
    return Distribution(_("%(contest)s: score distribution") % {"contest": contest.name},
                        totals, list(per_event.items()))


# ---------------------------------------------------------------- drawing


def trend_figure(trend):
    """Return a line chart Figure of a Trend (gaps where a value is missing)."""
    nan = float("nan")
    series = [(name, [nan if v is None else float(v) for v in values])
              for name, values in trend.series]
    if trend.is_empty:
        fig = charts.new_figure()
        ax = fig.add_subplot()
        ax.set_title(trend.title)
        ax.text(0.5, 0.5, _("No published results yet"), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    return charts.line_chart(trend.title, trend.labels, series, y_label=trend.y_label)


def distribution_figure(dist):
    """Return a Figure: a histogram of overall scores beside a box plot per event."""
    fig = charts.new_figure(width=10, height=4.5)
    fig.suptitle(dist.title)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.4])
    left.hist(dist.totals or [0], bins=min(10, max(1, len(dist.totals))),
              color=charts.PALETTE[0], edgecolor="white")
    left.set_title(_("Overall scores"))
    left.set_xlabel(_("Score"))
    left.set_ylabel(_("Entrants"))
    events = [(name, scores) for name, scores in dist.events if scores]
    if events:
        right.boxplot([scores for _n, scores in events], tick_labels=[n for n, _s in events])
        for tick in right.get_xticklabels():
            tick.set_rotation(15)
    right.set_title(_("Scores per event"))
    right.set_ylabel(_("Score"))
    for ax in (left, right):
        ax.grid(axis="y", alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def cached_chart(kind, key, data_version, build, fmt="png"):
    """Return chart bytes from the cache, drawing them with `build()` on a miss."""
    cache_key = (f"competitions:chart:{kind}:{key}:{fmt}:"
                 f"{translation.get_language() or 'zh-hans'}:{data_version}")
    image = cache.get(cache_key)
    if image is None:
        image = charts.render(build(), fmt=fmt)
        cache.set(cache_key, image, timeout=CHART_TIMEOUT)
    return image


def officer_chart(officer, fmt="png"):
    return cached_chart("officer", officer.pk, results.version(),
                        lambda: trend_figure(officer_trend(officer)), fmt)


def unit_chart(unit, fmt="png"):
    return cached_chart("unit", unit.pk, results.version(),
                        lambda: trend_figure(unit_trend(unit)), fmt)


def series_chart(series, fmt="png"):
    import hashlib

    key = hashlib.sha1(series.encode()).hexdigest()[:16]
    return cached_chart("series", key, results.version(),
                        lambda: trend_figure(series_trend(series)), fmt)


def distribution_chart(contest, fmt="png"):
    return cached_chart("distribution", contest.pk, results.version(contest),
                        lambda: distribution_figure(distribution(contest)), fmt)


# ---------------------------------------------------------------- who may see


def may_see_officer(user, officer):
    """The officer themselves, managers whose scope holds them, organizers (all)."""
    from people.roles import Role, has_role
    from people.scopes import can_see_officer

    if officer.user_id == user.pk or has_role(user, Role.ORGANIZER):
        return True
    return has_role(user, Role.MANAGER) and can_see_officer(user, officer)


def may_see_unit(user, unit):
    """Managers whose scope holds the unit, organizers (all)."""
    from people.roles import Role, has_role
    from people.scopes import can_see_unit

    if has_role(user, Role.ORGANIZER):
        return True
    return has_role(user, Role.MANAGER) and can_see_unit(user, unit)


def may_see_series(user):
    from people.roles import Role, has_role

    return has_role(user, Role.ORGANIZER, Role.MANAGER)


# ---------------------------------------------------------------- Excel


def export_workbook(trend, chart_png):
    """Return .xlsx bytes: the trend's table with its chart embedded as an image."""
    from openpyxl.drawing.image import Image as SheetImage
    from PIL import Image

    from workbooks.writing import header_cells, new_write_only_workbook, text_cell, workbook_bytes

    wb = new_write_only_workbook()
    ws = wb.create_sheet(_("Trend")[:31])
    ws.column_dimensions["A"].width = 18
    ws.append([text_cell(ws, trend.title)])
    ws.append(header_cells(ws, [_("Contest")] + [name for name, _v in trend.series]))
    for row in trend.rows():
        ws.append([text_cell(ws, row[0])] + [float(v) if v is not None else None
                                             for v in row[1:]])
    import io

    image = SheetImage(Image.open(io.BytesIO(chart_png)))
    from openpyxl.utils import get_column_letter

    image.anchor = f"{get_column_letter(len(trend.series) + 3)}2"
    ws.add_image(image)
    return workbook_bytes(wb)
