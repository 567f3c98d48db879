"""The dashboard page shows the figures; its queries do not grow with the number of officers."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home import figures

from .manager_data import AS_OF, many_officers


def test_the_dashboard_shows_the_figures_and_drills_down(org, people, client_for, monkeypatch):
    from .manager_data import build

    build(org, people)
    monkeypatch.setattr("home.jobs.timezone.localdate", lambda: AS_OF)
    cache.clear()
    client = client_for(people["manager"])
    page = client.get(reverse("home:managers_unit", args=[org.east.pk])).content.decode()
    assert 'id="stat-officers">6<' in page
    assert 'id="stat-participation">60.0%' in page
    assert "22.7%" in page  # mean score up 22.7% on last year
    assert reverse("home:managers_unit", args=[org.east1.pk]) in page  # drill down
    assert reverse("home:managers_non_participants", args=[org.east.pk, "2026-02"]) in page
    assert "西区" not in page.split('id="unit-picker"')[1].split("</select>")[0]
    absent = client.get(reverse("home:managers_non_participants",
                                args=[org.east.pk, "2026-02"])).content.decode()
    assert "人员E" in absent and "东区经理" in absent and "人员A" not in absent
    png = client.get(reverse("home:managers_chart", args=[org.east.pk, "scores", "png"]))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    svg = client.get(reverse("home:managers_chart", args=[org.east.pk, "expiry", "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_a_bad_year_or_chart_name_is_404(org, people, client_for):
    client = client_for(people["manager"])
    assert client.get(reverse("home:managers_unit", args=[org.east.pk]) + "?year=x"
                      ).status_code == 404
    assert client.get(reverse("home:managers_unit", args=[org.east.pk]) + "?year=1990"
                      ).status_code == 404
    assert client.get(reverse("home:managers_chart", args=[org.east.pk, "nope", "png"])
                      ).status_code == 404
    assert client.get(reverse("home:managers_chart", args=[org.east.pk, "scores", "gif"])
                      ).status_code == 404


def _dashboard_queries(client, unit):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home:managers_unit", args=[unit.pk])).status_code == 200
    return len(queries)


def _figure_queries(unit):
    with CaptureQueriesContext(connection) as queries:
        figures.dashboard(unit, AS_OF)
    return len(queries)


@pytest.mark.parametrize("extra", [5, 50])
def test_the_figures_take_a_fixed_number_of_queries(org, people, extra):
    from .manager_data import build

    build(org, people)
    many_officers(org.east1, extra, "b")
    many_officers(org.east2, extra, "c")
    # 12 figure queries, plus SET LOCAL jit = off and the savepoint around them in a test.
    assert _figure_queries(org.east) <= 15


def test_the_dashboard_page_takes_the_same_queries_with_5_and_50_officers(
        org, people, client_for):
    from .manager_data import build

    build(org, people)
    client = client_for(people["manager"])
    many_officers(org.east1, 5, "b")
    small = _dashboard_queries(client, org.east)
    many_officers(org.east1, 45, "c")
    many_officers(org.east2, 50, "d")
    large = _dashboard_queries(client, org.east)
    assert small == large <= 32
