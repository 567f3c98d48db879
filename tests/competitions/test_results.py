"""Results pages: publication (blocked while scoring is unresolved), who may see them,
award changes through the page, certificates and their public verification, exports."""
import io
import zipfile

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from competitions import awards, certificates_pdf
from competitions.models import (AwardResult, AwardScope, ContestStatus, JudgeAssignment,
                                 ResultsVisibility)
from jobs.models import Job, JobStatus
from people.roles import Role

from . import factories as f
from .results_factories import marked_contest, stored_contest, team_for

PRIZES = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1},
          {"name": "三等奖", "count": 1}]


def results_url(contest):
    return reverse("competitions:results", args=[contest.pk])


# ---------------------------------------------------------------- publication


def test_publication_is_blocked_while_marks_are_missing_and_the_list_is_shown(
        org, people, client_for):
    contest, event, judge, entries = marked_contest(org, [90, 80, None], prize_levels=PRIZES)
    blockers = awards.publication_blockers(contest)
    assert len(blockers) == 1 and entries[2].blind_code in blockers[0]
    assert event.name in blockers[0]
    with pytest.raises(awards.PublicationBlocked) as error:
        awards.publish(contest, people["organizer"])
    assert error.value.blockers == blockers
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING and contest.published_at is None

    client = client_for(people["organizer"])
    page = client.get(results_url(contest)).content.decode()
    assert 'id="blockers"' in page and entries[2].blind_code in page
    response = client.post(reverse("competitions:results_publish", args=[contest.pk]),
                           follow=True)
    assert entries[2].blind_code in response.content.decode()
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING

    # The last mark comes in: publication goes ahead, with the awards computed.
    sub = entries[2].submissions.get()
    f.mark(sub, judge, f.level_raw(10))
    from competitions import scoring

    scoring.score_contest(contest)
    assert awards.publication_blockers(contest) == []
    client.post(reverse("competitions:results_publish", args=[contest.pk]))
    contest.refresh_from_db()
    assert contest.status == ContestStatus.PUBLISHED and contest.published_at
    prizes = dict(AwardResult.objects.filter(scope=AwardScope.OVERALL).values_list(
        "entry_id", "prize"))
    assert prizes == {entries[0].pk: "一等奖", entries[1].pk: "二等奖", entries[2].pk: "三等奖"}
    # Published results are frozen until the organizer withdraws them.
    with translation.override("en"), pytest.raises(awards.AwardsError, match="published"):
        awards.compute_awards(contest)
    client.post(reverse("competitions:results_withdraw", args=[contest.pk]))
    contest.refresh_from_db()
    assert contest.status == ContestStatus.MARKING and contest.published_at is None


def test_only_organizers_compute_publish_and_change_awards(org, people, client_for):
    contest, *_rest = stored_contest(org, [90, 80], prize_levels=PRIZES)
    awards.compute_awards(contest)
    award = AwardResult.objects.filter(scope=AwardScope.OVERALL).first()
    client = client_for(people["manager"])
    for name in ("results_compute", "results_publish", "results_withdraw",
                 "results_certificates"):
        assert client.post(reverse(f"competitions:{name}", args=[contest.pk])).status_code == 403
    assert client.get(reverse("competitions:award_override", args=[award.pk])).status_code == 403


def test_an_award_is_changed_on_its_page_only_with_a_reason(org, people, client_for):
    contest, *_rest = stored_contest(org, [90, 80], prize_levels=PRIZES)
    awards.compute_awards(contest)
    award = AwardResult.objects.get(scope=AwardScope.OVERALL, place=2)
    client = client_for(people["organizer"])
    url = reverse("competitions:award_override", args=[award.pk])
    page = client.post(url, {"prize": "一等奖", "reason": ""}).content.decode()
    assert 'id="override-error"' in page
    award.refresh_from_db()
    assert award.prize == "二等奖" and not award.override_reason
    client.post(url, {"prize": "一等奖", "reason": "复核后认定并列第一"})
    award.refresh_from_db()
    assert award.prize == "一等奖" and award.computed_prize == "二等奖"
    assert award.override_reason == "复核后认定并列第一"
    assert award.changed_by == people["organizer"]
    page = client.get(results_url(contest)).content.decode()
    assert "复核后认定并列第一" in page


def test_best_organisation_through_the_page(org, people, client_for):
    contest, *_rest = stored_contest(org, [90])
    client = client_for(people["organizer"])
    url = reverse("competitions:results_best_organisation", args=[contest.pk])
    page = client.post(url, {"unit": org.east1.pk, "reason": ""}, follow=True).content.decode()
    contest.refresh_from_db()
    assert contest.best_organisation_unit is None
    client.post(url, {"unit": org.east1.pk, "reason": "组织严密"})
    contest.refresh_from_db()
    assert contest.best_organisation_unit == org.east1
    page = client.get(results_url(contest)).content.decode()
    assert 'id="best-organisation"' in page and "组织严密" in page


# ---------------------------------------------------------------- visibility


def published(org, visibility, **fields):
    contest, event, _s, entries = stored_contest(
        org, [90, 80], status=ContestStatus.PUBLISHED, results_visibility=visibility,
        prize_levels=PRIZES, **fields)
    awards.compute_awards(contest, allow_published=True)
    return contest, event, entries


def test_public_results_are_open_to_anyone_without_answer_keys_or_marks(org, people, client):
    contest, event, entries = published(org, ResultsVisibility.PUBLIC)
    f.key_error(event, "E1", "第3页询问笔录", points="10", description="询问人仅一人")
    judge = f.judge_user(org, "judge-secret")
    f.mark(entries[0].submissions.get(), judge, f.level_raw(30))
    response = client.get(results_url(contest))
    assert response.status_code == 200
    page = response.content.decode()
    assert entries[0].officer.name in page and org.east1.name in page and "一等奖" in page
    for secret in ("询问人仅一人", "第3页询问笔录", "judge-secret", entries[0].blind_code,
                   entries[0].officer.badge_number):
        assert secret not in page
    event_page = client.get(reverse("competitions:results_event", args=[contest.pk, event.pk]))
    assert event_page.status_code == 200 and entries[1].officer.name in event_page.content.decode()


def test_participants_only_results(org, people, client, client_for):
    contest, event, entries = published(org, ResultsVisibility.PARTICIPANTS)
    url = results_url(contest)
    # Anonymous: sign in first.
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    # An entrant, a judge of the contest, the organizer, a manager over east-1: yes.
    entrant = entries[0].officer.user
    judge = f.judge_user(org, "judge-v")
    JudgeAssignment.objects.create(event=event, judge=judge)
    for user in (entrant, judge, people["organizer"], people["manager"], people["admin"]):
        assert client_for(user).get(url).status_code == 200, user
    # An officer of no participating unit, a manager elsewhere, a judge of nothing: no.
    for user in (people["officer"], people["other_manager"], people["judge"]):
        assert client_for(user).get(url).status_code == 403, user


def test_before_publication_only_organizers_see_results(org, people, client, client_for):
    contest, _e, _s, entries = stored_contest(
        org, [90], results_visibility=ResultsVisibility.PUBLIC)
    awards.compute_awards(contest)
    url = results_url(contest)
    assert client.get(url).status_code == 302
    for user in (entries[0].officer.user, people["manager"]):
        assert client_for(user).get(url).status_code == 404
    page = client_for(people["organizer"]).get(url).content.decode()
    assert entries[0].officer.name in page and 'id="organizer-panel"' in page
    # An organizer of another branch does not organise this contest.
    far = org.person("far-organizer", org.west1, Role.ORGANIZER)
    assert client_for(far).get(url).status_code == 404


def test_results_page_queries_do_not_grow_with_entries(org, people, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["organizer"])

    def measure(count):
        contest, _e, second, entries = stored_contest(
            org, list(range(50, 50 + count)), event_scores=list(range(count)),
            prize_levels=PRIZES, results_visibility=ResultsVisibility.PUBLIC)
        team_for(contest, org.east1, entries[:3], f"东{count}")
        awards.compute_awards(contest)
        counts = []
        for url in (results_url(contest),
                    reverse("competitions:results_event", args=[contest.pk, second.pk])):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    small, large = measure(3), measure(30)
    assert small == large
    assert max(large) <= 25


# ---------------------------------------------------------------- certificates


def test_award_certificate_pdf_has_the_names_and_a_qr_of_the_verification_url(
        org, people, client, client_for, settings):
    import zxingcpp
    from PIL import Image  # noqa: F401  (pypdf hands back PIL images)

    settings.SITE_URL = "https://lianbing.example.cn"
    contest, event, entries = published(org, ResultsVisibility.PARTICIPANTS)
    award = AwardResult.objects.get(scope=AwardScope.OVERALL, place=1)
    reader = pypdf.PdfReader(io.BytesIO(certificates_pdf.render(award)))
    text = reader.pages[0].extract_text()
    for shown in ("获奖证书", entries[0].officer.name, contest.name, "一等奖", org.east1.name):
        assert shown in text
    image = reader.pages[0].images[0].image.convert("L")
    decoded = zxingcpp.read_barcodes(image)
    url = f"https://lianbing.example.cn/contests/awards/verify/{award.certificate_token}/"
    assert [d.text for d in decoded] == [url]

    # The verification page is public, shows the award and nothing private.
    page = client.get(reverse("competitions:award_verify", args=[award.certificate_token]))
    assert page.status_code == 200
    body = page.content.decode()
    assert entries[0].officer.name in body and "一等奖" in body and contest.name in body
    assert entries[0].officer.badge_number not in body and entries[0].blind_code not in body
    assert client.get(reverse("competitions:award_verify", args=["x" * 32])).status_code == 404
    no_prize = AwardResult.objects.filter(prize="").first()
    assert client.get(reverse("competitions:award_verify",
                              args=[no_prize.certificate_token])).status_code == 404

    # The winner downloads their own certificate; another officer cannot.
    url = reverse("competitions:award_certificate", args=[award.pk])
    response = client_for(entries[0].officer.user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(entries[1].officer.user).get(url).status_code == 404


def test_an_unpublished_award_cannot_be_verified(org):
    contest, *_rest = stored_contest(org, [90], prize_levels=PRIZES)
    awards.compute_awards(contest)
    award = AwardResult.objects.get(scope=AwardScope.OVERALL)
    from django.test import Client

    assert Client().get(reverse("competitions:award_verify",
                                args=[award.certificate_token])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_certificates_zip_and_results_export_through_the_worker(org, people, client_for,
                                                                run_worker):
    contest, event, entries = published(org, ResultsVisibility.PARTICIPANTS)
    team_for(contest, org.east1, entries, "东区一队")
    contest.team_prize_levels = [{"name": "团体一等奖", "count": 1}]
    contest.status = ContestStatus.MARKING
    contest.save()
    awards.compute_awards(contest)
    awards.set_best_organisation(contest, org.east1, "组织周密=认真")
    client = client_for(people["organizer"])
    client.post(reverse("competitions:results_certificates", args=[contest.pk]))
    client.post(reverse("competitions:results_export", args=[contest.pk]))
    run_worker()
    zipped = Job.objects.get(kind="competitions.award_certificates")
    assert zipped.status == JobStatus.SUCCEEDED, zipped.error
    names = zipfile.ZipFile(zipped.result_file.open("rb")).namelist()
    prizes = AwardResult.objects.exclude(prize="").count()
    # Every prize (entrants' and the team's) and the best organisation award.
    assert prizes == 3 and len(names) == prizes + 1 and all(n.endswith(".pdf") for n in names)
    assert any("东区一队" in n for n in names)
    assert any("最佳组织奖" in n and org.east1.name in n for n in names)

    export = Job.objects.get(kind="competitions.results_export")
    assert export.status == JobStatus.SUCCEEDED, export.error
    wb = openpyxl.load_workbook(export.result_file.open("rb"), read_only=True)
    assert wb.sheetnames[0] in ("Overall", "总成绩", "总分")
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == entries[0].officer.name and rows[1][-2] == "一等奖"
    team_rows = list(wb.worksheets[-2].iter_rows(values_only=True))
    assert team_rows[1][1] == "东区一队" and team_rows[1][5] == "团体一等奖"
    best = list(wb.worksheets[-1].iter_rows(values_only=True))
    assert best[1] == (org.east1.name, "组织周密=认真")

    # Someone else cannot print the certificates through a job either.
    client_for(people["manager"]).post(reverse("competitions:results_certificates",
                                               args=[contest.pk]))
    assert Job.objects.filter(kind="competitions.award_certificates").count() == 1


def _pdf_text(content):
    return pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()


def _qr(content):
    import zxingcpp

    image = pypdf.PdfReader(io.BytesIO(content)).pages[0].images[0].image.convert("L")
    return [d.text for d in zxingcpp.read_barcodes(image)]


def mark_published(contest, status=ContestStatus.PUBLISHED):
    """Publish a contest of stored scores as it stands (it has no marks to rescore)."""
    from django.utils import timezone

    contest.status = status
    contest.published_at = timezone.now() if status == ContestStatus.PUBLISHED else None
    contest.save(update_fields=["status", "published_at"])


def team_awarded(org, people, status=ContestStatus.MARKING):
    """A contest with two teams (east-1, east-2) and team prizes, awards computed."""
    contest, event, _s, entries = stored_contest(
        org, [90, 80, 70, 60], units=[org.east1, org.east1, org.east2, org.east2],
        prize_levels=PRIZES, team_prize_levels=[{"name": "团体一等奖", "count": 1},
                                                {"name": "团体二等奖", "count": 1}])
    first = team_for(contest, org.east1, entries[:2], "东一代表队")
    team_for(contest, org.east2, entries[2:], "东二代表队")
    awards.compute_awards(contest)
    if status != contest.status:
        mark_published(contest, status)
    return contest, entries, first


def test_a_team_award_certificate_is_downloaded_on_its_own(org, people, client_for):
    contest, entries, team = team_awarded(org, people)
    award = AwardResult.objects.get(scope=AwardScope.TEAM, team=team)
    assert award.prize == "团体一等奖"
    text = _pdf_text(certificates_pdf.render(award))
    for shown in ("获奖证书", "东一代表队", org.east1.name, contest.name, "团体", "团体一等奖"):
        assert shown in text
    url = reverse("competitions:award_certificate", args=[award.pk])
    # Before publication only the organizers; the results page links it for them.
    member = entries[0].officer.user
    assert client_for(member).get(url).status_code == 404
    organizer = client_for(people["organizer"])
    response = organizer.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "%E4%B8%9C%E4%B8%80%E4%BB%A3%E8%A1%A8%E9%98%9F" in response["Content-Disposition"]
    assert url in organizer.get(results_url(contest)).content.decode()

    mark_published(contest)
    # Published: the team's members and the managers over its unit; nobody else.
    for user in (member, entries[1].officer.user, people["manager"]):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert "东一代表队" in _pdf_text(response.content)
    for user in (entries[2].officer.user, people["other_manager"], people["officer"],
                 people["judge"]):
        assert client_for(user).get(url).status_code == 404, user
    # A member finds it under “my awards”; the other team's member does not.
    page = client_for(member).get(results_url(contest)).content.decode()
    assert 'id="my-awards"' in page and url in page
    assert url not in client_for(entries[2].officer.user).get(
        results_url(contest)).content.decode()
    # The QR code verifies the team's award.
    page = client_for(people["officer"]).get(
        reverse("competitions:award_verify", args=[award.certificate_token])).content.decode()
    assert "东一代表队" in page and "团体一等奖" in page


def test_a_withdrawn_team_member_gets_no_team_certificate(org, people, client_for):
    contest, entries, team = team_awarded(org, people, status=ContestStatus.PUBLISHED)
    award = AwardResult.objects.get(scope=AwardScope.TEAM, team=team)
    entries[1].status = "withdrawn"
    entries[1].save(update_fields=["status"])
    url = reverse("competitions:award_certificate", args=[award.pk])
    assert client_for(entries[1].officer.user).get(url).status_code == 404
    assert client_for(entries[0].officer.user).get(url).status_code == 200


def test_the_best_organisation_certificate_names_the_unit_not_the_reason(
        org, people, client, client_for, settings):
    settings.SITE_URL = "https://lianbing.example.cn"
    contest, *_rest = stored_contest(org, [90, 80], prize_levels=PRIZES)
    url = reverse("competitions:best_organisation_certificate", args=[contest.pk])
    organizer = client_for(people["organizer"])
    assert organizer.get(url).status_code == 404            # not given yet
    awards.set_best_organisation(contest, org.east1, "组织严密，保障有力，赛风端正")
    contest.refresh_from_db()
    content = certificates_pdf.render_best_organisation(contest)
    text = _pdf_text(content)
    for shown in ("获奖证书", org.east1.name, contest.name, "最佳组织奖",
                  contest.organizer_unit.name):
        assert shown in text
    assert "组织严密" not in text and "赛风端正" not in text
    [verify_url] = _qr(content)
    assert verify_url.startswith("https://lianbing.example.cn/contests/awards/verify-organisation/")
    verify_path = verify_url.removeprefix("https://lianbing.example.cn")

    # The organizers download it at any time, and find it on the results page.
    response = organizer.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert org.east1.name in _pdf_text(response.content)
    page = organizer.get(results_url(contest)).content.decode()
    assert 'id="best-organisation-certificate"' in page
    # Before publication nobody else may, and the QR code does not verify yet.
    assert client_for(people["manager"]).get(url).status_code == 404
    assert client.get(verify_path).status_code == 404

    mark_published(contest)
    # Published: the managers over the winning unit too, nobody else.
    assert client_for(people["manager"]).get(url).status_code == 200
    for user in (people["other_manager"], people["officer"], people["judge"]):
        assert client_for(user).get(url).status_code == 404, user
    client.logout()
    page = client.get(verify_path)
    assert page.status_code == 200
    body = page.content.decode()
    assert org.east1.name in body and "最佳组织奖" in body and contest.name in body
    assert "组织严密" not in body
    assert client.get(reverse("competitions:best_organisation_verify",
                              args=["forged-token"])).status_code == 404
    # Given to another unit, the old certificate no longer verifies.
    mark_published(contest, ContestStatus.MARKING)
    contest.participating_units.add(org.east2)
    awards.set_best_organisation(contest, org.east2, "后来居上")
    mark_published(contest)
    assert client.get(verify_path).status_code == 404
