"""
The management console's question chooser for self-check questions: the questions a
trainer attaches to a lesson (check questions) or to a typical case (related questions).

Only questions an officer can answer on the page with immediate feedback are offered:
active, standalone (not a sub-question of a case-analysis question), objective (graded
by the machine) and versioned — the same pool practice draws from (exams/practice.py).
Question is not in the search index (and Chinese would split badly anyway), so the
search narrows by substring of the stem, the legal basis or the category, every word
having to match.

The chooser is not registered as the default widget for every foreign key to Question
(`register_widget = False`): the question bank's own forms keep Wagtail's snippet
chooser, which may pick any question.
"""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

class QuestionFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search"), required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 行政处罚法第四十四条, or words "
                                                       "of the question")}),
        help_text=_("Words of the question, its legal basis or its category; separate "
                    "words with spaces."))
    qtype = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args, **kwargs):
        from exams.models import QuestionType
        from exams.practice import PRACTICE_TYPES

        super().__init__(*args, **kwargs)
        self.fields["qtype"].choices = [("", _("All types"))] + [
            (value, label) for value, label in QuestionType.choices if value in PRACTICE_TYPES]

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            for word in query.replace("《", " ").replace("》", " ").split():
                objects = objects.filter(Q(stem_text__icontains=word)
                                         | Q(legal_basis__icontains=word)
                                         | Q(category__name__icontains=word))
        if self.cleaned_data.get("qtype"):
            objects = objects.filter(qtype=self.cleaned_data["qtype"])
        return objects


class QuestionChooseMixin:
    filter_form_class = QuestionFilterForm
    per_page = 20

    def get_object_list(self):
        from exams.practice import practice_pool

        return practice_pool().select_related("category").order_by("category__path", "pk")

    @property
    def columns(self):
        return [self.title_column,
                Column("qtype", label=_("Type"), accessor="get_qtype_display"),
                Column("legal_basis", label=_("Legal basis"), accessor="legal_basis"),
                Column("category", label=_("Category"), accessor="category")]


class QuestionChooseView(QuestionChooseMixin, ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, ChooseResultsView):
    pass


class QuestionChooserViewSet(ChooserViewSet):
    model = "exams.Question"
    icon = "help"
    choose_one_text = _("Choose a question")
    choose_another_text = _("Choose another question")
    register_widget = False
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView


question_chooser_viewset = QuestionChooserViewSet("self_check_question_chooser")
