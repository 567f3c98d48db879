"""
The managers' charts, drawn by home.charts from the dashboard figures.

Caching: the figures themselves are cached for FIGURES_SECONDS (a short TTL: a chart or a
page may show numbers up to five minutes old); each chart image is cached under a key made
of the chart's name, format, language and a hash of the very numbers it draws, so a change
in the data gives a new key (and the old image simply expires after CHART_SECONDS).
"""
import hashlib
import math

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from . import charts, figures

FIGURES_SECONDS = 300
CHART_SECONDS = 3600
CHARTS = ("participation", "scores", "coverage", "expiry")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def cached_dashboard(unit, as_of):
    """Return figures.dashboard(unit, as_of), cached for FIGURES_SECONDS."""
    key = f"home:managers:figures:{unit.pk}:{unit.path}:{as_of.isoformat()}"
    board = cache.get(key)
    if board is None:
        board = figures.dashboard(unit, as_of)
        cache.set(key, board, FIGURES_SECONDS)
    return board


def chart_titles():
    """Return [(name, title)] of the dashboard's charts, in the order shown."""
    return [("participation", _("Monthly exams: participation and pass rate")),
            ("scores", _("Mean score: this year against last year")),
            ("coverage", _("Training coverage by sub-unit")),
            ("expiry", _("Certificates expiring per month"))]


def month_label(key):
    return _("%(year)s-%(month)s") % {"year": key[2:4], "month": key[5:]}


def _nan(values):
    return [math.nan if v is None else float(v) for v in values]


def chart_data(name, board):
    """Return (title, kind, labels, series) for the chart `name` of a dashboard."""
    total = board["total"]
    if name == "participation":
        months = total.months
        shown = [m if not m["open"] else {**m, "participation": None, "pass_rate": None}
                 for m in months]  # an open month would plunge the line
        return (_("Monthly exams: participation and pass rate"), "line",
                [month_label(m["month"]) for m in months],
                [(_("Participation"), _nan(m["participation"] for m in shown)),
                 (_("Pass rate"), _nan(m["pass_rate"] for m in shown))])
    if name == "scores":
        year = board["year"]
        return (_("Mean score (percent): %(year)s against %(last)s") % {
                    "year": year, "last": year - 1}, "line",
                [str(m) for m in range(1, 13)],
                [(str(year), _nan(total.score_trend["this_year"])),
                 (str(year - 1), _nan(total.score_trend["last_year"]))])
    if name == "coverage":
        rows = board["rows"]
        labels = [(_("%(unit)s (itself)") % {"unit": r.unit.name}) if r.own else
                  (r.unit.short_name or r.unit.name) for r in rows]
        series = [(c["requirement"].name, [row.coverage[i]["percent"] for row in rows])
                  for i, c in enumerate(total.coverage)]
        return (_("Training coverage by sub-unit"), "grouped", labels, series)
    if name == "expiry":
        return (_("Certificates expiring per month"), "bar",
                [month_label(key) for key, _n in board["expiry"]],
                [(_("Certificates"), [n for _key, n in board["expiry"]])])
    raise KeyError(name)


def draw(name, board):
    """Return the matplotlib Figure of chart `name`."""
    title, kind, labels, series = chart_data(name, board)
    if kind == "line":
        if name == "scores":
            fig = charts.line_chart(title, labels, series, y_label=_("Mean score (percent)"),
                                    y_limit=(0, 105), percent=True)
            fig.axes[0].set_xlabel(_("Month"))
            return fig
        return charts.line_chart(title, labels, series, y_label=_("Share of officers"),
                                 y_limit=(0, 105), percent=True)
    if kind == "grouped":
        return charts.grouped_bar_chart(title, labels or ["—"], series or [("", [0])],
                                        y_label=_("Share of officers"), y_limit=(0, 105),
                                        percent=True)
    (label, values), = series
    return charts.bar_chart(title, labels, values, y_label=label)


def render_chart(name, board, fmt="png"):
    """Return the chart's bytes, cached under a key that changes with its data."""
    data = repr((name, chart_data(name, board))).encode()
    language = translation.get_language() or ""
    key = (f"home:managers:chart:{name}:{fmt}:{language}:"
           f"{hashlib.sha1(data).hexdigest()[:16]}")
    content = cache.get(key)
    if content is None:
        content = charts.render(draw(name, board), fmt)
        cache.set(key, content, CHART_SECONDS)
    return content
