"""
The one place that draws charts: matplotlib Figure objects on the Agg canvas (never
pyplot's global state), with a CJK font chosen once so Chinese labels render.

The font is a system CJK font when one is installed (fontconfig), otherwise the
WenQuanYi Micro Hei file the project ships in site/static/fonts/ (Apache-2.0).
"""
import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, ticker  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

BUNDLED_FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "wqy-microhei.ttc"
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
PALETTE = ["#1f4e79", "#c0392b", "#2e8b57", "#d68910", "#6c3483", "#148f77", "#7f8c8d"]


@lru_cache(maxsize=1)
def cjk_font_path():
    """Return the path of the CJK font charts use (a system font, else the bundled one)."""
    for family in SYSTEM_CJK_FAMILIES:
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        if path:
            return Path(path)
    return BUNDLED_FONT


@lru_cache(maxsize=1)
def cjk_font_family():
    """Register the CJK font with matplotlib (once per process); return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus
    return family


def new_figure(width=8.0, height=4.5):
    """Return a Figure (with an Agg canvas) whose text uses the CJK font."""
    cjk_font_family()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.set_facecolor("white")
    return fig


def render(fig, fmt="png"):
    """Return the figure's image bytes (PNG or SVG)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def line_chart(title, x_labels, series, y_label="", y_limit=None, percent=False):
    """Return a Figure with one line per (name, values) in `series` over `x_labels`."""
    fig = new_figure()
    ax = fig.add_subplot()
    for index, (name, values) in enumerate(series):
        ax.plot(x_labels, values, marker="o", label=name, color=PALETTE[index % len(PALETTE)])
    _decorate(ax, title, y_label, y_limit, percent, legend=len(series) > 1)
    return fig


def bar_chart(title, labels, values, y_label="", y_limit=None, percent=False):
    """Return a Figure with one bar per label."""
    fig = new_figure()
    ax = fig.add_subplot()
    ax.bar(labels, values, color=PALETTE[0])
    _decorate(ax, title, y_label, y_limit, percent, legend=False)
    if len(labels) > 6:
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    return fig


def _decorate(ax, title, y_label, y_limit, percent, legend):
    ax.set_title(title)
    if y_label:
        ax.set_ylabel(y_label)
    if y_limit:
        ax.set_ylim(*y_limit)
    if percent:
        ax.yaxis.set_major_formatter(ticker.PercentFormatter(xmax=100))
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(frameon=False)


def grouped_bar_chart(title, labels, series, y_label="", y_limit=None, percent=False):
    """Return a Figure with bars for each (name, values) of `series` side by side per label."""
    fig = new_figure()
    ax = fig.add_subplot()
    count = max(len(series), 1)
    width = 0.8 / count
    positions = range(len(labels))
    for index, (name, values) in enumerate(series):
        bars = ax.bar([p - 0.4 + width * (index + 0.5) for p in positions],
                      [v if v is not None else 0 for v in values], width, label=name,
                      color=PALETTE[index % len(PALETTE)])
        ax.bar_label(bars, labels=["—" if v is None else (f"{v:g}%" if percent else f"{v:g}")
                                   for v in values], fontsize=8, padding=2)
    ax.set_xticks(list(positions), labels)
    _decorate(ax, title, y_label, y_limit, percent, legend=len(series) > 1)
    if len(labels) > 6:
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    return fig
