"""The managers' charts render Chinese without missing glyphs and are cached; every
managers' page answers from a number of queries that does not grow with the officers."""
import io
import warnings

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from content.models import StudyRequirement
from home import manager_charts

from .manager_data import AS_OF, build, many_officers


@pytest.fixture
def board(org, people):
    build(org, people)
    cache.clear()
    return manager_charts.cached_dashboard(org.east, AS_OF)


@pytest.mark.parametrize("name", manager_charts.CHARTS)
def test_each_chart_renders_chinese_labels_without_missing_glyphs(board, name):
    with translation.override("zh-hans"):
        title, _kind, labels, series = manager_charts.chart_data(name, board)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
            png = manager_charts.charts.render(manager_charts.draw(name, board))
    text = str(title) + "".join(map(str, labels)) + "".join(str(s[0]) for s in series)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # Chinese was drawn
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_a_chart_is_drawn_once_then_served_from_the_cache(board, monkeypatch):
    first = manager_charts.render_chart("scores", board)
    drawn = []
    real_draw = manager_charts.draw
    monkeypatch.setattr(manager_charts, "draw",
                        lambda *args: drawn.append(args) or real_draw(*args))
    assert manager_charts.render_chart("scores", board) == first
    assert drawn == []  # served from the cache
    changed = {**board, "year": board["year"] + 1}  # other data: another key, drawn again
    manager_charts.render_chart("scores", changed)
    assert len(drawn) == 1


def _queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "annual": lambda org, req: reverse("home:managers_annual", args=[org.east.pk]),
    "absent": lambda org, req: reverse("home:managers_non_participants",
                                       args=[org.east.pk, "2026-02"]),
    "coverage gaps": lambda org, req: reverse("home:managers_coverage_gaps",
                                              args=[org.east.pk, req.pk]),
    "officer search": lambda org, req: reverse("home:managers_officers",
                                               args=[org.east.pk]) + "?q=批量",
    "reports": lambda org, req: reverse("home:managers_reports"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_managers_page_takes_the_same_queries_with_5_and_50_officers(
        org, people, client_for, page):
    build(org, people)
    requirement = StudyRequirement.objects.get(name="年度轮训")
    url = PAGES[page](org, requirement)
    client = client_for(people["manager"])
    many_officers(org.east1, 5, "b")
    small = _queries(client, url)
    many_officers(org.east1, 45, "c")
    many_officers(org.east2, 50, "d")
    large = _queries(client, url)
    assert small == large, f"{page}: {small} queries with 5 officers, {large} with 105"
    assert large <= 40
