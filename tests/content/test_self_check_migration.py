"""The migrations that replaced the id lists by relations copy the ids both ways."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases_library.models import CaseQuestion
from content.models import LessonCheckQuestion

from . import factories
from .self_check_data import attach, make_bank

STEPS = [(("content", "0002_benchmark_rows_in_page_editor"),
          ("content", "0003_self_check_questions"),
          "content", "LessonPage", "check_question_ids", LessonCheckQuestion, "lesson"),
         (("cases_library", "0002_initial"), ("cases_library", "0003_self_check_questions"),
          "cases_library", "CasePage", "related_question_ids", CaseQuestion, "case")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_question_ids_are_copied_into_links_and_back():
    bank = make_bank()
    shelf = factories.shelf()
    _course, (lesson, _other) = factories.course_with_lessons(shelf)
    pages = {"content": attach(lesson, [bank["single"], bank["fill_blank"]]),
             "cases_library": attach(factories.case(), [bank["true_false"]])}
    try:
        for before, after, app, model, field, link, parent in STEPS:
            page = pages[app]
            old_apps = migrate(before)  # backwards: the links become the id list
            Page = old_apps.get_model(app, model)
            expected = ([bank["single"].pk, bank["fill_blank"].pk] if app == "content"
                        else [bank["true_false"].pk])
            assert Page.objects.get(pk=page.pk).__dict__[field] == expected
            # an id list as it was kept before: out of order, a twin, a deleted question
            Page.objects.filter(pk=page.pk).update(**{field: [
                bank["multiple"].pk, 999999, bank["single"].pk, bank["multiple"].pk]})
            migrate(after)
            rows = list(link.objects.filter(**{parent: page.pk}).order_by("sort_order")
                        .values_list("question_id", flat=True))
            assert rows == [bank["multiple"].pk, bank["single"].pk]
    finally:
        migrate(("content", "0003_self_check_questions"))
        migrate(("cases_library", "0003_self_check_questions"))
