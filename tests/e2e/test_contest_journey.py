"""A judge marks two entries blind in Chromium and submits; the organizer publishes the
results, which then show names, units and prizes."""
import re

import pytest
from playwright.sync_api import expect

from competitions.models import (AwardResult, AwardScope, ContestStatus, EventKind, Mark,
                                 MarkStatus, ResultsVisibility)
from tests.competitions import factories as f
from tests.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contest(org, people):
    contest = f.contest(org, name="江州市2026年文化市场行政执法岗位技能竞赛",
                        status=ContestStatus.MARKING,
                        prize_levels=[{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}],
                        results_visibility=ResultsVisibility.PUBLIC)
    event = f.event(contest, EventKind.DRAFTING, name="文书制作",
                    brief="根据给定案情，制作行政处罚决定书。")
    f.assign(event, people["judge"], seat="J1", is_chief=True)
    entrants = [org.person("contestant-a", org.east1, name="李明远").officer,
                org.person("contestant-b", org.east2, name="赵晓燕").officer]
    entries = []
    for officer, text in zip(entrants, ["当事人：某网吧……依据……决定罚款。",
                                        "当事人：某歌舞厅……决定警告。"]):
        entry = f.entry(contest, officer)
        f.submission(event, entry, text=text)
        entries.append(entry)
    return contest, event, entries


def mark_entry(page, live_server, event, entry, quality, typos):
    page.goto(f"{live_server.url}/contests/judge/event/{event.pk}/")
    page.click(f"a[href$='/{entry.blind_code}/']")
    # Wait for the marking page's load, not just its form: the submit button's confirmation
    # (forms.js) and the live total (marking.js) are wired by scripts at the end of the body.
    page.wait_for_url(re.compile(rf"/judge/event/{event.pk}/{re.escape(entry.blind_code)}/$"))
    page.fill("#level_quality", str(quality))
    page.check("input[name=measure_m_parties]")
    page.check("input[name=measure_m_basis]")
    page.fill("input[name=deduct_d_typo]", str(typos))
    page.fill("#comment", "要素齐全，个别用语不规范。")
    return page


def test_a_judge_marks_two_entries_and_the_organizer_publishes(page, live_server, people,
                                                              contest, browser):
    contest, event, entries = contest
    sign_in(page, live_server, "judge", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/contests/judge/event/{event.pk}/")
    listing = page.inner_text("#judge-submissions")
    for entry in entries:  # blind: codes only, never names or units
        assert entry.blind_code in listing and entry.officer.name not in listing
    page.on("dialog", lambda dialog: dialog.accept())

    mark_entry(page, live_server, event, entries[0], 36, 1)
    assert entries[0].officer.name not in page.content()
    screenshot(page, "contest-judge-marking.png")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(rf"/contests/judge/event/{event.pk}/$"))
    mark_entry(page, live_server, event, entries[1], 28, 3)
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(rf"/contests/judge/event/{event.pk}/$"))
    screenshot(page, "contest-judge-list.png")
    marks = Mark.objects.filter(submission__event=event, judge=people["judge"])
    assert marks.count() == 2 and all(m.status == MarkStatus.SUBMITTED for m in marks)
    assert sorted(float(m.points) for m in marks) == [82.0, 94.0]  # 36+30+30−2, 28+30+30−6

    organizer = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    org_page = organizer.new_page()
    org_page.set_default_timeout(20_000)
    sign_in(org_page, live_server, "organizer", PASSWORD)
    org_page.wait_for_url(re.compile(r"/me/$"))
    org_page.goto(f"{live_server.url}/contests/{contest.pk}/results/")
    # Both actions post and redirect back to this same URL: wait for that navigation.
    with org_page.expect_navigation():
        org_page.click("#compute-awards")
    expect(org_page.locator("#overall")).to_be_visible()
    expect(org_page.locator("#blockers")).to_have_count(0)
    with org_page.expect_navigation():
        org_page.click("#publish-results")
    expect(org_page.locator("#withdraw-results")).to_be_visible()
    expect(org_page.locator("#results-state")).to_contain_text("2026")
    table = org_page.locator("#overall")
    for text in ("李明远", "一等奖", "赵晓燕", "二等奖"):
        expect(table).to_contain_text(text)
    org_page.wait_for_function(
        "() => { const i = document.querySelector('#distribution img');"
        " return i && i.complete && i.naturalWidth > 0; }")
    screenshot(org_page, "contest-results.png")
    contest.refresh_from_db()
    assert contest.status == ContestStatus.PUBLISHED
    winner = AwardResult.objects.get(scope=AwardScope.OVERALL, prize="一等奖")
    assert winner.entry == entries[0]

    # The published results are public: an anonymous visitor sees them.
    anonymous = browser.new_context(locale="zh-CN")
    public = anonymous.new_page()
    public.goto(f"{live_server.url}/contests/{contest.pk}/results/")
    expect(public.locator("#overall")).to_contain_text("李明远")
    public.goto(f"{live_server.url}/contests/awards/verify/{winner.certificate_token}/")
    expect(public.locator("#verification")).to_contain_text("一等奖")
    anonymous.close()
    organizer.close()


def test_the_organizer_puts_a_substitute_in_a_team(page, live_server, org, people):
    from competitions import registration
    from competitions.models import Entry, EntryStatus

    contest = f.contest(org, name="江州市2026年文化市场行政执法岗位技能竞赛",
                        status=ContestStatus.REGISTRATION, team_size=2)
    f.event(contest, EventKind.DRAFTING, name="文书制作")
    a = org.person("team-a", org.east1, name="李明远").officer
    b = org.person("team-b", org.east1, name="赵晓燕").officer
    c = org.person("team-c", org.east1, name="孙立新").officer
    team, entries = registration.register_team(contest, org.east1, "东一大队代表队", [a, b],
                                               people["manager"])
    for entry in entries:
        registration.decide(entry, True, people["organizer"])
    registration.withdraw(contest, [entries[1]], people["organizer"], "赛前受伤")

    sign_in(page, live_server, "organizer", PASSWORD)
    page.wait_for_url(re.compile(r"/me/$"))
    page.goto(f"{live_server.url}/contests/{contest.pk}/entries/")
    page.click(f"#team-{team.pk} a[href$='/replace/']")
    page.wait_for_url(re.compile(r"/replace/$"))
    page.select_option("#id_officer", str(c.pk))
    page.fill("#id_reason", "赵晓燕赛前受伤，由孙立新替补")
    screenshot(page, "contest-team-substitute.png")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/entries/$"))
    expect(page.locator("#entries")).to_contain_text("孙立新")
    entry = Entry.objects.get(contest=contest, officer=c)
    assert entry.team == team and entry.status == EntryStatus.APPROVED
