"""Managers' pages: the sub-units' officer count and the officer search have their own
wording (not the navigation's "人员管理"); the training file separates labels from values
with a full-width colon in Chinese."""
import pytest
from django.urls import reverse

from .manager_data import build

pytestmark = pytest.mark.django_db



def _sub_units_head(html):
    return html.split('id="sub-units"')[1].split("</thead>")[0]


def _title(html):
    return html.split("<title>")[1].split("</title>")[0]


def test_the_officer_count_column_and_the_search_title_are_not_the_nav_label(
        org, people, client_for):
    client = client_for(people["manager"])
    dashboard = client.get(reverse("home:managers_unit", args=[org.east.pk])).content.decode()
    assert "人员管理" in dashboard.split('<nav class="nav"')[1].split("</nav>")[0]
    assert "人员管理" not in _sub_units_head(dashboard)
    search = client.get(reverse("home:managers_officers", args=[org.east.pk]) + "?q=人员")
    assert search.status_code == 200
    assert "人员管理" not in _title(search.content.decode())
    english = client.get(reverse("home:managers_unit", args=[org.east.pk]),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<th class="num">Officers</th>' in _sub_units_head(english)


def test_the_officer_count_column_and_the_search_title_read_in_chinese(org, people,
                                                                        client_for):
    client = client_for(people["manager"])
    dashboard = client.get(reverse("home:managers_unit", args=[org.east.pk])).content.decode()
    assert '<th class="num">人数</th>' in _sub_units_head(dashboard)
    search = client.get(reverse("home:managers_officers", args=[org.east.pk]))
    assert _title(search.content.decode()).startswith("执法人员查询 · ")


def test_the_training_file_awards_use_a_full_width_colon(org, people, client_for):
    officers = build(org, people)
    url = reverse("home:managers_officer_file", args=[officers["A"].pk])
    client = client_for(people["manager"])
    awards = client.get(url).content.decode().split('id="file-contests"')[1].split("</ul>")[0]
    assert "：一等奖" in awards and ": 一等奖" not in awards
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ": 一等奖" in english.split('id="file-contests"')[1].split("</ul>")[0]
