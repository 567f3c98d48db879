"""Chinese search: 2- and 4-character terms are found in laws, articles, lessons and cases."""
import pytest
from wagtail.search.backends import get_search_backend

from content.models import Article, LessonPage
from content.search import search

from . import factories


def found(term, kind):
    return {hit.title for hit in search(term) if hit.kind == kind}


@pytest.mark.parametrize("term", ["听证", "罚款", "违法所得", "责令改正", "从轻或者减轻"])
def test_every_article_containing_the_term_is_found(study, term):
    expected = {a.citation for a in Article.objects.select_related("law") if term in a.text}
    assert expected, "the test term must occur in the law"
    assert found(term, "article") == expected


def test_two_and_four_character_terms_find_lessons_and_cases(study):
    factories.course_with_lessons(study["shelf"], title="网吧检查")
    factories.case()
    assert "网吧检查第1课" in found("网吧", "lesson")
    assert "某网吧接纳未成年人案" in found("网吧", "case")
    assert "某网吧接纳未成年人案" in found("未成年人", "case")
    assert "网吧检查第2课" in found("责令改正", "lesson")
    assert found("行政处罚", "law") == {"中华人民共和国行政处罚法"}


def test_drafts_are_not_found(study):
    factories.case(title="草稿网吧案", publish=False)
    assert "草稿网吧案" not in found("网吧", "case")


def test_the_full_text_backend_misses_what_substring_search_finds(study):
    """The measurement behind the choice (content/search.py): word-based full-text search
    does not split Chinese, so a term inside a sentence is missed."""
    factories.course_with_lessons(study["shelf"], title="网吧检查")
    backend = get_search_backend()
    lessons = LessonPage.objects.live()
    backend.add_bulk(LessonPage, list(lessons))
    missed = [term for term in ("网吧", "责令改正", "未成年人")
              if not list(backend.search(term, lessons))]
    assert missed  # at least one everyday term is missed by the full-text index
    assert all(found(term, "lesson") for term in ("网吧", "责令改正", "未成年人"))


def test_the_search_page(study, people, client_for):
    client = client_for(people["officer"])
    response = client.get("/study/search/", {"q": "听证"})
    assert response.status_code == 200 and "《行政处罚法》第六十四条" in response.content.decode()
