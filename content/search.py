"""
Search study material and cases in Chinese.

Chinese has no spaces between words, so a full-text index that splits on spaces (Wagtail's
database backend, PostgreSQL's 'simple' configuration) treats a whole sentence as one
"word" and misses a term such as 网吧 or 责令改正 inside it; tests/content/test_search.py
shows the configured Wagtail backend missing everyday terms that this module finds.
The two approaches that work are substring matching and n-gram (bigram) indexes. A
bigram index finds 2-character terms, but a 4-character term becomes three bigrams that
also match texts where they occur apart (违法 … 所得), so a substring check is needed
afterwards anyway.

The choice: substring matching (SQL LIKE, case-insensitive) over the live pages' titles
and a stored plain-text copy of their bodies, ranked by where the term occurs (title
first) and how often. The tests check that it finds every article containing each of
several 2- and 4-character terms. The demo corpus is small (9 statutes, about 650
articles), so no index is used; query times were not benchmarked. If the corpus grows
large, a pg_trgm GIN index on the same columns would speed up LIKE without changing
this module.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_RESULTS = 50
SNIPPET_CHARS = 40


@dataclass
class Hit:
    kind: str  # law, article, lesson, case
    label: str
    title: str
    url: str
    snippet: str
    score: int


def snippet(text, term, width=SNIPPET_CHARS):
    """Return the part of `text` around the first occurrence of `term`."""
    index = text.find(term)
    if index < 0:
        return text[: 2 * width]
    start = max(0, index - width)
    end = min(len(text), index + len(term) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _score(term, title, text):
    return (100 if term in title else 0) + min(text.count(term), 20)


def search(term, kinds=None):
    """Return Hits for `term` across laws, articles, lessons and cases (live pages only)."""
    from .models import Article, LawPage, LessonPage

    term = (term or "").strip()
    if not term:
        return []
    kinds = kinds or {"law", "article", "lesson", "case"}
    hits = []
    if "law" in kinds:
        for law in LawPage.objects.live().filter(
                Q(title__icontains=term) | Q(short_title__icontains=term))[:MAX_RESULTS]:
            hits.append(Hit("law", str(_("Law")), law.title, law.url, law.preamble[:80], 200))
    if "article" in kinds:
        articles = (Article.objects.filter(law__live=True, text__icontains=term)
                    .select_related("law")[:MAX_RESULTS])
        for article in articles:
            hits.append(Hit("article", str(_("Article")), article.citation,
                            article.get_absolute_url(), snippet(article.text, term),
                            _score(term, "", article.text)))
    if "lesson" in kinds:
        lessons = LessonPage.objects.live().filter(
            Q(title__icontains=term) | Q(plain_text__icontains=term))[:MAX_RESULTS]
        for lesson in lessons:
            hits.append(Hit("lesson", str(_("Lesson")), lesson.title, lesson.url,
                            snippet(lesson.plain_text, term),
                            _score(term, lesson.title, lesson.plain_text)))
    if "case" in kinds:
        from cases_library.models import CasePage

        cases = CasePage.objects.live().filter(
            Q(title__icontains=term) | Q(plain_text__icontains=term))[:MAX_RESULTS]
        for case in cases:
            hits.append(Hit("case", str(_("Case")), case.title, case.url,
                            snippet(case.plain_text, term),
                            _score(term, case.title, case.plain_text)))
    hits.sort(key=lambda hit: -hit.score)
    return hits[:MAX_RESULTS]
