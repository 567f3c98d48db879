"""Articles can be linked to and cited as 《行政处罚法》第三十二条."""
from content.citations import resolve, resolve_all
from tests.conftest import PASSWORD  # noqa: F401


def test_an_article_has_a_citation_and_an_anchor(study):
    article = study["law"].articles.get(number=32)
    assert article.citation == "《行政处罚法》第三十二条"
    assert article.anchor == "a32"


def test_citations_resolve_by_short_and_full_title(study):
    article = study["law"].articles.get(number=32)
    assert resolve("《行政处罚法》第三十二条") == article
    assert resolve("《中华人民共和国行政处罚法》第三十二条") == article
    assert resolve("《行政处罚法》第一百条") is None
    found, missing = resolve_all("依据《行政处罚法》第三十二条；《娱乐场所管理条例》第四十三条")
    assert found == [article] and missing == ["《娱乐场所管理条例》第四十三条"]


def test_the_article_link_shows_the_article_and_the_cite_link_resolves(study, people,
                                                                       client_for):
    client = client_for(people["officer"])
    article = study["law"].articles.get(number=32)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "当事人有下列情形之一，应当从轻或者减轻行政处罚" in response.content.decode()
    response = client.get("/study/cite/", {"q": "《行政处罚法》第三十二条"})
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert client.get("/study/cite/", {"q": "《行政处罚法》第九百条"}).status_code == 404
    law_page = client.get(study["law"].url).content.decode()
    assert 'id="a32"' in law_page and article.get_absolute_url() in law_page


def test_study_material_needs_a_signed_in_user(study, client):
    response = client.get(study["law"].url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    article = study["law"].articles.first()
    assert client.get(article.get_absolute_url()).status_code == 302
