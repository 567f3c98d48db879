"""
Demo question bank and exam history, generated from the real statute texts.

Every question quotes or cites an article of a statute in content/demo_data/laws (the
files from ../shared/laws); nothing of the law is written from memory. Then: a monthly
blueprint, 24 past monthly exams (the managers' year-on-year view needs two years) with attempts by the demo officers (a spread of scores,
some absentees, a slow upward trend), this month's exam (open now) and an upcoming one.
"""
import datetime as dt
import random
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from people.models import Officer, OfficerStatus, Unit

from .blocks import stem_from_html
from .models import (Attempt, AttemptItem, AttemptStatus, BlueprintRule, Category, Exam,
                     ExamKind, ExamStatus, MonthlyPlan, Paper, PaperKind, Question,
                     QuestionOption, QuestionStatus, QuestionType, QuestionVersion, ReviewFrom,
                     SubmitReason)
from .papers import draw
from .versions import sync_version

LAW_FILES = {
    "行政处罚法(2021-01-22).md": ("通用法律", "行政处罚法"),
    "行政强制法(2011-06-30).md": ("通用法律", "行政强制法"),
    "互联网上网服务营业场所管理条例(2022-03-29).md": ("专门法规", "互联网上网服务营业场所管理条例"),
    "娱乐场所管理条例(2020-11-29).md": ("专门法规", "娱乐场所管理条例"),
    "营业性演出管理条例(2020-11-29).md": ("专门法规", "营业性演出管理条例"),
    "出版管理条例(2020-11-29).md": ("专门法规", "出版管理条例"),
}
NUMBER_TERM = re.compile(r"[一二三四五六七八九十百千万两0-9]+(?:个工作日|个月|日|年|万元|元|倍|人)")
ITEM_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）](.+?)[；;。]?$")
MARKER = "lianbing-demo"
HISTORY_MONTHS = 24
# Scores rise slowly: about +10% on the previous year's average, as units report.
MONTHLY_GAIN = 0.0055


def law_dir():
    own = Path(settings.BASE_DIR) / "content" / "demo_data" / "laws"
    return own if own.exists() else Path(settings.BASE_DIR).parent / "shared" / "laws"


def load_laws():
    """Return [(short title, category path, ParsedLaw)] for the demo statutes."""
    from content.lawtext import parse_law

    laws = []
    for name, path in LAW_FILES.items():
        file = law_dir() / name
        if not file.exists():
            file = Path(settings.BASE_DIR).parent / "shared" / "laws" / name
        if file.exists():
            law = parse_law(file.read_text(encoding="utf-8"))
            laws.append((path[1], list(path), law))
    return laws


def _first_sentence(text, limit=60):
    sentence = re.split(r"[。；]", text)[0]
    return sentence if len(sentence) <= limit else sentence[:limit] + "……"


# Questions kept per statute and type: about 45 a statute, 270 in all (≥ 200, quick to seed).
QUOTAS = {QuestionType.SINGLE: 14, QuestionType.MULTIPLE: 6, QuestionType.TRUE_FALSE: 14,
          QuestionType.FILL_BLANK: 10, QuestionType.SHORT_ANSWER: 3}


def question_specs(laws, rng):
    """Yield dicts describing questions (type, stem, key, legal basis) from the articles."""
    for short, path, law in laws:
        yield from _law_specs(short, path, law, rng)


def _law_specs(short, path, law, rng):
    taken = dict.fromkeys(QUOTAS, 0)
    for spec in _article_specs(short, path, law, rng):
        if taken[spec["qtype"]] < QUOTAS[spec["qtype"]]:
            taken[spec["qtype"]] += 1
            yield spec


def _article_specs(short, path, law, rng):
    articles = [a for a in law.articles if len(a.text) > 30]
    for article in articles:
        cite = f"《{short}》{article.label}"
        text = article.paragraphs[0]
        terms = NUMBER_TERM.findall(text)
        items = [m.group(2) for p in article.paragraphs[1:] if (m := ITEM_RE.match(p))]
        if len(items) >= 4:
            wrong = [other for a in rng.sample(articles, min(6, len(articles)))
                     for p in a.paragraphs[1:] if (m := ITEM_RE.match(p))
                     for other in [m.group(2)] if a is not article][:2]
            if len(wrong) >= 1:
                right = items[:4]
                yield {"qtype": QuestionType.MULTIPLE, "path": path, "cite": cite,
                       "stem": f"根据{cite}，下列属于该条所列情形的有（　　）。",
                       "options": [(t, True) for t in right] + [(t, False) for t in wrong],
                       "explanation": f"{cite}：{article.text}", "difficulty": 3}
        if terms:
            term = terms[0]
            blanked = text.replace(term, "____", 1)
            yield {"qtype": QuestionType.FILL_BLANK, "path": path, "cite": cite,
                   "stem": f"根据{cite}：{blanked}", "blanks": [term],
                   "explanation": f"{cite}：{text}", "difficulty": 3}
            other = next((t for t in NUMBER_TERM.findall(law_text(law)) if t != term
                          and t[-1] == term[-1]), None)
            if other:
                yield {"qtype": QuestionType.TRUE_FALSE, "path": path, "cite": cite,
                       "stem": f"根据{cite}：{text.replace(term, other, 1)}",
                       "answer_bool": False, "difficulty": 2,
                       "explanation": f"错误。{cite}规定的是“{term}”：{text}"}
        else:
            yield {"qtype": QuestionType.TRUE_FALSE, "path": path, "cite": cite,
                   "stem": f"根据{cite}：{text}", "answer_bool": True, "difficulty": 1,
                   "explanation": f"正确，见{cite}。"}
        distractors = [a for a in rng.sample(articles, min(4, len(articles)))
                       if a is not article][:3]
        if len(distractors) == 3:
            yield {"qtype": QuestionType.SINGLE, "path": path, "cite": cite,
                   "stem": f"下列规定中，出自{cite}的是（　　）。",
                   "options": [(_first_sentence(text), True)]
                   + [(_first_sentence(a.paragraphs[0]), False) for a in distractors],
                   "explanation": f"{cite}：{text}", "difficulty": 2}
    for article in articles[:3]:
        cite = f"《{short}》{article.label}"
        yield {"qtype": QuestionType.SHORT_ANSWER, "path": path, "cite": cite,
               "stem": f"请简述{cite}的主要内容，并结合执法实践说明其适用要点。",
               "reference_answer": article.text,
               "scoring_points": [_first_sentence(p, 40) for p in article.paragraphs[:3]],
               "explanation": f"{cite}：{article.text}", "difficulty": 4, "points": "10"}


def law_text(law):
    return "\n".join(a.text for a in law.articles)


def _create(spec, categories):
    path = tuple(spec["path"])
    if path not in categories:
        categories[path] = Category.get_or_create_path(list(path))
    question = Question.objects.create(
        qtype=spec["qtype"], category=categories[path], stem=stem_from_html(f"<p>{spec['stem']}</p>"),
        explanation=spec.get("explanation", ""), legal_basis=spec["cite"],
        answer_bool=spec.get("answer_bool"), blank_answers="\n".join(spec.get("blanks", [])),
        reference_answer=spec.get("reference_answer", ""),
        scoring_points="\n".join(spec.get("scoring_points", [])),
        difficulty=spec["difficulty"], points=Decimal(spec.get("points", "2")),
        status=QuestionStatus.ACTIVE)
    QuestionOption.objects.bulk_create([
        QuestionOption(question=question, text=text[:1000], is_correct=correct, sort_order=i)
        for i, (text, correct) in enumerate(spec.get("options", []))])
    question.tags.add(MARKER)
    question.save()
    sync_version(question)
    return question


def seed_bank():
    """Create the demo bank (at least 200 questions) unless it exists; return the count."""
    existing = Question.objects.filter(tags__name=MARKER).count()
    if existing:
        return existing
    rng = random.Random(2026)
    categories = {}
    count = 0
    for spec in question_specs(load_laws(), rng):
        _create(spec, categories)
        count += 1
    return count


def monthly_paper():
    paper, created = Paper.objects.get_or_create(
        title="一月一学法一考试（标准蓝图）",
        defaults={"kind": PaperKind.BLUEPRINT, "shuffle_questions": True, "shuffle_options": True,
                  "description": "单选10题、多选4题、判断6题、填空4题，共100分。"})
    if created:
        roots = {c.name: c for c in Category.get_root_nodes()}
        general = roots.get("通用法律") or Category.get_root_nodes().first()
        special = roots.get("专门法规") or general
        for order, (cat, qtype, count, points) in enumerate([
            (general, QuestionType.SINGLE, 6, "4"), (special, QuestionType.SINGLE, 4, "4"),
            (general, QuestionType.MULTIPLE, 2, "5"), (special, QuestionType.MULTIPLE, 2, "5"),
            (general, QuestionType.TRUE_FALSE, 3, "4"), (special, QuestionType.TRUE_FALSE, 3, "4"),
            (special, QuestionType.FILL_BLANK, 4, "4"),
        ]):
            BlueprintRule.objects.create(paper=paper, category=cat, qtype=qtype, count=count,
                                         points=Decimal(points), sort_order=order)
    return paper


def _months_back(today, count):
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
    return list(reversed(months))


def seed_exams():
    """Create the exam history (24 past months), this month's open exam and an upcoming one."""
    from .plans import exam_for_month, month_window

    paper = monthly_paper()
    corps = Unit.objects.filter(code="JZ").first()
    if corps is None:
        return "no demo organisation"
    plan, _created = MonthlyPlan.objects.get_or_create(
        title="{month}学法考试", defaults={"paper": paper, "opens_day": 20,
                                         "opens_time": dt.time(8, 0), "duration_minutes": 60})
    plan.eligible_units.add(corps)
    today = timezone.localdate()
    officers = list(Officer.objects.filter(unit__path__startswith=corps.path,
                                           status=OfficerStatus.ACTIVE).order_by("pk"))
    rng = random.Random(11)
    ability = {o.pk: rng.gauss(0.66, 0.1) for o in officers}
    made = 0
    for index, (year, month) in enumerate(_months_back(today, HISTORY_MONTHS)):
        period = f"{year:04d}-{month:02d}"
        if Exam.objects.filter(plan=plan, period=period).exists():
            continue
        opens, closes = month_window(plan, year, month)
        exam = Exam.objects.create(
            title=f"{year}年{month}月学法考试", kind=ExamKind.MONTHLY, paper=paper, opens_at=opens,
            closes_at=closes, status=ExamStatus.PUBLISHED, published_at=opens, plan=plan,
            period=period, review_from=ReviewFrom.AFTER_CLOSE)
        exam.eligible_units.add(corps)
        _history(exam, officers, ability, trend=MONTHLY_GAIN * index, rng=rng)
        made += 1
    exam_for_month(plan, today.year, today.month)  # open now from the 20th (drawn by a job)
    upcoming_open = timezone.make_aware(dt.datetime.combine(
        today + dt.timedelta(days=14), dt.time(9, 0)))
    qualification, created = Exam.objects.get_or_create(
        title="2026年度执法资格考试", defaults={
            "kind": ExamKind.QUALIFICATION, "paper": paper, "opens_at": upcoming_open,
            "closes_at": upcoming_open + dt.timedelta(days=3), "duration_minutes": 90,
            "status": ExamStatus.PUBLISHED, "published_at": timezone.now(),
            "review_from": ReviewFrom.AFTER_CLOSE, "pass_mark": Decimal("60")})
    if created:
        qualification.eligible_units.add(corps)
    return f"{made} past exams"


def _history(exam, officers, ability, trend, rng):
    """Store marked attempts for ~92% of the officers, scores drifting upwards over months."""
    attempts, items_by_attempt = [], []
    version_cache = {}
    variants = [draw(exam.paper, seed=f"demo:{exam.period}:{n}") for n in range(6)]
    for number, officer in enumerate(officers):
        if rng.random() < 0.08:
            continue  # absent 未参考
        drawn = variants[number % len(variants)]
        skill = min(0.98, max(0.3, ability[officer.pk] + trend + rng.gauss(0, 0.05)))
        submitted = exam.opens_at + dt.timedelta(days=rng.randint(0, 8), minutes=rng.randint(5, 50))
        attempt = Attempt(exam=exam, officer=officer, seed="demo", status=AttemptStatus.MARKED,
                          started_at=submitted - dt.timedelta(minutes=rng.randint(15, 55)),
                          deadline=submitted + dt.timedelta(minutes=30), submitted_at=submitted,
                          submit_reason=SubmitReason.OFFICER)
        rows, score, total = [], Decimal("0"), Decimal("0")
        for position, item in enumerate(drawn, start=1):
            if item.version_id not in version_cache:
                version_cache[item.version_id] = QuestionVersion.objects.get(pk=item.version_id)
            data = version_cache[item.version_id].data
            right = rng.random() < skill
            answer = _answer(data, right, rng)
            earned = item.points if right else Decimal("0")
            score += earned
            total += item.points
            rows.append(AttemptItem(position=position, version_id=item.version_id,
                                    points=item.points, option_order=item.option_order,
                                    answer=answer, earned=earned, answered_at=submitted))
        attempt.score, attempt.max_score = score, total
        attempt.passed = score * 100 >= exam.pass_mark * total
        attempts.append(attempt)
        items_by_attempt.append(rows)
    Attempt.objects.bulk_create(attempts)
    for attempt, rows in zip(attempts, items_by_attempt):
        for row in rows:
            row.attempt = attempt
    AttemptItem.objects.bulk_create([row for rows in items_by_attempt for row in rows],
                                    batch_size=2000)
    QuestionVersion.objects.filter(pk__in=list(version_cache)).update(used=True)


def _answer(data, right, rng):
    qtype = data["qtype"]
    keys = [o["key"] for o in data.get("options") or []]
    correct = [o["key"] for o in data.get("options") or [] if o["correct"]]
    if qtype == QuestionType.SINGLE:
        return correct[0] if right else rng.choice([k for k in keys if k not in correct])
    if qtype == QuestionType.MULTIPLE:
        return correct if right else correct[:-1]
    if qtype == QuestionType.TRUE_FALSE:
        return data["answer_bool"] if right else not data["answer_bool"]
    if qtype == QuestionType.FILL_BLANK:
        return [b[0] for b in data["blanks"]] if right else ["不知道"] * len(data["blanks"])
    return "（略）"


@transaction.atomic
def seed():
    bank = seed_bank()
    history = seed_exams()
    return f"{bank} questions, {history}"
