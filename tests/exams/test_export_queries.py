"""Exporting the bank reads a fixed number of queries, however big it is."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.formats import parse
from exams.models import QuestionType

from .factories import category, question

FORMATS = ["xlsx", "moodlexml", "gift"]
EXTENSIONS = {"xlsx": "bank.xlsx", "moodlexml": "bank.xml", "gift": "bank.gift.txt"}


def add_questions(start, count):
    """`count` singles (tagged) and `count` cases of two sub-questions, in nested categories."""
    for number in range(start, start + count):
        cat = category(f"通用法律/行政处罚法/第{number}章")
        question(stem=f"单选题{number}", cat=cat, tags=[f"标签{number}", "重点"])
        case = question(QuestionType.CASE_ANALYSIS, stem=f"案例{number}", cat=cat, points="10")
        question(stem=f"案例{number}小题一", cat=cat, parent=case, position=1, tags=["案例"])
        question(QuestionType.MULTIPLE, stem=f"案例{number}小题二", cat=cat, parent=case,
                 position=2, correct=("A", "C"))


def export(client, fmt):
    response = client.get(reverse("exams:export", args=[fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_export_query_count_does_not_grow_with_the_bank(fmt, people, client_for,
                                                            django_assert_max_num_queries):
    client = client_for(people["trainer"])
    add_questions(0, 2)
    export(client, fmt)  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as ctx:
        export(client, fmt)
    few = len(ctx.captured_queries)
    add_questions(2, 8)
    with django_assert_max_num_queries(few):
        data = export(client, fmt)
    parsed = parse(data, EXTENSIONS[fmt], fmt)
    assert not parsed.errors
    texts = " ".join(texts_of(parsed.questions))
    for number in range(10):  # every question, sub-question and category made it
        for stem in (f"单选题{number}", f"案例{number}小题一", f"案例{number}小题二"):
            assert stem in texts
    singles = [q for q in parsed.questions if "单选题7" in q.stem]
    assert [q.category[-1] for q in singles] == ["第7章"]


def texts_of(questions):
    for q in questions:
        yield q.stem
        yield q.case_text
        yield from texts_of(q.sub_questions)
