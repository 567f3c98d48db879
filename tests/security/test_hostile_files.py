"""Hostile files and text: XML bombs, zip bombs, oversize uploads, scripts in rich text,
formulas in exported cells."""
import io
import re
import time
import zipfile

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from exams import formats
from exams.formats import FormatError
from jobs.models import Job
from security.richtext import clean_html
from tests.conftest import make_xlsx
from workbooks.reading import WorkbookError, open_workbook

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name>
<questiontext format="html"><text>&lol9;</text></questiontext></question></quiz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name>
<questiontext format="html"><text>&secret;</text></questiontext></question></quiz>"""


def test_a_billion_laughs_question_file_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(FormatError):
        formats.parse(BILLION_LAUGHS, "lol.xml", "moodlexml")
    assert time.monotonic() - started < 2


def test_an_external_entity_is_never_read():
    with pytest.raises(FormatError) as refused:
        formats.parse(EXTERNAL_ENTITY, "xxe.xml", "moodlexml")
    assert "root:" not in str(refused.value)


def zip_bomb(megabytes=30):
    """A zip named like a workbook whose sheet expands to `megabytes` of blanks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (megabytes * 1024 * 1024))
    buffer.seek(0)
    return buffer


def test_a_zip_bomb_is_refused_by_its_ratio_before_parsing():
    started = time.monotonic()
    with translation.override("en"), pytest.raises(WorkbookError, match="zip bomb"):
        open_workbook(zip_bomb(), "bomb.xlsx")
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_the_roster_import_refuses_a_zip_bomb(people):
    from people import roster
    with pytest.raises(WorkbookError, match="bomb.xlsx"):
        roster.parse_roster(zip_bomb(), "bomb.xlsx", people["admin"].officer.unit.subtree())


def test_a_workbook_over_the_size_limit_is_refused_before_opening(settings):
    settings.LIANBING_MAX_UPLOAD_BYTES = 1024
    upload = make_xlsx([["x" * 50, i] for i in range(200)])
    with translation.override("en"), pytest.raises(WorkbookError, match="too large"):
        open_workbook(upload, "big.xlsx")


# --- Upload limits in the views ------------------------------------------------------------

@pytest.fixture
def small_limit(settings):
    settings.LIANBING_MAX_UPLOAD_BYTES = 2048
    return settings


def big_upload(name="big.xlsx"):
    upload = make_xlsx([["x" * 60, f"T{i:06d}", "T-E-1"] for i in range(300)])
    upload.name = name
    assert len(upload.getvalue()) > 2048
    return upload


@pytest.mark.parametrize("role, url_name", [
    ("manager", "people:roster_import"),
    ("organizer", "certificates:import"),
    ("trainer", "exams:import"),
])
def test_upload_forms_refuse_a_file_over_the_limit(client_for, people, small_limit, role,
                                                   url_name):
    client = client_for(people[role])
    response = client.post(reverse(url_name), {"file": big_upload(), "format": "xlsx",
                                               "unit": people[role].officer.unit_id})
    assert response.status_code == 200
    assert "big.xlsx" in response.content.decode() or response.context["form"].errors
    assert not Job.objects.exists()


def test_a_request_body_over_the_limit_is_refused_with_413(client_for, people, settings):
    settings.LIANBING_MAX_UPLOAD_BYTES = 1024
    client = client_for(people["manager"])
    body = b"x" * (2 * 1024 * 1024)
    response = client.generic("POST", reverse("people:roster_import"), body,
                              content_type="application/octet-stream")
    assert response.status_code == 413


# --- Rich text ------------------------------------------------------------------------------

HOSTILE_HTML = ('<p>下列哪项<script>alert(1)</script><img src="x" onerror="alert(2)">'
                '<a href="javascript:alert(3)">链接</a><a href="//evil.example/">外链</a>'
                '<b onmouseover="alert(4)">粗</b><iframe src="https://evil.example"></iframe>'
                '<svg onload="alert(5)"></svg><style>body{}</style></p>'
                '<table><tr><td colspan="2" style="x">表格</td></tr></table>')


def assert_harmless(html):
    lowered = html.lower()
    for needle in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe",
                   "<svg", "<style", "evil.example", "alert("):
        assert needle not in lowered, (needle, html)


ACTIVE_MARKUP = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S|<[a-z][^>]*\son[a-z]+\s*=|"
                           r"<(?:iframe|svg|object)\b|javascript:", re.I)


def main_part(page):
    """Return the page's <main> element (the shell's own allowed handlers are outside)."""
    return page.split("<main", 1)[-1].split("</main>", 1)[0]


def assert_no_active_markup(page):
    """Fail if the page has an inline script, an event handler, a frame or a js: link."""
    found = ACTIVE_MARKUP.search(page)
    assert found is None, page[max(0, found.start() - 200):found.end() + 200]


def test_clean_html_keeps_the_text_and_harmless_markup():
    cleaned = clean_html(HOSTILE_HTML)
    assert_harmless(cleaned)
    assert "下列哪项" in cleaned and "<b>粗</b>" in cleaned
    assert '<td colspan="2">表格</td>' in cleaned


def hostile_moodle_file():
    return (f'<?xml version="1.0" encoding="UTF-8"?><quiz><question type="multichoice">'
            f'<name><text>恶意题</text></name><questiontext format="html"><text><![CDATA['
            f'{HOSTILE_HTML}]]></text></questiontext>'
            f'<answer fraction="100"><text><![CDATA[<img src=x onerror=alert(6)>警告]]></text>'
            f'</answer><answer fraction="0"><text>罚款</text></answer>'
            f'<single>true</single></question></quiz>').encode()


@pytest.mark.django_db
def test_an_imported_question_shows_no_script_on_the_officer_pages(people, org, client_for):
    from exams import importing
    from exams.models import Question

    report = importing.import_file(hostile_moodle_file(), "bank.xml", "moodlexml",
                                   author=people["trainer"])
    assert report["created"] == 1, report
    question = Question.objects.get()
    stored = "".join(str(block.value.source) for block in question.stem)
    assert_harmless(stored)
    assert "下列哪项" in stored
    # The option text is shown escaped: its markup is text, never a tag.
    response = client_for(people["trainer"]).get(reverse("exams:preview", args=[question.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "下列哪项" in body
    assert_no_active_markup(main_part(body))


@pytest.mark.django_db
def test_a_lesson_body_with_scripts_comes_out_clean(people, org, client_for):
    from content.models import LessonPage
    from tests.content import factories

    course, lessons = factories.course_with_lessons(factories.shelf())
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    # What the Draftail editor would save from a paste of hostile HTML.
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.rich_text import features
    converter = ContentstateConverter(features.get_default_features())
    state = converter.from_database_format(clean_html(HOSTILE_HTML))
    saved = converter.to_database_format(state)
    assert_harmless(saved)
    lesson.body = [("text", saved)] if "text" in lesson.body.stream_block.child_blocks else \
        [(next(iter(lesson.body.stream_block.child_blocks)), saved)]
    lesson.save_revision().publish()
    response = client_for(people["officer"]).get(lesson.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "下列哪项" in body
    assert_no_active_markup(main_part(body))


# --- Exports: formula-like text is written as text ---------------------------------------------

EVIL = '=HYPERLINK("http://evil.example","点我")'


def cells_are_text(data, needle=EVIL):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    found = False
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value == needle:
                    found = True
                    assert cell.data_type == "s"
    return found


@pytest.mark.django_db
def test_the_roster_export_writes_formulas_as_text(people):
    from people import roster
    from people.models import Officer
    Officer.objects.filter(pk=people["officer"].officer.pk).update(name=EVIL, position="+1-2")
    buffer = io.BytesIO()
    roster.write_roster(Officer.objects.select_related("unit").order_by("pk"), buffer)
    assert cells_are_text(buffer.getvalue())
    assert cells_are_text(buffer.getvalue(), "+1-2")


@pytest.mark.django_db
def test_the_certificate_export_writes_formulas_as_text(people):
    from certificates import issuing
    from certificates import roster as certificate_roster
    from certificates.models import Certificate
    from people.models import Officer
    Officer.objects.filter(pk=people["officer"].officer.pk).update(name=EVIL)
    issuing.grant(Officer.objects.get(pk=people["officer"].officer.pk), by=people["organizer"])
    buffer = io.BytesIO()
    certificate_roster.write_export(Certificate.objects.select_related("officer__unit"), buffer)
    assert cells_are_text(buffer.getvalue())


@pytest.mark.django_db
def test_the_contest_entry_export_writes_formulas_as_text(people, org):
    from competitions import marksheets
    from people.models import Officer
    from tests.competitions import factories
    Officer.objects.filter(pk=people["officer"].officer.pk).update(name="@SUM(A1:A9)")
    contest = factories.contest(org)
    factories.event(contest)
    factories.entry(contest, Officer.objects.get(pk=people["officer"].officer.pk))
    assert cells_are_text(marksheets.write_entries(contest), "@SUM(A1:A9)")
