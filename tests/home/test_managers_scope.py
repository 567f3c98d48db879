"""A manager never sees a unit outside their subtree: pages, charts, lists, exports, files."""
import pytest
from django.urls import reverse

from content.models import StudyRequirement
from home.models import MonthlyReport
from jobs.models import Job

from .manager_data import build


@pytest.fixture
def data(org, people):
    return build(org, people)


def outside_urls(org, data):
    west, corps = org.west.pk, org.corps.pk
    req = StudyRequirement.objects.get(name="年度轮训").pk
    return [
        reverse("home:managers_unit", args=[west]),
        reverse("home:managers") + f"?unit={west}",
        reverse("home:managers_unit", args=[corps]),
        reverse("home:managers_unit", args=[org.west1.pk]),
        reverse("home:managers_chart", args=[west, "participation", "png"]),
        reverse("home:managers_chart", args=[corps, "coverage", "svg"]),
        reverse("home:managers_non_participants", args=[west, "2026-02"]),
        reverse("home:managers_coverage_gaps", args=[west, req]),
        reverse("home:managers_annual", args=[corps]),
        reverse("home:managers_officers", args=[west]) + "?q=人员",
        reverse("home:managers_officer_file", args=[data["W"].pk]),
    ]


def test_pages_and_charts_outside_the_subtree_answer_404(org, people, data, client_for):
    client = client_for(people["manager"])
    for url in outside_urls(org, data):
        assert client.get(url).status_code == 404, url


def test_exports_outside_the_subtree_answer_404_and_start_nothing(org, people, data, client_for):
    client = client_for(people["manager"])
    assert client.post(reverse("home:managers_export", args=[org.west.pk])).status_code == 404
    assert client.post(reverse("home:managers_officer_file_export",
                               args=[data["W"].pk])).status_code == 404
    assert not Job.objects.exists()


def test_the_same_pages_inside_the_subtree_answer(org, people, data, client_for):
    client = client_for(people["manager"])
    req = StudyRequirement.objects.get(name="年度轮训").pk
    for url in [reverse("home:managers_unit", args=[org.east.pk]),
                reverse("home:managers_unit", args=[org.east2.pk]),
                reverse("home:managers_chart", args=[org.east.pk, "participation", "png"]),
                reverse("home:managers_non_participants", args=[org.east.pk, "2026-02"]),
                reverse("home:managers_coverage_gaps", args=[org.east.pk, req]),
                reverse("home:managers_annual", args=[org.east.pk]),
                reverse("home:managers_officers", args=[org.east.pk]) + "?q=人员",
                reverse("home:managers_officer_file", args=[data["A"].pk])]:
        assert client.get(url).status_code == 200, url


def test_the_other_manager_sees_west_only(org, people, data, client_for):
    client = client_for(people["other_manager"])
    assert client.get(reverse("home:managers_unit", args=[org.west.pk])).status_code == 200
    assert client.get(reverse("home:managers_unit", args=[org.east.pk])).status_code == 404
    assert client.get(reverse("home:managers_officer_file",
                              args=[data["A"].pk])).status_code == 404


def test_the_index_opens_the_top_of_the_scope(org, people, client_for):
    response = client_for(people["manager"]).get(reverse("home:managers"))
    assert response.url == reverse("home:managers_unit", args=[org.east.pk])
    response = client_for(people["admin"]).get(reverse("home:managers"))
    assert response.url == reverse("home:managers_unit", args=[org.corps.pk])


def test_officers_and_organizers_may_not_open_the_managers_view(org, people, client_for):
    for who in ("officer", "organizer", "judge", "trainer"):
        client = client_for(people[who])
        assert client.get(reverse("home:managers")).status_code == 403, who
        assert client.get(reverse("home:managers_unit",
                                  args=[org.east.pk])).status_code == 403, who


def test_monthly_reports_of_other_units_are_neither_listed_nor_downloadable(
        org, people, client_for):
    from django.core.files.base import ContentFile

    west = MonthlyReport(unit=org.west, period="2026-02", file_name="west.xlsx")
    west.file.save("west.xlsx", ContentFile(b"x"), save=True)
    east = MonthlyReport(unit=org.east, period="2026-02", file_name="east.xlsx")
    east.file.save("east.xlsx", ContentFile(b"east"), save=True)
    corps = MonthlyReport(unit=org.corps, period="2026-02", file_name="corps.xlsx")
    corps.file.save("corps.xlsx", ContentFile(b"c"), save=True)
    client = client_for(people["manager"])
    listing = client.get(reverse("home:managers_reports")).content.decode()
    assert "东区支队" in listing and "西区支队" not in listing and "测试市" not in listing
    assert client.get(reverse("home:managers_report_download",
                              args=[west.pk])).status_code == 404
    assert client.get(reverse("home:managers_report_download",
                              args=[corps.pk])).status_code == 404
    response = client.get(reverse("home:managers_report_download", args=[east.pk]))
    assert b"".join(response.streaming_content) == b"east"


def test_a_job_for_a_unit_outside_the_scope_fails_even_if_started_directly(org, people):
    from jobs.runner import JobError, Progress
    from home.jobs import dashboard_export, training_file_export

    job = Job.objects.create(kind="home.dashboard_export", owner=people["manager"])
    with pytest.raises(JobError):
        dashboard_export(Progress(job), unit_id=org.west.pk)
    officer = people["judge"].officer
    with pytest.raises(JobError):
        training_file_export(Progress(job), officer_id=officer.pk)
