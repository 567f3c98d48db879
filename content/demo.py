"""Demo study material: the statutes, a discretion benchmark, document templates (each
with a downloadable form), two courses whose lessons carry check questions from the demo
question bank, three past training events with attendance and an upcoming one, study
requirements and assignments, and a year of study (the current calendar year's training
programme with attendance and lessons completed) so that about two officers in three meet
the annual requirement, more in some units than in others.

Idempotent: everything is found by its slug or name and created only when missing.
Statute text is imported from the files in demo_data/laws (copied from the public
LawRefBook collection), never typed in.
"""
import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from people.models import Officer, Unit
from people.roles import Role

from .law_import import create_law
from .models import (Assignment, Attendance, BenchmarkBand, BenchmarkItem, CoursePage,
                     DiscretionBenchmarkPage, DocumentTemplatePage, LawPage, LessonCheckQuestion,
                     LessonPage, RequirementKind, StudyIndexPage, StudyRecord,
                     StudyRequirement, TrainingEventPage)
from .citations import LawTitles, resolve_all

LAWS_DIR = Path(__file__).resolve().parent / "demo_data" / "laws"
ANNUAL_HOURS = Decimal("60")  # the demo's annual requirement 年度轮训
# (file prefix, short title used in citations, issuing body)
LAWS = [
    ("行政处罚法", "行政处罚法", "全国人民代表大会常务委员会"),
    ("行政强制法", "行政强制法", "全国人民代表大会常务委员会"),
    ("互联网上网服务营业场所管理条例", "", "国务院"),
    ("娱乐场所管理条例", "", "国务院"),
    ("营业性演出管理条例", "", "国务院"),
    ("出版管理条例", "", "国务院"),
    ("广播电视管理条例", "", "国务院"),
    ("文物保护法", "文物保护法", "全国人民代表大会常务委员会"),
    ("旅游法", "旅游法", "全国人民代表大会常务委员会"),
]

NET = "《互联网上网服务营业场所管理条例》"
ENT = "《娱乐场所管理条例》"
SHOW = "《营业性演出管理条例》"
PUB = "《出版管理条例》"
# code, violation, legal basis, [(band, conditions, penalty, fine_min, fine_max)]
BENCHMARK = [
    ("WB-01", "互联网上网服务营业场所接纳未成年人", f"{NET}第三十一条", [
        ("lighter", "首次被查处，接纳未成年人1人次，当场改正", "警告，可以并处3000元以下罚款", 0, 3000),
        ("general", "接纳未成年人2至4人次，或一年内第二次被查处", "警告，并处3000元以上10000元以下罚款", 3000, 10000),
        ("heavier", "接纳未成年人5人次以上，或一年内第三次被查处", "警告，并处10000元以上15000元以下罚款；情节严重的，责令停业整顿直至吊销许可证", 10000, 15000)]),
    ("WB-02", "互联网上网服务营业场所在规定营业时间以外营业", f"{NET}第三十一条", [
        ("none", "超时不足30分钟，首次违法且及时改正，危害后果轻微", "不予行政处罚，批评教育并责令改正", None, None),
        ("general", "超时30分钟以上不足2小时", "警告，并处5000元以下罚款", 0, 5000),
        ("heavier", "超时2小时以上或屡次超时营业", "警告，并处5000元以上15000元以下罚款", 5000, 15000)]),
    ("WB-03", "未悬挂网络文化经营许可证或者未成年人禁入标志", f"{NET}第三十一条", [
        ("none", "首次违法，现场立即悬挂", "不予行政处罚，责令改正", None, None),
        ("general", "经责令后仍未悬挂", "警告，可以并处2000元以下罚款", 0, 2000)]),
    ("YL-01", "歌舞娱乐场所接纳未成年人", f"{ENT}第四十八条", [
        ("lighter", "没有违法所得，接纳未成年人1人次", "没收非法财物，处1万元以上2万元以下罚款", 10000, 20000),
        ("general", "没有违法所得，接纳未成年人2人次以上", "处2万元以上4万元以下罚款", 20000, 40000),
        ("heavier", "情节严重或一年内再次违法", "处4万元以上5万元以下罚款，责令停业整顿1个月至6个月", 40000, 50000)]),
    ("YL-02", "歌舞娱乐场所播放的曲目含有禁止内容", f"{ENT}第四十八条", [
        ("general", "含禁止内容曲目不足10首，没有违法所得", "处1万元以上3万元以下罚款", 10000, 30000),
        ("heavier", "含禁止内容曲目10首以上", "处3万元以上5万元以下罚款，责令停业整顿", 30000, 50000)]),
    ("YL-03", "娱乐场所在禁止营业时间内营业", f"{ENT}第四十九条", [
        ("general", "首次被查处", "责令改正，给予警告", None, None),
        ("heavier", "一年内两次以上被查处", "责令停业整顿1个月至3个月", None, None)]),
    ("YC-01", "未经批准举办营业性演出", f"{SHOW}第四十四条", [
        ("lighter", "没有违法所得，演出规模较小且主动停止", "责令停止演出，并处5万元以上7万元以下罚款", 50000, 70000),
        ("general", "没有违法所得，已售票或观众较多", "责令停止演出，并处7万元以上9万元以下罚款", 70000, 90000),
        ("heavier", "拒不停止演出或造成恶劣影响", "责令停止演出，并处9万元以上10万元以下罚款", 90000, 100000)]),
    ("CB-01", "擅自从事出版物发行业务", f"{PUB}第六十一条", [
        ("lighter", "违法经营额不足1万元，首次违法", "没收出版物、违法所得，可以处5万元以下罚款", 0, 50000),
        ("general", "违法经营额1万元以上", "并处违法经营额5倍以上8倍以下罚款", None, None),
        ("heavier", "违法经营额1万元以上且拒不配合调查", "并处违法经营额8倍以上10倍以下罚款", None, None)]),
    ("CF-01", "当事人逾期不履行罚款决定", "《行政处罚法》第七十二条", [
        ("general", "到期不缴纳罚款", "每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额", None, None)]),
    ("CF-02", "初次违法且危害后果轻微并及时改正", "《行政处罚法》第三十三条", [
        ("none", "初次违法，危害后果轻微并及时改正", "可以不予行政处罚，对当事人进行教育", None, None)]),
]

TEMPLATES = [
    ("立案审批表", "li-an-shen-pi-biao", "对发现的违法线索决定是否立案调查，记载案件来源、当事人基本情况和简要案情，报负责人审批。",
     [("案件来源", "写明举报、检查发现、上级交办或部门移送，并附线索材料。"),
      ("当事人", "单位写全称和统一社会信用代码，个人写姓名和身份证号码。"),
      ("简要案情", "写明时间、地点、行为，不作定性结论。"),
      ("审批意见", "由负责人签署“同意立案”及日期。")],
     [("立案时间晚于调查取证时间", "先立案后调查；紧急情况先行取证的，应在七个工作日内补办立案手续。"),
      ("简要案情中直接写“违法”定性", "立案阶段只陈述事实，定性留待调查终结。")]),
    ("现场检查（勘验）笔录", "xian-chang-jian-cha-bi-lu", "记录现场检查的时间、地点、在场人员和检查情况，是证明违法事实的主要证据之一。",
     [("检查时间", "精确到分钟，起止时间都要写。"),
      ("执法人员及证号", "不少于两名执法人员，写明执法证件号码。"),
      ("现场情况", "客观记录所见，附照片、视频编号。"),
      ("当事人签字", "当事人拒绝签字的，注明情况并由见证人签字。")],
     [("只有一名执法人员签字", "执法人员不得少于两人，均应签字。"),
      ("用“疑似”“可能”等推测性语言", "只记录看到、听到的客观事实。")]),
    ("询问笔录", "xun-wen-bi-lu", "记录对当事人或证人的询问，固定陈述内容。",
     [("被询问人基本情况", "姓名、身份证号、与案件关系。"),
      ("告知事项", "表明身份、出示证件，告知如实陈述义务和申请回避权利。"),
      ("问答内容", "一问一答，如实记录，不得诱导。")],
     [("未告知申请回避的权利", "询问开始前逐项告知并记录被询问人的回答。"),
      ("笔录修改处未捺印", "修改处由被询问人捺指印确认。")]),
    ("行政处罚事先告知书", "shi-xian-gao-zhi-shu", "作出行政处罚决定前，告知当事人拟作出的处罚内容及事实、理由、依据，以及陈述、申辩、要求听证的权利。",
     [("拟处罚内容", "写明种类和幅度，与决定书一致。"),
      ("事实、理由、依据", "引用条文具体到条、款、项。"),
      ("权利告知", "写明陈述、申辩期限；符合听证条件的告知听证权利。")],
     [("遗漏听证权利告知", "较大数额罚款、没收较大数额违法所得等情形必须告知听证权利。"),
      ("依据只写法律名称", "写到具体条、款、项，如《行政处罚法》第四十四条。")]),
    ("行政处罚决定书", "chu-fa-jue-ding-shu", "载明处罚决定的法律文书，送达当事人后发生效力。",
     [("违法事实和证据", "与调查认定一致，列明主要证据。"),
      ("处罚种类和依据", "写明适用的条款和裁量理由。"),
      ("履行方式和期限", "写明缴款方式和十五日的期限。"),
      ("救济途径", "写明申请行政复议、提起行政诉讼的途径和期限。")],
     [("救济期限写错", "申请行政复议为六十日，提起行政诉讼为六个月。"),
      ("未说明裁量理由", "写明适用的裁量基准档次和理由。")]),
]

COURSES = [
    ("行政处罚程序精讲", "xing-zheng-chu-fa-cheng-xu",
     "围绕《行政处罚法》梳理立案、调查、告知、听证、决定、执行各环节的要求。", [
         ("立案与调查取证", 25, [
             ("paragraph", "<p>立案是行政处罚普通程序的起点。执法人员在调查或者进行检查时，不得少于两人，并应当主动向当事人或者有关人员出示执法证件。</p>"),
             ("citation", "《行政处罚法》第四十二条"),
             ("citation", "《行政处罚法》第五十五条"),
             ("key_point", "两人执法、出示证件、制作笔录，是现场检查最容易被复议机关审查的三个环节。"),
             ("paragraph", "<p>调查终结后，负责人应当对调查结果进行审查，根据不同情况分别作出决定。</p>"),
             ("citation", "《行政处罚法》第五十七条")]),
         ("告知与听证", 30, [
             ("paragraph", "<p>行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利。</p>"),
             ("citation", "《行政处罚法》第四十四条"),
             ("paragraph", "<p>较大数额罚款、没收较大数额违法所得、责令停产停业等处罚决定作出前，应当告知当事人有要求听证的权利。</p>"),
             ("citation", "《行政处罚法》第六十三条"),
             ("key_point", "遗漏听证权利告知，是处罚决定被撤销的常见原因。")]),
         ("决定、送达与执行", 20, [
             ("paragraph", "<p>处罚决定书应当在宣告后当场交付当事人；当事人不在场的，应当在七日内送达。</p>"),
             ("citation", "《行政处罚法》第六十一条"),
             ("paragraph", "<p>当事人到期不缴纳罚款的，可以每日按罚款数额的百分之三加处罚款。</p>"),
             ("citation", "《行政处罚法》第七十二条")])]),
    ("网吧与娱乐场所执法实务", "wang-ba-yu-le-chang-suo",
     "结合典型案例讲解上网服务营业场所和娱乐场所的常见违法行为及查处要点。", [
         ("网吧接纳未成年人的认定", 20, [
             ("paragraph", "<p>认定网吧接纳未成年人，关键是证明上网人员系未成年人、处于营业场所内，且经营单位未履行核对身份证件的义务。</p>"),
             ("citation", f"{NET}第二十一条"),
             ("citation", f"{NET}第三十一条"),
             ("key_point", "现场应当对未成年人身份信息、上网登记记录和监控录像一并取证。")]),
         ("歌舞娱乐场所曲目管理", 25, [
             ("paragraph", "<p>歌舞娱乐场所的歌曲点播系统不得与境外曲库联接，播放的曲目和屏幕画面不得含有禁止内容。</p>"),
             ("citation", f"{ENT}第十三条"),
             ("citation", f"{ENT}第四十八条")]),
         ("营业性演出的审批与监管", 20, [
             ("paragraph", "<p>举办营业性演出应当依法报批；未经批准举办营业性演出的，由县级人民政府文化主管部门责令停止演出并予以处罚。</p>"),
             ("citation", f"{SHOW}第四十四条")])]),
]


def _home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else Page.get_first_root_node()


def _child(parent, model, slug, **fields):
    page = model.objects.filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def seed_laws(shelf):
    titles = []
    for prefix, short_title, body in LAWS:
        path = next(LAWS_DIR.glob(f"{prefix}*.md"))
        text = path.read_text(encoding="utf-8")
        date = dt.date.fromisoformat(path.stem.split("(")[1].rstrip(")"))
        law = LawPage.objects.filter(title__endswith=prefix).first()
        if law is None:
            law = create_law(shelf, text, slug=f"law-{len(titles) + 1}", short_title=short_title,
                             issuing_body=body, effective_date=date)
        titles.append(law)
    return titles


def seed_benchmark(shelf):
    page = _child(shelf, DiscretionBenchmarkPage, "discretion-benchmark",
                  title="江州市文化市场行政处罚裁量基准（示例）", issued_by="江州市文化市场综合执法总队",
                  effective_date=dt.date(2025, 1, 1))
    titles = LawTitles()
    for position, (code, name, basis, bands) in enumerate(BENCHMARK, start=1):
        item, _created = BenchmarkItem.objects.update_or_create(
            benchmark=page, code=code,
            defaults={"name": name, "basis_text": basis, "position": position})
        item.basis_articles.set(resolve_all(basis, titles)[0])
        for level, conditions, penalty, low, high in bands:
            BenchmarkBand.objects.update_or_create(item=item, level=level, defaults={
                "conditions": conditions, "penalty": penalty,
                "fine_min": None if low is None else Decimal(low),
                "fine_max": None if high is None else Decimal(high)})
    latest = page.get_latest_revision()
    if latest is None or not latest.content.get("items"):
        page.save_rows_as_revision()  # so the page editor shows these rows
    return page


def form_workbook(title, fields):
    """Return a blank form as .xlsx bytes: the title, then one row per field to fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([f"江州市文化市场综合执法总队 {title}"])
    sheet.append(["文书编号", "江文执〔　　〕第　　号", ""])
    sheet.append(["栏目", "填写内容", "填写说明"])
    for name, guidance in fields:
        sheet.append([name, "", guidance])
    sheet.append(["执法人员签名", "", "不少于两名执法人员签名，写明执法证号。"])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attach_form(page, fields):
    """Give a document template its downloadable form (once)."""
    from wagtail.documents import get_document_model

    if page.file_id:
        return
    Document = get_document_model()
    document = Document(title=f"{page.title}（空白表）")
    document.file.save(f"{page.slug}.xlsx", ContentFile(form_workbook(page.title, fields)),
                       save=False)
    document.save()
    page.file = document
    page.save_revision().publish()


def seed_templates(shelf):
    for title, slug, purpose, fields, mistakes in TEMPLATES:
        page = _child(shelf, DocumentTemplatePage, slug, title=title, purpose=purpose,
                      fields=[("field", {"name": n, "guidance": g}) for n, g in fields],
                      mistakes=[("mistake", {"mistake": m, "correction": c})
                                for m, c in mistakes])
        attach_form(page, fields)


def _body(blocks, titles):
    from .citations import resolve

    body = []
    for kind, value in blocks:
        if kind == "citation":
            article = resolve(value, titles)
            if article is not None:
                body.append(("citation", {"article": article, "note": ""}))
        else:
            body.append((kind, value))
    return body


def seed_courses(shelf):
    titles = LawTitles()
    courses = []
    for title, slug, intro, lessons in COURSES:
        course = _child(shelf, CoursePage, slug, title=title, intro=f"<p>{intro}</p>")
        for number, (lesson_title, minutes, blocks) in enumerate(lessons, start=1):
            _child(course, LessonPage, f"{slug}-{number}", title=lesson_title,
                   estimated_minutes=minutes, body=_body(blocks, titles))
        courses.append(course)
    return courses


def seed_events(shelf, units, trainer):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    specs = [
        ("2026年度行政处罚法专题培训", "event-penalty-law", now - dt.timedelta(days=40), False,
         "总队三楼培训室", Decimal("4.0"), [units["JZ"]], 30),
        ("网吧执法现场检查实操培训", "event-netbar", now - dt.timedelta(days=12), False,
         "第一支队会议室", Decimal("3.0"), [units["JZ-01"]], 20),
        ("执法文书规范制作线上培训", "event-documents", now - dt.timedelta(days=5), True, "",
         Decimal("2.0"), [units["JZ"]], 25),
        ("文物与旅游市场执法专题培训", "event-relics-tourism", now + dt.timedelta(days=10), False,
         "总队三楼培训室", Decimal("3.0"), [units["JZ"]], 0),
    ]
    events = []
    for title, slug, starts, online, place, hours, eligible, attendees in specs:
        event = TrainingEventPage.objects.filter(slug=slug).first()
        if event is None:
            event = TrainingEventPage(
                slug=slug, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=4),
                online=online, place=place, hours=hours, trainer_name=trainer.name
                if trainer else "林海燕",
                online_url="https://meeting.example.gov.cn/lianbing" if online else "",
                description="<p>请提前十分钟签到，携带执法证件。</p>")
            shelf.add_child(instance=event)
            event.eligible_units.set(eligible)
            event.save_revision().publish()
        if attendees and not event.attendances.exists():
            officers = list(event.eligible_officers().order_by("badge_number")[:attendees])
            demo_officer = Officer.objects.filter(user__username="officer").first()
            if demo_officer and demo_officer not in officers:
                officers.append(demo_officer)
            Attendance.objects.bulk_create([
                Attendance(event=event, officer=o, hours=event.hours,
                           recorded_by=trainer.user if trainer else None) for o in officers])
        events.append(event)
    return events


def seed_requirements_and_assignments(courses, units):
    StudyRequirement.objects.get_or_create(
        name="入职培训不少于40学时", defaults={"kind": RequirementKind.INDUCTION,
                                       "hours": Decimal("40"), "within_days": 90})
    StudyRequirement.objects.get_or_create(
        name="年度轮训不少于60学时", defaults={"kind": RequirementKind.ANNUAL,
                                       "hours": ANNUAL_HOURS})
    for course, unit_code, due in ((courses[0], "JZ", dt.date(2026, 12, 31)),
                                   (courses[1], "JZ-01", dt.date(2026, 12, 15))):
        if not Assignment.objects.filter(page=course).exists():
            assignment = Assignment.objects.create(page=course, due_date=due)
            assignment.units.set([units[unit_code]])


def seed_officer_progress(courses):
    """The demo officer has finished one lesson and started another."""
    officer = Officer.objects.filter(user__username="officer").first()
    lessons = list(LessonPage.objects.child_of(courses[0]).order_by("path"))
    if officer is None or len(lessons) < 2:
        return
    StudyRecord.objects.get_or_create(officer=officer, page=lessons[0], defaults={
        "active_seconds": 1500, "completed_at": timezone.now() - dt.timedelta(days=3),
        "credited_hours": (Decimal(lessons[0].estimated_minutes) / 60).quantize(Decimal("0.01"))})
    StudyRecord.objects.get_or_create(officer=officer, page=lessons[1],
                                      defaults={"active_seconds": 420})


# The current year's training programme (seed_study_year): three periods of the annual
# rotational training 集中轮训 (each officer attends one) and thematic sessions.
# (slug suffix, title, share of the year elapsed so far, days, hours, place: none = online)
ROTATION = [
    ("rotation-1", "{year}年度执法人员集中轮训（第一期）", 0.20, 5, 40, "江州市委党校"),
    ("rotation-2", "{year}年度执法人员集中轮训（第二期）", 0.45, 5, 40, "江州市委党校"),
    ("rotation-3", "{year}年度执法人员集中轮训（第三期）", 0.75, 5, 40, "江州市委党校"),
]
TOPICS = [
    ("case-files", "{year}年执法案卷评查与文书制作专题培训", 0.30, 1, 8, "总队三楼培训室"),
    ("safety", "{year}年执法安全与应急处置培训", 0.40, 1, 4, "总队三楼培训室"),
    ("field-drill", "{year}年文化市场执法大练兵现场实操", 0.55, 1, 8, "第二支队执法训练基地"),
    ("review-litigation", "{year}年行政复议与行政应诉专题讲座", 0.65, 1, 6, "总队三楼培训室"),
    ("new-rules", "{year}年新修订法律法规解读线上培训", 0.85, 1, 4, ""),
]
# Share of officers meeting the annual requirement, per detachment (the corps' own
# officers under "JZ"), adjusted per brigade (the digit after the detachment code).
MET_RATES = {"JZ": 0.80, "JZ-01": 0.74, "JZ-02": 0.70, "JZ-03": 0.64, "JZ-04": 0.57}
BRIGADE_ADJUST = {"1": 0.08, "2": 0.0, "3": -0.10}


def _year_day(now, share, days=1):
    """Return 9 o'clock (local) on a weekday about `share` of the way from 1 January to
    `now`: a training of several days starts on that week's Monday, a one-day training on
    a weekend moves back to the Friday (never before 1 January)."""
    today = timezone.localtime(now).date()
    start = dt.date(today.year, 1, 1)
    day = start + dt.timedelta(days=int((today - start).days * share))
    back = day.weekday() if days > 1 else max(0, day.weekday() - 4)
    day = max(start, day - dt.timedelta(days=back))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def seed_programme(shelf, units, trainer, now):
    """Create the current year's training events (found by slug); return [(spec, event)]."""
    year = timezone.localtime(now).year
    events = []
    for spec in ROTATION + TOPICS:
        suffix, title, share, days, hours, place = spec
        slug = f"event-{year}-{suffix}"
        event = TrainingEventPage.objects.filter(slug=slug).first()
        if event is None:
            starts = _year_day(now, share, days)
            ends = (starts + dt.timedelta(days=days - 1, hours=8) if hours >= 8
                    else starts + dt.timedelta(hours=hours + 1))
            event = TrainingEventPage(
                slug=slug, title=title.format(year=year), starts_at=starts, ends_at=ends,
                online=not place, place=place, hours=Decimal(hours),
                trainer_name=trainer.name if trainer else "林海燕",
                online_url="" if place else "https://meeting.example.gov.cn/lianbing",
                description="<p>列入年度教育培训计划，按规定计入年度培训学时。请携带执法证件，按时签到。</p>")
            shelf.add_child(instance=event)
            event.eligible_units.set([units["JZ"]])
            event.save_revision().publish()
        events.append((spec, event))
    return events


def seed_lessons_done(courses, officers, rng, now):
    """The officers complete lessons of the assigned courses during the year (in bulk,
    leaving alone the records that exist); return how many records were created."""
    year_start = timezone.make_aware(dt.datetime(timezone.localtime(now).year, 1, 1))
    span = max(int((now - year_start).total_seconds()) - 86400, 3600)
    lessons = [list(LessonPage.objects.child_of(course).order_by("path")) for course in courses]
    pages = [lesson for course_lessons in lessons for lesson in course_lessons]
    existing = set(StudyRecord.objects.filter(page__in=pages)
                   .values_list("officer_id", "page_id"))
    new = []
    for officer in officers:
        for number, course_lessons in enumerate(lessons):
            # The first course is assigned to everybody, the second to the first detachment.
            likely = 0.85 if number == 0 or officer.unit.code.startswith("JZ-01") else 0.25
            if rng.random() >= likely:
                continue
            for lesson in course_lessons[:rng.randint(1, len(course_lessons))]:
                done = year_start + dt.timedelta(seconds=rng.randint(0, span))
                seconds = int(lesson.estimated_minutes * 60 * rng.uniform(0.6, 1.4))
                if (officer.pk, lesson.pk) not in existing:
                    new.append(StudyRecord(
                        officer=officer, page=lesson, last_beat_at=done, completed_at=done,
                        active_seconds=seconds, credited_hours=(
                            Decimal(lesson.estimated_minutes) / 60).quantize(Decimal("0.01"))))
    StudyRecord.objects.bulk_create(new, batch_size=1000)
    # started_at is set on insert: put it back to when the reading began.
    StudyRecord.objects.filter(page__in=pages, completed_at__lt=F("started_at")).update(
        started_at=F("completed_at") - dt.timedelta(minutes=40))
    return len(new)


def _met_rate(unit):
    code = unit.code
    detachment = code[:5] if code.startswith("JZ-") else "JZ"
    rate = MET_RATES.get(detachment, 0.65)
    return rate + BRIGADE_ADJUST.get(code[6:], 0.0) if len(code) > 5 else rate


def seed_study_year(shelf, courses, units, trainer):
    """Give the demo a believable year of study: the current calendar year's programme with
    attendance and lessons completed, so that (on the managers' dashboard) some two officers
    in three meet the annual requirement and the others have part of it.

    Deterministic and idempotent: lesson records are created only where missing, and an
    event's attendance only while it has none (and once it has started).
    """
    now = timezone.now()
    year = timezone.localtime(now).year
    year_start = timezone.make_aware(dt.datetime(year, 1, 1))
    programme = seed_programme(shelf, units, trainer, now)
    officers = list(Officer.objects.active().filter(unit__path__startswith=units["JZ"].path)
                    .select_related("unit", "user").order_by("badge_number"))
    rng = random.Random(f"lianbing-study-{year}")
    # The demo officer keeps their own progress (seed_officer_progress).
    seed_lessons_done(courses, [o for o in officers if o.user_id is None
                                or o.user.username != "officer"], rng, now)
    # Hours each officer has this year outside the programme (lessons, other events).
    programme_ids = [event.pk for _spec, event in programme]
    base = {}
    for officer_id, hours in (StudyRecord.objects.filter(
            officer__in=officers, completed_at__gte=year_start, completed_at__lte=now)
            .values_list("officer_id", "credited_hours")):
        base[officer_id] = base.get(officer_id, 0) + hours
    for officer_id, hours in (Attendance.objects.filter(
            officer__in=officers, event__starts_at__gte=year_start, event__starts_at__lte=now)
            .exclude(event_id__in=programme_ids).values_list("officer_id", "hours")):
        base[officer_id] = base.get(officer_id, 0) + hours
    started = [(spec, event) for spec, event in programme if event.starts_at <= now]
    periods = [event for spec, event in started if spec in ROTATION]
    topics = [event for spec, event in started if spec in TOPICS]
    plan = {event.pk: [] for _spec, event in programme}
    for officer in officers:
        total = base.get(officer.pk, Decimal(0))
        meets = rng.random() < _met_rate(officer.unit)
        target = ANNUAL_HOURS if meets else Decimal(rng.randint(12, 56))
        chosen = []
        if periods and (meets or rng.random() < 0.6):
            chosen.append(rng.choice(periods))
        for event in rng.sample(topics, len(topics)):
            chosen.append(event)
        for event in chosen:
            if total >= target or (not meets and total + event.hours >= ANNUAL_HOURS):
                continue
            plan[event.pk].append(officer)
            total += event.hours
    recorded_by = trainer.user if trainer else None
    new = []
    for _spec, event in started:
        if plan[event.pk] and not event.attendances.exists():
            new += [Attendance(event=event, officer=officer, hours=event.hours,
                               recorded_by=recorded_by) for officer in plan[event.pk]]
    Attendance.objects.bulk_create(new, batch_size=1000)
    return len(programme)


def demo_bank():
    """Make sure the demo question bank exists (exams/demo.py), whatever order apps seed in.

    Its seeding is idempotent, so the exams step that runs later finds it and goes on.
    Return False when the exams app has no demo bank to offer.
    """
    try:
        from exams.demo import seed_bank
    except ImportError:
        return False
    seed_bank()
    return True


def questions_citing(citations, count=3):
    """Return up to `count` demo self-check questions on `citations` (first the articles
    cited, then other articles of the same laws, then 《行政处罚法》), one query each."""
    from exams.demo import MARKER
    from exams.practice import practice_pool

    pool = practice_pool().filter(tags__name=MARKER).order_by("qtype", "pk")
    laws = [c.split("》")[0] + "》" for c in citations] + ["《行政处罚法》"]
    picked = []
    for lookup in ([{"legal_basis__in": citations}]
                   + [{"legal_basis__startswith": law} for law in dict.fromkeys(laws)]):
        if len(picked) >= count:
            break
        rows = pool.filter(**lookup).exclude(pk__in=[q.pk for q in picked])
        # one of each type first, so a page shows a mix of question types
        by_type = {}
        for question in rows[:50]:
            by_type.setdefault(question.qtype, question)
        picked += list(by_type.values())[:count - len(picked)]
    return picked


def set_self_check(page, link_model, parent_field, questions):
    """Attach `questions` to a published page unless it has some already; return how many."""
    if not questions or getattr(page, page.self_check_relation).exists():
        return 0
    setattr(page, page.self_check_relation, [
        link_model(**{parent_field: page}, question=question, sort_order=position)
        for position, question in enumerate(questions)])
    page.save_revision().publish()
    return len(questions)


def seed_check_questions():
    """Give each demo lesson check questions from the demo bank on the articles it cites;
    return the number of check-question links there are."""
    if not demo_bank():
        return 0
    for _title, course_slug, _intro, lessons in COURSES:
        for number, (_lesson_title, _minutes, blocks) in enumerate(lessons, start=1):
            lesson = LessonPage.objects.filter(slug=f"{course_slug}-{number}").first()
            if lesson is not None:
                citations = [value for kind, value in blocks if kind == "citation"]
                set_self_check(lesson, LessonCheckQuestion, "lesson",
                               questions_citing(citations))
    return LessonCheckQuestion.objects.count()


def grant_trainers(shelf):
    """Trainers edit and publish study material (cases go through review instead)."""
    trainers, _created = Group.objects.get_or_create(name=Role.TRAINER)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                            codename=codename)
        GroupPagePermission.objects.get_or_create(group=trainers, page=shelf,
                                                  permission=permission)


def seed():
    """Create the demo study material (idempotent); return a summary."""
    units = {u.code: u for u in Unit.objects.filter(code__in=["JZ", "JZ-01"])}
    trainer = Officer.objects.filter(user__username="trainer").first()
    shelf = StudyIndexPage.objects.filter(slug="study-library").first()
    if shelf is None:
        shelf = _child(_home(), StudyIndexPage, "study-library", title="学习园地",
                       intro="<p>法律法规、裁量基准、执法文书、课程与培训。</p>")
    laws = seed_laws(shelf)
    seed_benchmark(shelf)
    seed_templates(shelf)
    courses = seed_courses(shelf)
    events = seed_events(shelf, units, trainer) if units else []
    if units:
        seed_requirements_and_assignments(courses, units)
    seed_officer_progress(courses)
    programme = seed_study_year(shelf, courses, units, trainer) if units else 0
    checks = seed_check_questions()
    grant_trainers(shelf)
    articles = sum(law.articles.count() for law in laws)
    return (f"{len(laws)} laws ({articles} articles), {BenchmarkItem.objects.count()} violation "
            f"types, {len(TEMPLATES)} templates, {len(courses)} courses, "
            f"{LessonPage.objects.count()} lessons, {len(events) + programme} events, "
            f"{Attendance.objects.count()} attendances, {checks} check questions")
