"""The demo study material: forms to download, past events with attendance, check questions."""
import pytest
from django.core.management import call_command
from django.utils import timezone

from cases_library.models import CasePage
from content.models import DocumentTemplatePage, LessonPage, TrainingEventPage


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_demo_has_forms_attended_events_and_self_check_questions(client):
    call_command("seed_demo", "--only", "content", "cases_library", verbosity=0)
    templates = list(DocumentTemplatePage.objects.select_related("file"))
    assert len(templates) == 5 and all(t.file and t.file.file.size > 0 for t in templates)
    past = TrainingEventPage.objects.filter(starts_at__lt=timezone.now())
    assert sum(1 for event in past if event.attendances.exists()) >= 3
    lessons = list(LessonPage.objects.all())
    assert len(lessons) == 6
    for lesson in lessons:
        questions = [link.question for link in lesson.check_questions.all()]
        assert 1 <= len(questions) <= 3
        assert all(q.status == "active" and q.qtype != "short_answer" for q in questions)
    cases = list(CasePage.objects.all())
    assert len(cases) == 12 and all(case.related_questions.exists() for case in cases)
    # a lesson's questions are on the articles it cites, where the bank has some
    lesson = LessonPage.objects.get(slug="xing-zheng-chu-fa-cheng-xu-2")
    assert any("《行政处罚法》第四十四条" == link.question.legal_basis
               or "《行政处罚法》第六十三条" == link.question.legal_basis
               for link in lesson.check_questions.all())
    counts = (LessonPage.objects.get(pk=lesson.pk).check_questions.count(),)
    call_command("seed_demo", "--only", "content", "cases_library", verbosity=0)  # idempotent
    assert (LessonPage.objects.get(pk=lesson.pk).check_questions.count(),) == counts
    assert DocumentTemplatePage.objects.filter(file__isnull=False).count() == 5
