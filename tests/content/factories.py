"""Build study material and cases for tests (works after a transactional flush too)."""
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cases_library.models import CaseIndexPage, CasePage
from content.law_import import create_law
from content.models import CoursePage, LessonPage, StudyIndexPage, TrainingEventPage
from home.models import HomePage

LAWS = Path(__file__).resolve().parents[3] / "shared" / "laws"
if not LAWS.exists():  # the project's own copy, for a checkout without ../shared
    LAWS = Path(__file__).resolve().parents[2] / "content" / "demo_data" / "laws"


def law_file(prefix):
    """Return the path of the statute file whose name starts with `prefix`."""
    return next(LAWS.glob(f"{prefix}*.md"))


def home():
    """Return the site's home page, creating the page tree's root and site if flushed."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site.root_page
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = root.add_child(instance=HomePage(title="练兵", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=page, is_default_site=True)
    return page


def shelf(title="学习园地", slug="study"):
    page = StudyIndexPage(title=title, slug=slug)
    home().add_child(instance=page)
    page.save_revision().publish()
    return page


def law(shelf_page, prefix="行政处罚法", short_title=""):
    text = law_file(prefix).read_text(encoding="utf-8")
    return create_law(shelf_page, text, short_title=short_title)


def course_with_lessons(shelf_page, title="文化市场执法基础", minutes=(20, 30)):
    course = CoursePage(title=title, slug=f"course-{CoursePage.objects.count() + 1}")
    shelf_page.add_child(instance=course)
    course.save_revision().publish()
    lessons = []
    for index, estimated in enumerate(minutes, start=1):
        lesson = LessonPage(title=f"{title}第{index}课", slug=f"{course.slug}-lesson-{index}",
                            estimated_minutes=estimated,
                            body=[("paragraph", f"<p>第{index}课讲解网吧接纳未成年人的认定与责令改正。</p>")])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        lessons.append(lesson)
    return course, lessons


def event(shelf_page, units=(), hours="3.0", starts=None, title="执法文书制作培训"):
    starts = starts or timezone.now() + dt.timedelta(days=3)
    page = TrainingEventPage(title=title, slug=f"event-{TrainingEventPage.objects.count() + 1}",
                             starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
                             place="总队三楼会议室", hours=Decimal(hours), trainer_name="林教员")
    shelf_page.add_child(instance=page)
    page.eligible_units.set(units)
    page.save_revision().publish()
    return page


def case_index():
    index = CaseIndexPage.objects.first()
    if index is None:
        index = CaseIndexPage(title="典型案例", slug="case-library")
        home().add_child(instance=index)
        index.save_revision().publish()
    return index


PARAGRAPHS = [
    "2025年3月5日，执法人员对某网吧进行检查，发现两名未成年人在上网。",
    "经查，该网吧未核对上网人员身份证件，接纳未成年人进入营业场所。",
    "执法人员依法制作了现场检查笔录，并对网吧负责人进行了询问。",
]


def case(title="某网吧接纳未成年人案", publish=True, paragraphs=PARAGRAPHS, **fields):
    values = {"domain": "internet_cafe", "violation_type": "接纳未成年人",
              "decision": "给予警告，并处罚款5000元。", "decided_on": dt.date(2025, 4, 1),
              "penalty_amount": Decimal("5000")}
    values.update(fields)
    page = CasePage(title=title, slug=f"case-{CasePage.objects.count() + 1}",
                    body=[("paragraph", text) for text in paragraphs], live=False, **values)
    case_index().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return CasePage.objects.get(pk=page.pk)
