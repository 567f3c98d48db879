"""A contest being marked, whose contestants have distinctive names, units and files."""
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from competitions.models import Aggregation, ContestStatus, EventKind, Team
from people.models import UnitLevel

from . import factories as f

# Strings that must never reach a judge's eyes.
SECRETS = ["诸葛孔明", "司马仲达", "周公瑾", "卧龙岗特别大队", "五丈原特别大队", "卧龙队",
           "ZG-0001", "SM-0002", "ZY-0003"]


class Marking:
    """contest (marking) · drafting (rubric, 2 panel judges) · correction (key A, B)."""

    def __init__(self, org):
        org.east.refresh_from_db()
        self.unit_a = org.east.add_child(code="T-E-W", name="卧龙岗特别大队",
                                         level=UnitLevel.BRIGADE)
        org.east.refresh_from_db()
        self.unit_b = org.east.add_child(code="T-E-Z", name="五丈原特别大队",
                                         level=UnitLevel.BRIGADE)
        self.contest = f.contest(org, status=ContestStatus.MARKING)
        self.drafting = f.event(self.contest, EventKind.DRAFTING, name="文书制作",
                                aggregation=Aggregation.MEAN)
        self.correction = f.event(self.contest, EventKind.CORRECTION, name="案卷纠错",
                                  aggregation=Aggregation.MEAN, max_points=Decimal("30"),
                                  locations=["询问笔录第2页", "处罚决定书", "送达回证"])
        f.key_error(self.correction, "A", "询问笔录第2页", "facts", "10", "询问时间与笔录矛盾")
        f.key_error(self.correction, "B", "处罚决定书", "legal_basis", "20", "引用条款错误")
        team = Team.objects.create(contest=self.contest, unit=self.unit_a, name="卧龙队")
        self.entries, self.drafts, self.findings = [], [], []
        for index, (username, name, unit, badge) in enumerate([
                ("zg", "诸葛孔明", self.unit_a, "ZG-0001"),
                ("sm", "司马仲达", self.unit_b, "SM-0002"),
                ("zy", "周公瑾", self.unit_a, "ZY-0003")]):
            user = org.person(username, unit, name=name)
            user.officer.badge_number = badge
            user.officer.save()
            entry = f.entry(self.contest, user.officer, team=team if unit == self.unit_a else None)
            self.entries.append(entry)
            draft = f.submission(self.drafting, entry, text=f"处罚决定书（{index}）……")
            draft.file.save(f"{name}-处罚决定书.docx", ContentFile(b"PK fake docx"), save=True)
            self.drafts.append(draft)
            self.findings.append(f.submission(self.correction, entry, findings=[
                {"location": "询问笔录第2页", "category": "facts", "explanation": "时间不对"},
                {"location": "送达回证", "category": "procedure", "explanation": "未签收"}]))
        self.judge = f.judge_user(org, "judge1")
        self.judge2 = f.judge_user(org, "judge2")
        self.chief = f.judge_user(org, "chief")
        self.outsider_judge = f.judge_user(org, "judge3")
        for event in (self.drafting, self.correction):
            f.assign(event, self.judge, seat="J1")
            f.assign(event, self.judge2, seat="J2")
            f.assign(event, self.chief, seat="C", is_chief=True)

    def code(self, index):
        self.entries[index].refresh_from_db()
        return self.entries[index].blind_code


@pytest.fixture
def marking(org, people):
    return Marking(org)
