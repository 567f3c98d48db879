"""Build contests, events, entries and marks quickly in tests."""
from decimal import Decimal

from django.utils import timezone

from competitions.models import (Contest, ContestStatus, Entry, EntryStatus, Event, EventKind,
                                 JudgeAssignment, Mark, MarkStatus, PlantedError, Rubric,
                                 Submission)
from competitions.rubric_spec import case_file_review_definition
from people.roles import Role

# A small rubric: a level criterion (40), a measured criterion (30 = 10 + 20), a pure
# deduction criterion (30) with a fixed and a ranged deduction, and one veto.
SMALL_RUBRIC = {
    "criteria": [
        {"code": "quality", "name": "文书质量", "max_points": 40,
         "levels": [{"name": "好", "low": 30, "high": 40}, {"name": "差", "low": 0, "high": 29}]},
        {"code": "elements", "name": "必备要素", "max_points": 30,
         "measures": [{"code": "m_parties", "name": "当事人信息完整", "points": 10},
                      {"code": "m_basis", "name": "处罚依据完整", "points": 20, "basic": True}]},
        {"code": "form", "name": "格式规范", "max_points": 30,
         "deductions": [{"code": "d_typo", "name": "错别字（每处）", "low": 2, "repeatable": True},
                        {"code": "d_layout", "name": "版式混乱", "low": 5, "high": 15}]},
    ],
    "vetoes": [{"code": "v_plagiarism", "name": "抄袭", "description": "与他人文书雷同"}],
}


def contest(org, name="2026年度技能竞赛", status=ContestStatus.MARKING, **fields):
    return Contest.objects.create(name=name, year=2026, organizer_unit=org.corps,
                                  status=status, **fields)


def rubric(definition=None, name="测试评分标准"):
    return Rubric.objects.create(name=name, definition=definition or SMALL_RUBRIC)


def review_rubric():
    return Rubric.objects.create(name="案卷评查（测试）", definition=case_file_review_definition())


def event(contest_, kind=EventKind.DRAFTING, name=None, **fields):
    if kind in (EventKind.DRAFTING, EventKind.PRACTICAL) and "rubric" not in fields:
        fields["rubric"] = rubric()
    return Event.objects.create(contest=contest_, kind=kind, name=name or f"项目{kind}",
                                **fields)


def key_error(event_, code, location, category="facts", points="10", description=""):
    return PlantedError.objects.create(event=event_, code=code, location=location,
                                       category=category, points=Decimal(points),
                                       description=description)


def entry(contest_, officer=None, status=EntryStatus.APPROVED, **fields):
    unit = officer.unit if officer is not None else None
    return Entry.objects.create(contest=contest_, officer=officer, unit=unit, status=status,
                                **fields)


def submission(event_, entry_, **fields):
    fields.setdefault("submitted_at", timezone.now())
    return Submission.objects.create(event=event_, entry=entry_, **fields)


def judge_user(org, username, unit=None):
    return org.person(username, unit or org.west1, Role.JUDGE)


def assign(event_, judge, seat="", role="panel", is_chief=False, only=()):
    assignment = JudgeAssignment.objects.create(event=event_, judge=judge, seat=seat, role=role,
                                                is_chief=is_chief)
    if only:
        assignment.submissions.add(*only)
    return assignment


def mark(submission_, judge, raw, status=MarkStatus.SUBMITTED, role="panel"):
    return Mark.objects.create(submission=submission_, judge=judge, raw=raw, status=status,
                               role=role,
                               submitted_at=timezone.now() if status != MarkStatus.DRAFT else None)


def level_raw(quality, measures=("m_parties", "m_basis"), deductions=(), vetoes=()):
    """Raw rubric marks for SMALL_RUBRIC."""
    return {"levels": {"quality": quality}, "measures_met": list(measures),
            "deductions": [{"code": c, "amount": a} for c, a in deductions],
            "vetoes": list(vetoes)}
