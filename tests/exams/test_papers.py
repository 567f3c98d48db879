"""Blueprints: every rule honoured, reproducible draws, no repeats, cases kept together."""
from collections import Counter
from decimal import Decimal

import pytest

from exams.models import (BlueprintRule, Paper, PaperKind, QuestionStatus, QuestionType,
                          QuestionVersion)
from exams.papers import BlueprintError, check_blueprint, draw, paper_summary

from .factories import category, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    law = category("通用法律/行政处罚法")
    force = category("通用法律/行政强制法")
    cafe = category("专门法规/互联网上网服务营业场所管理条例")
    for i in range(12):
        question(stem=f"处罚单选题{i}", cat=law, difficulty=1 + i % 5)
    for i in range(6):
        question(QuestionType.MULTIPLE, stem=f"强制多选题{i}", cat=force, correct=("A", "B"),
                 difficulty=3, tags=["重点"] if i < 3 else ())
    for i in range(5):
        question(QuestionType.TRUE_FALSE, stem=f"网吧判断题{i}", cat=cafe, answer_bool=i % 2 == 0)
    question(stem="已退役的题", cat=law, status=QuestionStatus.RETIRED)
    question(stem="草稿题", cat=law, status=QuestionStatus.DRAFT)
    case = question(QuestionType.CASE_ANALYSIS, stem="某网吧接纳未成年人……", cat=cafe, points="10")
    question(stem="案例小题1", cat=cafe, parent=case, position=1, points="4")
    question(QuestionType.SHORT_ANSWER, stem="案例小题2", cat=cafe, parent=case, position=2,
             points="6")
    return {"law": law, "force": force, "cafe": cafe, "general": law.get_parent(), "case": case}


def blueprint(bank, *rules, **options):
    paper = Paper.objects.create(title="月考蓝图", kind=PaperKind.BLUEPRINT, **options)
    for index, (cat, qtype, count, points, low, high, tag) in enumerate(rules):
        BlueprintRule.objects.create(paper=paper, category=bank[cat], qtype=qtype, count=count,
                                     points=Decimal(points), difficulty_min=low,
                                     difficulty_max=high, tag=tag, sort_order=index)
    return paper


def versions_of(items):
    ids = [item.version_id for item in items]
    return QuestionVersion.objects.in_bulk(ids), ids


def test_a_draw_honours_every_rule(bank):
    paper = blueprint(bank,
                      ("general", QuestionType.SINGLE, 5, "2", 2, 4, ""),
                      ("force", QuestionType.MULTIPLE, 3, "3", 1, 5, "重点"),
                      ("cafe", QuestionType.TRUE_FALSE, 4, "1", 1, 5, ""))
    items = draw(paper, seed="officer-1")
    versions, ids = versions_of(items)
    data = [versions[i].data for i in ids]
    assert len(ids) == len(set(ids)) == 12
    singles = [d for d in data if d["qtype"] == "single"]
    assert len(singles) == 5 and all(2 <= d["difficulty"] <= 4 for d in singles)
    assert all(d["category"].startswith("通用法律/") for d in singles)
    multiples = [v.question for v in versions.values() if v.qtype == "multiple"]
    assert len(multiples) == 3 and all("重点" in q.tags.names() for q in multiples)
    assert Counter(item.points for item in items) == {Decimal("2"): 5, Decimal("3"): 3,
                                                       Decimal("1"): 4}
    assert all("退役" not in d["stem_text"] and "草稿" not in d["stem_text"] for d in data)


def test_the_same_seed_gives_the_same_paper_and_another_seed_another(bank):
    paper = blueprint(bank, ("general", QuestionType.SINGLE, 6, "2", 1, 5, ""),
                      shuffle_options=True)
    first = draw(paper, seed=42)
    assert [(i.version_id, i.option_order) for i in draw(paper, seed=42)] == [
        (i.version_id, i.option_order) for i in first]
    others = {tuple(i.version_id for i in draw(paper, seed=s)) for s in range(5)}
    assert len(others) > 1


def test_option_order_is_shuffled_only_when_asked(bank):
    shuffled = blueprint(bank, ("general", QuestionType.SINGLE, 12, "1", 1, 5, ""),
                         shuffle_options=True)
    assert any(i.option_order != ["A", "B", "C", "D"] for i in draw(shuffled, seed=1))
    plain = blueprint(bank, ("general", QuestionType.SINGLE, 12, "1", 1, 5, ""),
                      shuffle_options=False)
    assert all(i.option_order == ["A", "B", "C", "D"] for i in draw(plain, seed=1))


def test_two_rules_over_the_same_pool_never_repeat_a_question(bank):
    paper = blueprint(bank, ("law", QuestionType.SINGLE, 6, "1", 1, 5, ""),
                      ("general", QuestionType.SINGLE, 6, "1", 1, 5, ""))
    ids = [i.question_id for i in draw(paper, seed=7)]
    assert len(ids) == len(set(ids)) == 12


def test_case_sub_questions_follow_their_case(bank):
    paper = blueprint(bank, ("cafe", QuestionType.CASE_ANALYSIS, 1, "20", 1, 5, ""),
                      ("cafe", QuestionType.TRUE_FALSE, 5, "1", 1, 5, ""),
                      shuffle_questions=True)
    for seed in range(5):
        items = draw(paper, seed=seed)
        case = next(i for i in items if i.question_id == bank["case"].pk)
        assert [c.points for c in case.children] == [Decimal("8.00"), Decimal("12.00")]
        flat = [entry.question_id for item in items for entry in item.flat()]
        start = flat.index(bank["case"].pk)
        assert flat[start + 1:start + 3] == [c.question_id for c in case.children]


def test_a_rule_the_bank_cannot_satisfy_says_how_many_are_missing(bank):
    paper = blueprint(bank, ("force", QuestionType.MULTIPLE, 5, "2", 1, 5, "重点"))
    [check] = check_blueprint(paper)
    assert (check.available, check.missing) == (3, 2)
    assert "缺 2 道" in check.message or "2" in check.message
    with pytest.raises(BlueprintError):
        draw(paper, seed=1)


def test_the_summary_gives_totals_and_the_mix(bank):
    paper = blueprint(bank, ("general", QuestionType.SINGLE, 5, "2", 2, 4, ""),
                      ("cafe", QuestionType.TRUE_FALSE, 4, "1", 1, 5, ""))
    summary = paper_summary(paper)
    assert summary["count"] == 9 and summary["total"] == Decimal("14")
    assert dict(summary["by_category"]) == {"通用法律": 5, "专门法规/互联网上网服务营业场所管理条例": 4}
