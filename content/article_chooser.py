"""
The management console's article chooser: how a trainer picks the article a case (or any
other page) cites as its legal basis.

Wagtail's default snippet chooser searches through the search index, which Article is not
in (and which would split Chinese badly anyway, see content/search.py). This chooser takes
what a trainer types — a citation (《行政处罚法》第三十二条, 行政处罚法第三十二条, 第三十二条之一,
or just 32) and/or words of the article or the law's title, separated by spaces — and
narrows the list by substring, every word having to match.
"""
import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import (ChooseResultsView, ChooseView,
                                            SnippetChooserViewSet)

from .chinese_numbers import NUMERAL_CHARS, to_int

NUM = f"[{NUMERAL_CHARS}0-9]+"
LABEL_RE = re.compile(rf"第({NUM})条(?:之({NUM}))?")
EXCERPT_CHARS = 60


def _law_q(word):
    return Q(law__title__icontains=word) | Q(law__short_title__icontains=word)


def filter_articles(articles, query):
    """Return `articles` narrowed to what `query` names (a citation and/or words)."""
    query = (query or "").strip()
    if not query:
        return articles
    label = LABEL_RE.search(query)
    if label:
        number, suffix = label.groups()
        articles = articles.filter(number=to_int(number), suffix=to_int(suffix) if suffix else 0)
        rest = (query[:label.start()] + " " + query[label.end():])
        # Whatever stands beside 第X条 names the law: 《行政处罚法》第三十二条.
        for word in re.sub(r"[《》〈〉<>]", " ", rest).split():
            articles = articles.filter(_law_q(word))
        return articles
    if query.isdigit():
        return articles.filter(number=int(query))
    for word in re.sub(r"[《》〈〉<>]", " ", query).split():
        articles = articles.filter(Q(text__icontains=word) | _law_q(word))
    return articles


class ArticleFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search"), required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 行政处罚法第三十二条, or words of "
                                                       "the article")}),
        help_text=_("A citation, an article number or words of the text; separate words "
                    "with spaces."))

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = filter_articles(objects, query)
        return objects


def _excerpt(article):
    text = article.text.replace("\n", " ")
    return text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")


class ArticleChooseMixin:
    filter_form_class = ArticleFilterForm
    per_page = 20

    def get_object_list(self):
        return self.model_class.objects.select_related("law").order_by("law__path", "position")

    @property
    def columns(self):
        return [self.title_column,
                Column("chapter", label=_("Chapter"), accessor="chapter"),
                Column("excerpt", label=_("Text"), accessor=_excerpt)]


class ArticleChooseView(ArticleChooseMixin, ChooseView):
    pass


class ArticleChooseResultsView(ArticleChooseMixin, ChooseResultsView):
    pass


class ArticleChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ArticleChooseView
    choose_results_view_class = ArticleChooseResultsView
