"""Officers read published material only, and see what is assigned to them."""
import datetime as dt

from content.models import Assignment, StudyRecord
from people.roles import Role

from . import factories


def test_officers_cannot_see_drafts(study, people, client_for):
    client = client_for(people["officer"])
    _course, (lesson, _other) = factories.course_with_lessons(study["shelf"])
    assert client.get(lesson.url).status_code == 200
    lesson.body = [("paragraph", "<p>修改后的草稿内容：尚未审核。</p>")]
    lesson.save_revision()  # a draft on top of the live version
    page = client.get(lesson.url).content.decode()
    assert "尚未审核" not in page
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404
    draft_case = factories.case(title="未发布案例", publish=False)
    assert client.get(draft_case.url or f"/case-library/{draft_case.slug}/").status_code == 404
    assert "未发布案例" not in client.get("/cases/").content.decode()


def test_my_study_lists_assignments_with_progress(study, org, people, client_for,
                                                  django_assert_max_num_queries):
    course, lessons = factories.course_with_lessons(study["shelf"])
    other_course, _ = factories.course_with_lessons(study["shelf"], title="西区专用课程")
    officer = people["officer"].officer
    assignment = Assignment.objects.create(page=course, due_date=dt.date(2026, 12, 31))
    assignment.units.set([org.east])
    west = Assignment.objects.create(page=other_course)
    west.units.set([org.west])
    trainers_only = Assignment.objects.create(page=study["law"], role=Role.TRAINER)
    trainers_only.units.set([org.corps])
    factories.event(study["shelf"], units=[org.east1], title="东区第一大队专题培训")
    StudyRecord.objects.create(officer=officer, page=lessons[0], completed_at=dt.datetime.now(
        dt.timezone.utc), credited_hours="0.33")
    client = client_for(people["officer"])
    with django_assert_max_num_queries(30):
        response = client.get("/study/")
    page = response.content.decode()
    assert course.title in page and "1/2" in page
    assert "东区第一大队专题培训" in page
    assert "西区专用课程" not in page and study["law"].title not in page
