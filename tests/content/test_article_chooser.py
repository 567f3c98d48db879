"""The article chooser of the management console: list, search, choose."""
import json

import pytest

from content.article_chooser import filter_articles
from content.models import Article

from . import factories

CHOOSE = "/cms/snippets/choose/content/article/"
RESULTS = CHOOSE + "results/"


@pytest.fixture
def laws(study):
    factories.law(study["shelf"], "娱乐场所管理条例", short_title="娱乐场所管理条例")
    return study


def test_the_chooser_lists_articles_with_their_citation(people, client_for, laws):
    response = client_for(people["trainer"]).get(CHOOSE)
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "《行政处罚法》第一条" in html
    assert 'name="q"' in html


@pytest.mark.parametrize("query, expected", [
    ("《行政处罚法》第三十二条", ["《行政处罚法》第三十二条"]),
    ("行政处罚法第三十二条", ["《行政处罚法》第三十二条"]),
    ("娱乐场所 第四十三条", ["《娱乐场所管理条例》第四十三条"]),
])
def test_a_citation_finds_its_article(laws, query, expected):
    found = filter_articles(Article.objects.select_related("law"), query)
    assert [a.citation for a in found] == expected


def test_an_article_number_alone_finds_it_in_every_law(laws):
    found = {a.citation for a in filter_articles(Article.objects.select_related("law"),
                                                 "第三十二条")}
    assert found == {"《行政处罚法》第三十二条", "《娱乐场所管理条例》第三十二条"}


def test_words_of_the_text_find_every_article_containing_them(laws):
    found = list(filter_articles(Article.objects.all(), "听证"))
    expected = set(Article.objects.filter(text__contains="听证").values_list("pk", flat=True))
    assert {a.pk for a in found} == expected and len(expected) >= 3
    both = filter_articles(Article.objects.all(), "娱乐场所 未成年人")
    assert both.exists()
    assert all("未成年人" in a.text and ("娱乐场所" in a.text or "娱乐场所" in a.law.title)
               for a in both)


def test_the_results_view_searches(people, client_for, laws):
    client = client_for(people["trainer"])
    html = client.get(RESULTS, {"q": "行政处罚法第三十二条"}).content.decode()
    assert "《行政处罚法》第三十二条" in html and "《行政处罚法》第三十一条" not in html
    assert "《娱乐场所管理条例》第三十二条" not in html


def test_choosing_returns_the_article(people, client_for, laws):
    article = laws["law"].articles.get(number=32)
    response = client_for(people["trainer"]).get(f"{CHOOSE}chosen/{article.pk}/")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["step"] == "chosen"
    assert str(data["result"]["id"]) == str(article.pk)
    assert data["result"]["string"] == "《行政处罚法》第三十二条"


def test_officers_cannot_use_the_chooser(people, client_for, laws):
    response = client_for(people["officer"]).get(CHOOSE)
    assert response.status_code in (302, 403)
