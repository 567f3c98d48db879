"""Build bank questions quickly in tests."""
from decimal import Decimal

from exams.blocks import stem_from_html
from exams.models import Category, Question, QuestionOption, QuestionStatus, QuestionType
from exams.versions import sync_version


def category(path="通用法律/行政处罚法"):
    return Category.get_or_create_path(path.split("/"))


def question(qtype=QuestionType.SINGLE, stem="行政处罚的种类不包括哪一项？", *, cat=None,
             options=None, correct=("A",), difficulty=3, points="2", status=QuestionStatus.ACTIVE,
             answer_bool=None, blanks="", parent=None, position=0, tags=(), **fields):
    """Create a question (with options and a first version) and return it."""
    q = Question.objects.create(
        qtype=qtype, category=cat or category(), stem=stem_from_html(f"<p>{stem}</p>"),
        difficulty=difficulty, points=Decimal(points), status=status, answer_bool=answer_bool,
        blank_answers=blanks, parent=parent, position=position, **fields)
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = options or ["警告", "罚款", "行政拘留", "记过"]
        for index, text in enumerate(texts):
            QuestionOption.objects.create(question=q, text=text, sort_order=index,
                                          is_correct=chr(65 + index) in correct)
    if tags:
        q.tags.add(*tags)
        q.save()  # a cluster's tags are written on save
    sync_version(q)
    q.refresh_from_db()
    return q
