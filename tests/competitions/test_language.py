"""Contest texts in either language: names joined as the language joins lists, case-file
error categories translated (their stored codes unchanged), and the local day on award
certificates."""
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from competitions import certificates_pdf, correction, judging, marksheets, registration
from competitions.models import (ContestStatus, EntryStatus, EventKind, JudgeAssignment,
                                 PlantedError)
from competitions.wagtail_hooks import PlantedErrorForm

from . import factories as f
from .judging_setup import marking  # noqa: F401 - fixture

CHINESE = {"subject": "主体", "facts": "事实", "evidence": "证据", "procedure": "程序",
           "legal_basis": "法律适用", "documents": "文书"}
ENGLISH = {"subject": "Subject", "facts": "Facts", "evidence": "Evidence",
           "procedure": "Procedure", "legal_basis": "Application of law",
           "documents": "Documents"}


# --- lists of names -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_officers_outside_the_team_unit_are_named_as_the_language_joins_lists(org, people):
    contest = f.contest(org, status=ContestStatus.REGISTRATION, team_size=3)
    f.event(contest, EventKind.DRAFTING, name="文书")
    a = org.person("a", org.east1, name="甲").officer
    b = org.person("b", org.west1, name="乙").officer
    c = org.person("c", org.west1, name="丙").officer
    for language, names in (("en", "乙, 丙"), ("zh-hans", "乙、丙")):
        with translation.override(language), pytest.raises(
                registration.RegistrationError) as refused:
            registration.register_team(contest, org.east1, "东一队", [a, b, c],
                                       people["manager"])
        assert str(refused.value).endswith(names), language


@pytest.mark.django_db
def test_rejected_entries_are_named_as_the_language_joins_lists(org, people):
    contest = f.contest(org, status=ContestStatus.REGISTRATION)
    f.event(contest, EventKind.DRAFTING, name="文书")
    entries = [f.entry(contest, org.person(u, org.east1, name=n).officer,
                       status=EntryStatus.REJECTED) for u, n in (("a", "甲"), ("b", "乙"))]
    for language, names in (("en", "甲, 乙"), ("zh-hans", "甲、乙")):
        with translation.override(language), pytest.raises(
                registration.RegistrationError) as refused:
            registration.withdraw(contest, entries, people["organizer"], "误报")
        assert str(refused.value).endswith(names), language


@pytest.mark.django_db
def test_a_planted_error_outside_the_event_locations_names_them_in_the_language(org, people):
    event = f.event(f.contest(org), EventKind.CORRECTION, locations=["封面", "询问笔录第2页"])
    data = {"event": event.pk, "code": "A", "location": "别处", "category": "facts",
            "points": "5", "description": ""}
    for language, places in (("en", "封面, 询问笔录第2页"), ("zh-hans", "封面、询问笔录第2页")):
        with translation.override(language):
            form = PlantedErrorForm(data, for_user=people["organizer"])
            assert not form.is_valid()
            assert form.errors["location"][0].endswith(places), language


# --- case-file error categories -----------------------------------------------------------------

def test_the_categories_are_translated_and_their_codes_unchanged():
    assert list(correction.CATEGORIES) == list(CHINESE)
    with translation.override("en"):
        assert {code: str(label) for code, label in correction.CATEGORIES.items()} == ENGLISH
        assert correction.CATEGORIES.get("facts") == "Facts"
        assert isinstance(correction.CATEGORIES["legal_basis"], str)
    with translation.override("zh-hans"):
        assert {code: str(label) for code, label in correction.CATEGORIES.items()} == CHINESE
        assert correction.CATEGORIES.get("facts") == "事实"
        assert correction.CATEGORIES.get("nothing", "") == ""
    field = PlantedError._meta.get_field("category")
    assert [code for code, _label in field.choices] == list(CHINESE)
    with translation.override("zh-hans"):
        assert PlantedError(category="legal_basis").get_category_display() == "法律适用"
    with translation.override("en"):
        assert PlantedError(category="legal_basis").get_category_display() == (
            "Application of law")


@pytest.mark.django_db
def test_the_contestant_chooses_a_category_in_either_language_and_the_code_is_stored(
        org, people, client_for):
    contest = f.contest(org, status=ContestStatus.RUNNING)
    event = f.event(contest, EventKind.CORRECTION, name="纠错", locations=["封面"])
    entry = f.entry(contest, people["officer"].officer)
    submission = f.submission(event, entry, submitted_at=None)
    client = client_for(people["officer"])
    url = reverse("competitions:my_submission", args=[submission.pk])

    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert '<option value="legal_basis" >Application of law</option>' in english
    assert '<option value="subject" >Subject</option>' in english
    assert "主体" not in english and "法律适用" not in english
    client.post(url, {"location": "封面", "category": "legal_basis", "explanation": "条款错"})
    english = client.get(url).content.decode()
    assert "<td>Application of law</td>" in english

    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(url).content.decode()
    assert '<option value="legal_basis" >法律适用</option>' in chinese
    assert '<option value="subject" >主体</option>' in chinese
    assert "<td>法律适用</td>" in chinese
    submission.refresh_from_db()
    assert submission.findings == [{"location": "封面", "category": "legal_basis",
                                    "explanation": "条款错"}]


@pytest.mark.django_db
def test_the_correction_mark_sheet_names_the_category_in_the_job_language(marking):  # noqa: F811
    assignment = JudgeAssignment.objects.select_related("event__contest").get(
        event=marking.correction, judge=marking.judge)
    subs = list(judging.visible_submissions(assignment).select_related("entry"))
    for language, names in (("en", {"Facts", "Procedure"}), ("zh-hans", {"事实", "程序"})):
        with translation.override(language):
            data = marksheets.write_mark_sheet(assignment, subs)
        ws = openpyxl.load_workbook(io.BytesIO(data))[marksheets.MARKS_SHEET]
        assert {row[3] for row in ws.iter_rows(min_row=2, values_only=True)} == names


# --- the day on award certificates --------------------------------------------------------------

def test_a_certificate_published_before_eight_in_shanghai_carries_the_shanghai_day(settings):
    settings.SITE_URL = "https://lianbing.example.cn"
    published = dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC)  # 07:30 on 15 March, Shanghai
    contest = SimpleNamespace(
        pk=1, name="2026年度技能竞赛", published_at=published, ends_on=dt.date(2026, 3, 1),
        organizer_unit=SimpleNamespace(name="测试总队"),
        best_organisation_unit=SimpleNamespace(name="东区支队"), best_organisation_unit_id=2)
    assert certificates_pdf.issue_date(contest) == dt.date(2026, 3, 15)
    pdf = certificates_pdf.render_best_organisation(contest)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "2026年3月15日" in text and "2026年3月14日" not in text

    contest.published_at = None  # not published: the contest's last day
    assert certificates_pdf.issue_date(contest) == dt.date(2026, 3, 1)
