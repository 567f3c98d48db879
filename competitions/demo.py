"""
Demo contests: three years (2024, 2025, 2026) of the annual series 文化市场行政执法岗位技能竞赛.

Each year: 40 entrants — a team of three from each of the 12 brigades, plus four
individual entrants — in four events (knowledge quiz on an exam of the exam engine,
document drafting judged against the shipped 案卷评查 standard, case-file error
correction on a library case with a hidden answer key, and a practical 网络案件固定
judged against its own rubric). Five judges mark: one lenient, one who gives everyone
nearly the same mark (打保险分), one strict, two even-handed. Every mark is stored raw and
scored by competitions.scoring; awards follow the contest's rules. 2024 and 2025 are
published; 2026 is still in marking, with marks missing, so its publication is blocked.

Idempotent: a year whose contest already has entries is left as it is.
"""
import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from people.models import Officer, OfficerStatus, Unit
from people.roles import Role

from . import awards, scoring
from .models import (Aggregation, Contest, ContestStatus, Entry, EntryStatus, Event, EventKind,
                     JudgeAssignment, Mark, MarkStatus, PenaltyKind, PlantedError,
                     ResultsVisibility, Rubric, Submission, Team, TeamAwardRule, TeamScoreRule)
from .rubric_spec import case_file_review_definition, ensure_builtin_rubrics

SERIES = "文化市场行政执法岗位技能竞赛"
YEARS = {
    2024: {"day": dt.date(2024, 11, 12), "published": dt.date(2024, 11, 29), "picks": (0, 1, 2),
           "visibility": ResultsVisibility.PUBLIC, "team_rule": TeamAwardRule.SCORES,
           "best": ("JZ-02-1", "参赛准备充分，组织集训三轮，全员按时参赛，赛风赛纪良好。")},
    2025: {"day": dt.date(2025, 11, 11), "published": dt.date(2025, 11, 28), "picks": (0, 1, 3),
           "visibility": ResultsVisibility.PARTICIPANTS, "team_rule": TeamAwardRule.POINTS,
           "best": ("JZ-01-1", "以赛促训成效明显，队员成绩整体提升，组织保障有力。")},
    2026: {"day": dt.date(2026, 11, 17), "published": None, "picks": (0, 3, 4),
           "visibility": ResultsVisibility.PARTICIPANTS, "team_rule": TeamAwardRule.POINTS,
           "best": None},
}
# Individual entrants outside the teams: (brigade, index into its officers).
SOLO = [("JZ-01-2", 5), ("JZ-02-1", 5), ("JZ-03-3", 5), ("JZ-04-2", 5)]

# Judges (seats J1–J5) and how they mark: the demo account 郑国华 is the chief judge; the
# other four are demo officers of these brigades (no new accounts, so the other demos'
# per-officer data — certificates, exam history — is not changed by this one).
JUDGES = [
    ("judge", "even"),
    ("JZ-03-2", "lenient"),
    ("JZ-04-3", "flat"),       # 打保险分: everyone nearly the same
    ("JZ-01-3", "strict"),
    ("JZ-02-3", "even"),
]
STYLE = {  # (share of defects seen, severity within a ranged deduction, level bias)
    "even": (0.85, 0.5, 0.0),
    "lenient": (0.6, 0.25, 0.08),
    "strict": (0.95, 0.8, -0.06),
    "flat": (0, 0, 0),
}

PRACTICAL_RUBRIC = "网络案件电子数据固定操作评分标准"
PRACTICAL_DEFINITION = {
    "criteria": [
        {"code": "capture", "name": "电子数据提取与固定", "max_points": 40,
         "levels": [{"name": "优", "low": 32, "high": 40, "description": "提取完整，方法规范"},
                    {"name": "良", "low": 24, "high": 31.5, "description": "基本完整，个别步骤不规范"},
                    {"name": "中", "low": 16, "high": 23.5, "description": "遗漏部分关键数据"},
                    {"name": "差", "low": 0, "high": 15.5, "description": "未能有效固定"}]},
        {"code": "integrity", "name": "完整性校验与过程记录", "max_points": 30,
         "measures": [{"code": "m_hash", "name": "计算并记录哈希校验值", "points": 10,
                       "basic": True},
                      {"code": "m_screen", "name": "提取过程全程录屏", "points": 10},
                      {"code": "m_witness", "name": "见证人签字确认", "points": 10}]},
        {"code": "record", "name": "工作记录与文书", "max_points": 30,
         "deductions": [{"code": "r_time", "name": "提取时间记录缺失或错误", "low": 3},
                        {"code": "r_source", "name": "未记录网址、账号等来源信息", "low": 5,
                         "high": 10},
                        {"code": "r_typo", "name": "记录文字差错（每处）", "low": 1,
                         "repeatable": True}]},
    ],
    "vetoes": [{"code": "v_tamper", "name": "改动原始数据",
                "description": "提取过程中改动了原始电子数据"}],
}

# The case file of the correction event: places a contestant may point at, and the
# errors planted by the organizer (this demo's own wording, not statute text).
LOCATIONS = ["立案审批表", "现场检查笔录", "询问笔录第1页", "询问笔录第2页", "证据登记保存清单",
             "案件调查终结报告", "行政处罚事先告知书", "法制审核意见书", "行政处罚决定书",
             "送达回证"]
KEY = [
    ("E1", "现场检查笔录", "subject", "检查人员仅一人签名，另一名执法人员未签名"),
    ("E2", "询问笔录第2页", "evidence", "被询问人未在修改处捺印确认"),
    ("E3", "证据登记保存清单", "procedure", "先行登记保存未经负责人批准"),
    ("E4", "案件调查终结报告", "facts", "违法经营起止时间与询问笔录记载不一致"),
    ("E5", "行政处罚决定书", "legal_basis", "引用的处罚条款与认定的违法行为不对应"),
    ("E6", "送达回证", "documents", "送达日期早于决定书作出日期"),
]
FALSE_REASONS = ["文书格式不规范", "签名位置错误", "日期书写不规范", "缺少页码"]


def _dt(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _judges(groups):
    """Return [(user, style)] of the five judges, giving them the judge role."""
    User = get_user_model()
    judges = []
    for who, style in JUDGES:
        if "-" in who:
            officer = (Officer.objects.filter(unit__code=who, status=OfficerStatus.ACTIVE,
                                              badge_number__startswith="3201")
                       .select_related("user").order_by("-badge_number").first())
            user = officer.user if officer else None
        else:
            user = User.objects.filter(username=who).first()
        if user is None:
            continue
        user.groups.add(groups[Role.OFFICER], groups[Role.JUDGE])
        judges.append((user, style))
    return judges


def _contestants(brigades, picks, judges):
    """Return [(officer, brigade, in team)] for one year: 3 per brigade team + 4 solo."""
    chosen = []
    officers = {}
    judge_ids = [user.pk for user, _style in judges]
    for brigade in brigades:
        pool = list(Officer.objects.filter(unit=brigade, status=OfficerStatus.ACTIVE,
                                           badge_number__startswith="3201")
                    .exclude(user_id__in=judge_ids)
                    .select_related("user").order_by("badge_number")[:8])
        demo = Officer.objects.filter(unit=brigade, user__username="officer").first()
        if demo is not None:
            pool = [demo] + pool   # the demo officer 陈晓明 enters every year
        officers[brigade.code] = pool
        chosen += [(pool[i], brigade, True) for i in picks if i < len(pool)]
    by_code = {b.code: b for b in brigades}
    for code, index in SOLO:
        pool = officers.get(code, [])
        if index < len(pool):
            chosen.append((pool[index], by_code[code], False))
    return chosen


def _quiz_exam(year, day, officers):
    """The knowledge quiz: an exam of the exam engine, with marked attempts."""
    from exams import demo as exam_demo
    from exams.models import Exam, ExamKind, ExamStatus, ReviewFrom

    exam_demo.seed_bank()   # nothing to do when the exams demo ran first
    paper = exam_demo.monthly_paper()
    opens = _dt(day, 9)
    exam, created = Exam.objects.get_or_create(
        title=f"{year}年文化市场行政执法岗位技能竞赛·知识竞赛", defaults={
            "kind": ExamKind.CONTEST, "paper": paper, "opens_at": opens,
            "closes_at": opens + dt.timedelta(days=9), "duration_minutes": 60,
            "status": ExamStatus.PUBLISHED, "published_at": opens - dt.timedelta(days=7),
            "review_from": ReviewFrom.AFTER_CLOSE})
    if created:
        exam.eligible_officers.add(*[o for o, _a in officers])
        ability = {o.pk: a for o, a in officers}
        exam_demo._history(exam, [o for o, _a in officers], ability, trend=0,
                           rng=random.Random(year))
    return exam


def _rubric_marks_review(rng, items, quality, style):
    """Raw marks on the 案卷评查 standard: the defects a judge finds, with amounts."""
    seen, severity, _bias = STYLE[style]
    if style == "flat":
        # 打保险分: about the same deductions for everybody, whatever the file.
        picks = [("p_order", 2), ("c_language", 2), ("c_citation", 3), ("c_discretion", 4)]
        return {"levels": {}, "measures_met": [], "vetoes": [],
                "deductions": [{"code": c, "amount": a + rng.choice([0, 0, 1])}
                               if items[c]["high"] is not None else {"code": c, "amount": None}
                               for c, a in picks]}
    deductions = []
    for code in quality["defects"]:
        if rng.random() > seen:
            continue
        item = items[code]
        if item["high"] is None:
            amount = None
        else:
            low, high = Decimal(str(item["low"])), Decimal(str(item["high"]))
            amount = low + (high - low) * Decimal(str(min(1, max(0, severity
                                                                 + rng.uniform(-0.2, 0.2)))))
            amount = float((amount * 2).quantize(Decimal("1")) / 2)
        deductions.append({"code": code, "amount": amount})
    return {"levels": {}, "measures_met": [], "vetoes": [], "deductions": deductions}


def _review_items():
    items = {}
    for criterion in case_file_review_definition()["criteria"]:
        for item in criterion.get("deductions", []):
            items[item["code"]] = {"low": item["low"], "high": item.get("high"),
                                   "repeatable": item.get("repeatable", False)}
    return items


def _defects(rng, items, skill):
    """The defects of one contestant's case file: more for weaker contestants."""
    count = max(0, round((1 - skill) * 14 + rng.gauss(0, 1.2)))
    singles = [c for c, i in items.items() if not i["repeatable"]]
    repeats = [c for c, i in items.items() if i["repeatable"]]
    defects = rng.sample(singles, min(len(singles), count))
    defects += [rng.choice(repeats) for _i in range(max(0, count - len(singles)) + (
        1 if rng.random() < 1 - skill else 0))]
    return defects


def _practical_marks(rng, truth, style):
    seen, _severity, bias = STYLE[style]
    if style == "flat":
        return {"levels": {"capture": 30 + rng.choice([0, 0.5, 1])},
                "measures_met": ["m_hash", "m_screen", "m_witness"],
                "deductions": [{"code": "r_typo", "amount": None}], "vetoes": []}
    level = min(40.0, max(0.0, 40 * (truth["skill"] + bias + rng.gauss(0, 0.04))))
    level = round(level * 2) / 2
    deductions = [{"code": code, "amount": amount} for code, amount in truth["record"]
                  if rng.random() <= max(seen, 0.5)]
    if style == "lenient":
        deductions = [d if d["code"] != "r_source" else {"code": "r_source", "amount": 5}
                      for d in deductions]
    return {"levels": {"capture": level}, "measures_met": list(truth["measures"]),
            "deductions": deductions, "vetoes": []}


def _practical_truth(rng, skill):
    measures = [m for m, need in (("m_hash", 0.45), ("m_screen", 0.3), ("m_witness", 0.55))
                if rng.random() < skill + need - 0.3]
    record = []
    if rng.random() > skill:
        record.append(("r_time", None))
    if rng.random() > skill + 0.1:
        record.append(("r_source", rng.choice([5, 6, 8, 10])))
    record += [("r_typo", None)] * max(0, round((1 - skill) * 5 + rng.gauss(0, 1)))
    return {"skill": skill, "measures": measures, "record": record}


def _findings(rng, skill):
    """A contestant's findings in the case file, and the truth a judge rules on."""
    findings, truths = [], []
    for code, location, category, description in KEY:
        if rng.random() < skill + 0.05:
            right = rng.random() < skill
            findings.append({"location": location, "category": category if right else
                             rng.choice(["facts", "procedure", "documents"]),
                             "explanation": description if right else "文书存在瑕疵"})
            truths.append(right)
    clean = [place for place in LOCATIONS if place not in {k[1] for k in KEY}]
    for _i in range(max(0, round((1 - skill) * 3 + rng.gauss(0, 0.7)))):
        findings.append({"location": rng.choice(clean), "category": "documents",
                         "explanation": rng.choice(FALSE_REASONS)})
        truths.append(False)
    order = list(range(len(findings)))
    rng.shuffle(order)
    return [findings[i] for i in order], [truths[i] for i in order]


def _events(contest, year, day, exam, review, practical, case):
    specs = [
        ("知识竞赛", EventKind.QUIZ, 30, {"exam": exam}),
        ("文书制作及案卷归档", EventKind.DRAFTING, 25, {"rubric": review}),
        ("案卷纠错", EventKind.CORRECTION, 25, {
            "case": case, "locations": LOCATIONS, "aggregation": Aggregation.MEAN,
            "penalty_kind": PenaltyKind.FIXED, "penalty_value": Decimal("2"),
            "brief": "阅读案卷，指出其中存在的错误，写明位置、类别和理由。"}),
        ("网络案件电子数据固定", EventKind.PRACTICAL, 20, {"rubric": practical}),
    ]
    events = []
    for order, (name, kind, weight, extra) in enumerate(specs, start=1):
        events.append(Event.objects.create(
            contest=contest, name=name, kind=kind, sort_order=order, weight=Decimal(weight),
            prize_levels=[{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2},
                          {"name": "三等奖", "count": 3}],
            opens_at=_dt(day, 8 + order), closes_at=_dt(day, 9 + order), **extra))
    correction = events[2]
    PlantedError.objects.bulk_create([
        PlantedError(event=correction, code=code, location=location, category=category,
                     points=Decimal("10"), description=description)
        for code, location, category, description in KEY])
    return events


def _seed_year(year, spec, units, judges, organizer, review, practical, case, ability, rng):
    corps = units["JZ"]
    rule = spec["team_rule"]
    contest, _created = Contest.objects.get_or_create(
        series=SERIES, year=year, defaults={
            "name": f"江州市{year}年文化市场行政执法岗位技能竞赛", "organizer_unit": corps,
            "status": ContestStatus.MARKING, "starts_on": spec["day"],
            "ends_on": spec["day"] + dt.timedelta(days=1), "created_by": organizer,
            "description": "全市文化市场综合执法队伍年度岗位练兵技能竞赛，设知识竞赛、"
                           "文书制作及案卷归档、案卷纠错、网络案件电子数据固定四个项目。",
            "team_size": 3, "team_score_rule": TeamScoreRule.SUM,
            "prize_levels": [{"name": "一等奖", "share": "0.1"}, {"name": "二等奖", "share": "0.2"},
                             {"name": "三等奖", "share": "0.3"}],
            "prize_cap_per_unit": 2, "team_award_rule": rule,
            "team_prize_levels": [{"name": "团体一等奖", "count": 1},
                                  {"name": "团体二等奖", "count": 2},
                                  {"name": "团体三等奖", "count": 3}],
            "award_points": {"一等奖": 8, "二等奖": 4, "三等奖": 2},
            "tie_break": [{"name": "time", "higher_first": False}],
            "results_visibility": spec["visibility"]})
    if contest.entries.exists():
        return contest, False
    brigades = [u for code, u in sorted(units.items()) if code.count("-") == 2]
    contest.participating_units.set(brigades)
    people = _contestants(brigades, spec["picks"], judges)
    growth = (year - 2024) * 0.025
    skills = {o.pk: min(0.97, max(0.35, ability[o.pk] + growth)) for o, _b, _t in people}
    exam = _quiz_exam(year, spec["day"], [(o, skills[o.pk]) for o, _b, _t in people])
    events = _events(contest, year, spec["day"], exam, review, practical, case)
    quiz, drafting, correction, practical_event = events
    teams = {b.pk: Team.objects.create(contest=contest, unit=b, name=f"{b.name}代表队")
             for b in brigades}
    decided = _dt(spec["day"] - dt.timedelta(days=10))
    entries = Entry.objects.bulk_create([
        Entry(contest=contest, officer=o, unit=b, team=teams[b.pk] if in_team else None,
              status=EntryStatus.APPROVED, registered_by=organizer, decided_by=organizer,
              decided_at=decided) for o, b, in_team in people])
    for entry in entries:
        entry.skill = skills[entry.officer_id]
    submitted = _dt(spec["day"], 11)
    items = _review_items()
    subs = []
    for entry in entries:
        for event in events:
            sub = Submission(event=event, entry=entry, submitted_at=submitted,
                             completion_seconds=rng.randint(1500, 3500)
                             if event.kind != EventKind.QUIZ else None)
            if event.kind == EventKind.CORRECTION:
                sub.findings, sub.truths = _findings(rng, entry.skill)
            subs.append(sub)
    Submission.objects.bulk_create(subs)

    panel = [JudgeAssignment(event=event, judge=user, seat=f"J{n}", is_chief=n == 1)
             for event in (drafting, practical_event)
             for n, (user, _style) in enumerate(judges, start=1)]
    panel += [JudgeAssignment(event=correction, judge=judges[i][0], seat=f"J{i + 1}",
                              is_chief=i == 0) for i in (0, 3)]
    JudgeAssignment.objects.bulk_create(panel)

    in_marking = spec["published"] is None
    marks = []
    for sub in subs:
        event = sub.event
        if event.kind == EventKind.QUIZ:
            continue
        skill = sub.entry.skill
        if event.kind == EventKind.DRAFTING:
            truth = {"defects": _defects(rng, items, skill)}
        elif event.kind == EventKind.PRACTICAL:
            truth = _practical_truth(rng, skill)
        panel_judges = judges if event.kind != EventKind.CORRECTION else [judges[0], judges[3]]
        for index, (user, style) in enumerate(panel_judges):
            if event.kind == EventKind.DRAFTING:
                raw = _rubric_marks_review(rng, items, truth, style)
            elif event.kind == EventKind.PRACTICAL:
                raw = _practical_marks(rng, truth, style)
            else:
                raw = {"verdicts": [{"finding": i, "reason_ok": ok, "confirmed_key": None}
                                    for i, ok in enumerate(sub.truths)]}
            status = MarkStatus.SUBMITTED
            if in_marking and event.kind == EventKind.PRACTICAL and index == 4 \
                    and sub.entry.pk % 4 == 0:
                continue   # the fifth judge has not reached these yet
            if in_marking and event.kind == EventKind.DRAFTING and index == 0 \
                    and sub.entry.pk % 5 == 0:
                status = MarkStatus.DRAFT   # the chief judge's drafts, not submitted
            marks.append(Mark(submission=sub, judge=user, raw=raw, status=status,
                              comment="" if rng.random() < 0.8 else "整体规范，个别细节需改进",
                              submitted_at=submitted + dt.timedelta(days=2)
                              if status == MarkStatus.SUBMITTED else None))
    Mark.objects.bulk_create(marks)
    scoring.score_contest(contest)
    if not in_marking:
        _publish(contest, spec, units, organizer)
    else:
        try:
            awards.compute_awards(contest, organizer)   # the organizer's preview
        except awards.AwardsError:
            pass
    return contest, True


def _publish(contest, spec, units, organizer):
    """Clear the judges' disagreement flags after the panel's review, then publish."""
    cleared = timezone.now()
    flagged = [p.submission.pk for p in scoring.unresolved(contest)
               if p.code == scoring.DISAGREEMENT]
    Submission.objects.filter(pk__in=flagged).update(
        flag_cleared_by=organizer, flag_cleared_at=cleared,
        flag_note="评审组复核：分差系评委尺度差异，维持原评分。")
    code, reason = spec["best"]
    awards.set_best_organisation(contest, units[code], reason, organizer)
    awards.publish(contest, organizer)
    Contest.objects.filter(pk=contest.pk).update(
        published_at=_dt(spec["published"], 16), status=ContestStatus.PUBLISHED)


@transaction.atomic
def seed():
    """Create the three demo contests (idempotent); return a summary."""
    from cases_library.models import CasePage

    User = get_user_model()
    units = {u.code: u for u in Unit.objects.filter(code__startswith="JZ")}
    organizer = User.objects.filter(username="organizer").first()
    if "JZ" not in units or organizer is None:
        return "no demo organisation"
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    judges = _judges(groups)
    if len(judges) < len(JUDGES):
        return "the demo officers are missing: seed people first"
    review = ensure_builtin_rubrics()
    practical, _created = Rubric.objects.get_or_create(
        name=PRACTICAL_RUBRIC, defaults={"definition": PRACTICAL_DEFINITION,
                                         "description": "网络案件电子数据提取固定实操项目评分用。"})
    case = CasePage.objects.live().order_by("pk").first()
    rng = random.Random(20241112)
    officers = Officer.objects.filter(unit__code__startswith="JZ").order_by("pk")
    ability = {pk: rng.gauss(0.68, 0.1) for pk in officers.values_list("pk", flat=True)}
    made = []
    for year, spec in YEARS.items():
        contest, created = _seed_year(year, spec, units, judges, organizer, review, practical,
                                      case, ability, random.Random(year))
        if created:
            made.append(str(year))
    count = Contest.objects.filter(series=SERIES).count()
    return f"{count} contests in the series ({', '.join(made) or 'none'} new)"
