"""What is assigned to an officer (by unit and role), and how far they have got."""
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from people.models import Unit
from people.roles import user_roles


@dataclass
class AssignedItem:
    page: object  # the specific page
    kind: str  # "course", "lesson", "law", "event", "page"
    due_date: object = None
    done: int = 0
    total: int = 1

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def finished(self):
        return self.total and self.done >= self.total


def ancestor_paths(unit):
    """Return the tree paths of `unit` and every unit above it."""
    step = Unit.steplen
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def completed_page_ids(user, page_ids):
    """Return the ids among `page_ids` the user's officer profile has completed."""
    from .models import StudyRecord

    officer = getattr(user, "officer", None)
    if officer is None or not page_ids:
        return set()
    return set(StudyRecord.objects.filter(officer=officer, page_id__in=page_ids,
                                          completed_at__isnull=False)
               .values_list("page_id", flat=True))


def assigned_to(officer, user=None):
    """Return the AssignedItems of `officer`: assignments to their units and upcoming events.

    A bounded number of queries, whatever the number of items.
    """
    from .models import (Assignment, Attendance, CoursePage, LawPage, LessonPage, StudyRecord,
                         TrainingEventPage)

    paths = ancestor_paths(officer.unit)
    roles = list(user_roles(user or officer.user))
    assignments = (Assignment.objects.filter(units__path__in=paths)
                   .filter(Q(role="") | Q(role__in=roles)).distinct()
                   .filter(page__live=True).order_by("due_date", "pk"))
    due = {}
    for page_id, due_date in assignments.values_list("page_id", "due_date"):
        due.setdefault(page_id, due_date)
    pages = {page.pk: page for page in Page.objects.filter(pk__in=due).specific()}

    # Upcoming training events open to the officer's unit count as assigned too.
    today = timezone.now()
    events = (TrainingEventPage.objects.live().filter(ends_at__gte=today)
              .filter(Q(eligible_units__isnull=True) | Q(eligible_units__path__in=paths))
              .distinct().order_by("starts_at"))
    for event in events:
        pages.setdefault(event.pk, event)
        due.setdefault(event.pk, None)

    course_paths = [page.path for page in pages.values() if isinstance(page, CoursePage)]
    lessons_by_course = {}
    if course_paths:
        condition = Q()
        for path in course_paths:
            condition |= Q(path__startswith=path)
        for lesson_id, path in (LessonPage.objects.live().filter(condition)
                                .values_list("pk", "path")):
            lessons_by_course.setdefault(path[:-Page.steplen], []).append(lesson_id)
    all_ids = set(pages) | {i for ids in lessons_by_course.values() for i in ids}
    records = {r.page_id: r for r in StudyRecord.objects.filter(officer=officer,
                                                                  page_id__in=all_ids)}
    attended = set(Attendance.objects.filter(officer=officer, event_id__in=list(pages))
                   .values_list("event_id", flat=True))

    items = []
    for page_id, page in pages.items():
        item = AssignedItem(page=page, kind="page", due_date=due.get(page_id))
        if isinstance(page, CoursePage):
            lesson_ids = lessons_by_course.get(page.path, [])
            item.kind, item.total = "course", len(lesson_ids)
            item.done = sum(1 for i in lesson_ids if records.get(i) and records[i].completed_at)
        elif isinstance(page, LessonPage):
            item.kind = "lesson"
            item.done = int(bool(records.get(page_id) and records[page_id].completed_at))
        elif isinstance(page, TrainingEventPage):
            item.kind, item.done = "event", int(page_id in attended)
        elif isinstance(page, LawPage):
            item.kind = "law"
            item.done = int(bool(records.get(page_id) and records[page_id].active_seconds >= 300))
        else:
            item.done = int(page_id in records)
        items.append(item)
    items.sort(key=lambda i: (i.finished, i.due_date is None, i.due_date or today.date()))
    return items
