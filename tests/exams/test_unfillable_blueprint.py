"""A blueprint the bank can no longer fill gives the officer a clear page."""
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.models import (Attempt, BlueprintRule, Exam, ExamStatus, Paper, PaperKind, Question,
                          QuestionStatus, QuestionType)

from .factories import category, question


@pytest.fixture
def exam(org):
    cat = category("通用法律/行政处罚法")
    for number in range(3):
        question(stem=f"单选题{number}", cat=cat)
    paper = Paper.objects.create(title="十二月月考", kind=PaperKind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, category=cat, qtype=QuestionType.SINGLE, count=3,
                                 points=Decimal("10"))
    now = timezone.now()
    exam = Exam.objects.create(title="2026年12月学法考试", paper=paper, status=ExamStatus.PUBLISHED,
                               opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=1))
    exam.eligible_units.add(org.east)
    return exam


def test_a_blueprint_the_bank_cannot_fill_gives_a_clear_page_not_a_500(exam, people,
                                                                       client_for, caplog):
    Question.objects.filter(stem_text="单选题0").update(status=QuestionStatus.RETIRED)
    client = client_for(people["officer"])
    with caplog.at_level(logging.ERROR, logger="exams.views.taking"):
        response = client.get(reverse("exams:exam_start", args=[exam.pk]))
    assert response.status_code == 409
    assert "exams/refused.html" in [t.name for t in response.templates]
    assert response.context["message"]
    assert exam.title in response.content.decode()
    assert any(str(exam.pk) in record.getMessage() and record.levelno == logging.ERROR
               for record in caplog.records)
    assert not Attempt.objects.exists()

    # Once the bank is filled again the officer's paper is drawn.
    Question.objects.filter(stem_text="单选题0").update(status=QuestionStatus.ACTIVE)
    response = client.get(reverse("exams:exam_start", args=[exam.pk]))
    assert response.status_code == 200
    assert Attempt.objects.filter(officer=people["officer"].officer).count() == 1
