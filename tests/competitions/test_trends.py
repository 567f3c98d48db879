"""Score trends across contests: the numbers, Chinese charts without missing glyphs, who
may see which trend, the chart cache, and the Excel export with the chart embedded."""
import io
import warnings
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from matplotlib import font_manager
from PIL import Image

from competitions import awards, trends
from competitions.models import ContestStatus, Submission
from home import charts
from jobs.models import Job, JobStatus

from . import factories as f
from .results_factories import stored_contest

D = Decimal


def series_of(org, officer, years_scores, status=ContestStatus.PUBLISHED):
    """One contest per (year, [scores of officer, other]) in the series; officer enters all."""
    other = org.person(f"other{org._serial + 1}", org.west1, name="对手").officer
    contests = []
    for year, (mine, theirs) in years_scores:
        contest = f.contest(org, name=f"{year}年技能竞赛", status=status, series="年度技能竞赛")
        contest.year = year
        contest.save()
        events = [f.event(contest, name="文书制作", sort_order=1),
                  f.event(contest, name="案卷纠错", kind="correction", sort_order=2)]
        for person, scores in ((officer, mine), (other, theirs)):
            entry = f.entry(contest, person, total=D(str(sum(scores) / 2)))
            for event, score in zip(events, scores):
                f.submission(event, entry, score=D(str(score)), score_state="complete")
        awards.compute_awards(contest, allow_published=True)
        contests.append(contest)
    return contests


def test_officer_unit_and_series_trends(org, people):
    officer = people["officer"].officer  # east-1
    series_of(org, officer, [(2024, ([70, 60], [80, 90])), (2025, ([80, 66], [90, 94]))])
    # A contest not yet published is left out of every trend.
    series_of(org, officer, [(2026, ([99, 99], [99, 99]))], status=ContestStatus.MARKING)

    trend = trends.officer_trend(officer)
    assert trend.labels == ["2024年", "2025年"]
    assert trend.series[:2] == [("文书制作", [D("70"), D("80")]), ("案卷纠错", [D("60"), D("66")])]
    assert trend.series[2][1] == [D("65"), D("73")]  # overall

    unit = trends.unit_trend(org.east)  # east-1 is below east
    assert unit.labels == ["2024年", "2025年"]
    assert dict(unit.series) == {"文书制作": [70.0, 80.0], "案卷纠错": [60.0, 66.0]}

    series = trends.series_trend("年度技能竞赛")
    assert series.labels == ["2024年", "2025年"]
    assert dict(series.series) == {"文书制作": [75.0, 85.0], "案卷纠错": [75.0, 80.0]}
    assert trends.series_names() == ["年度技能竞赛"]

    dist = trends.distribution(series_of(org, officer, [(2023, ([50, 40], [60, 70]))])[0])
    assert sorted(dist.totals) == [45.0, 65.0]
    assert {name: sorted(scores) for name, scores in dist.events} == {
        "文书制作": [50.0, 60.0], "案卷纠错": [40.0, 70.0]}


def test_trend_charts_render_chinese_with_a_cjk_font_and_no_missing_glyph(org, people):
    officer = people["officer"].officer
    contests = series_of(org, officer, [(2024, ([70, 60], [80, 90])),
                                        (2025, ([80, 66], [90, 94]))])
    figures = [trends.trend_figure(trends.officer_trend(officer)),
               trends.trend_figure(trends.unit_trend(org.east1)),
               trends.trend_figure(trends.series_trend("年度技能竞赛")),
               trends.distribution_figure(trends.distribution(contests[0])),
               trends.trend_figure(trends.unit_trend(org.west))]   # empty: a message
    for fig in figures:
        from matplotlib.text import Text

        texts = [t for t in fig.findobj(Text) if t.get_text()]
        chinese = [t for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text())]
        assert chinese, "the chart has Chinese labels"
        for text in chinese:
            path = font_manager.findfont(text.get_fontproperties())
            font = font_manager.get_font(path)
            assert all(font.get_char_index(ord(ch)) for ch in text.get_text() if ch > "\u2e80"), \
                (text.get_text(), path)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
            png = charts.render(fig)
            svg = charts.render(fig, fmt="svg")
        assert Image.open(io.BytesIO(png)).format == "PNG" and svg.startswith(b"<?xml")
    assert charts.cjk_font_family() in {"WenQuanYi Micro Hei", "Noto Sans CJK SC",
                                        "Noto Sans SC", "Source Han Sans SC",
                                        "WenQuanYi Zen Hei"}


def test_charts_are_cached_until_the_results_change(org, people, monkeypatch):
    officer = people["officer"].officer
    contest = series_of(org, officer, [(2024, ([70, 60], [80, 90]))])[0]
    drawn = []
    real = trends.trend_figure
    monkeypatch.setattr(trends, "trend_figure", lambda t: drawn.append(t) or real(t))
    first = trends.officer_chart(officer)
    assert trends.officer_chart(officer) == first and len(drawn) == 1
    contest.status = ContestStatus.MARKING
    contest.save()
    Submission.objects.filter(entry__officer=officer).update(score=D("99"))
    awards.compute_awards(contest)            # a change to the stored results
    trends.officer_chart(officer)
    assert len(drawn) == 2


def test_who_sees_which_trend(org, people, client, client_for):
    officer = people["officer"].officer          # east-1
    series_of(org, officer, [(2024, ([70, 60], [80, 90]))])
    own = reverse("competitions:trend_officer", args=[officer.pk])
    chart = reverse("competitions:trend_officer_chart", args=[officer.pk, "png"])
    east = reverse("competitions:trend_unit", args=[org.east.pk])
    series = reverse("competitions:trend_series") + "?series=年度技能竞赛"
    assert client.get(own).status_code == 302
    me = client_for(people["officer"])
    assert me.get(own).status_code == 200
    response = me.get(chart)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert me.get(east).status_code == 404 and me.get(series).status_code == 403
    page = me.get(reverse("competitions:trends")).content.decode()
    assert 'id="my-trend"' in page
    manager = client_for(people["manager"])                # east detachment
    assert manager.get(own).status_code == 200 and manager.get(east).status_code == 200
    assert manager.get(reverse("competitions:trend_unit", args=[org.west.pk])).status_code == 404
    other = client_for(people["other_manager"])             # west
    assert other.get(own).status_code == 404
    organizer = client_for(people["organizer"])
    for url in (own, east, series, reverse("competitions:trend_series_chart", args=["svg"])
                + "?series=年度技能竞赛"):
        assert organizer.get(url).status_code == 200, url
    assert organizer.get(reverse("competitions:trend_series")
                         + "?series=nope").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_trend_export_through_the_worker_embeds_the_chart(org, people, client_for, run_worker):
    officer = people["officer"].officer
    series_of(org, officer, [(2024, ([70, 60], [80, 90])), (2025, ([80, 66], [90, 94]))])
    client = client_for(people["organizer"])
    client.post(reverse("competitions:trend_export"),
                {"kind": "series", "target": "年度技能竞赛"})
    client_for(people["officer"]).post(reverse("competitions:trend_export"),
                                       {"kind": "officer", "target": officer.pk})
    # Someone outside the scope is refused before a job starts.
    response = client_for(people["other_manager"]).post(
        reverse("competitions:trend_export"), {"kind": "officer", "target": officer.pk})
    assert response.status_code == 404
    run_worker()
    jobs = list(Job.objects.filter(kind="competitions.trend_export").order_by("created_at"))
    assert len(jobs) == 2 and all(j.status == JobStatus.SUCCEEDED for j in jobs), \
        [j.error for j in jobs]
    wb = openpyxl.load_workbook(jobs[0].result_file.open("rb"))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("年度技能竞赛")
    assert rows[1][1:3] == ("文书制作", "案卷纠错")
    assert rows[2][:3] == ("2024年", 75.0, 75.0) and rows[3][:3] == ("2025年", 85.0, 80.0)
    assert len(ws._images) == 1
    embedded = Image.open(io.BytesIO(ws._images[0]._data()))
    assert embedded.format == "PNG" and embedded.size[0] >= 600
    mine = openpyxl.load_workbook(jobs[1].result_file.open("rb")).worksheets[0]
    assert officer.name in list(mine.iter_rows(values_only=True))[0][0]
