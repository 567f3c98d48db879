"""Bank questions for self-check tests, and attaching them to lessons and cases."""
from exams.models import QuestionStatus, QuestionType
from tests.exams.factories import category, question

EXPLANATION = "解析：警告是申诫罚"
LEGAL_BASIS = "《行政处罚法》第九条"
BLANK_KEY = "通报批评"

# Form values (as the browser posts them) that are right and wrong, per type.
ANSWERS = {
    "single": (["A"], ["B"]),
    "multiple": (["B", "A"], ["A"]),
    "true_false": (["true"], ["false"]),
    "fill_blank": ([" 批评 "], ["罚款"]),
}


def make_bank():
    """Return {name: question}: one question per objective type, plus ones never shown."""
    law = category("通用法律/行政处罚法")
    notes = {"explanation": EXPLANATION, "legal_basis": LEGAL_BASIS}
    bank = {
        "single": question(stem="单选：哪一项是申诫罚？", cat=law, correct=("A",), **notes),
        "multiple": question(QuestionType.MULTIPLE, stem="多选：哪些是行政处罚？", cat=law,
                             correct=("A", "B"), **notes),
        "true_false": question(QuestionType.TRUE_FALSE, stem="判断：警告是行政处罚。", cat=law,
                               answer_bool=True, **notes),
        "fill_blank": question(QuestionType.FILL_BLANK, stem="填空：申诫罚包括____。", cat=law,
                               blanks=f"{BLANK_KEY}/批评", **notes),
        "short": question(QuestionType.SHORT_ANSWER, stem="简答：什么是行政处罚？", cat=law),
        "draft": question(stem="草稿题：尚未启用", cat=law, status=QuestionStatus.DRAFT),
    }
    return bank


def attach(page, questions):
    """Attach `questions` (in order) to a lesson's or case's self-check list and publish."""
    relation = getattr(page, page.self_check_relation)
    model = relation.model
    parent_field = "lesson" if page.self_check_relation == "check_questions" else "case"
    setattr(page, page.self_check_relation, [
        model(**{parent_field: page}, question=q, sort_order=i) for i, q in enumerate(questions)])
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def queries_on_reload(client, url):
    """Open `url` once (warm), then return how many queries a second visit takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
