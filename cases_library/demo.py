"""Demo typical cases: twelve cases across the enforcement domains, written for this
project (parties anonymized, facts invented for teaching), each citing real articles of
the statutes imported by content/demo.py, with trainer annotations and related questions
from the demo question bank (on the articles each case cites).

Idempotent: cases are found by slug. The case library is put under two-person review.
"""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from content.citations import LawTitles, resolve
from content.models import BenchmarkBand

from .anchoring import context_of
from .models import Annotation, CaseIndexPage, CaseLegalBasis, CasePage, CaseQuestion
from .review import setup_review

NET = "《互联网上网服务营业场所管理条例》"
ENT = "《娱乐场所管理条例》"
SHOW = "《营业性演出管理条例》"
PUB = "《出版管理条例》"
TV = "《广播电视管理条例》"
PEN = "《行政处罚法》"


def d(text):
    return dt.date.fromisoformat(text)


# Each case: slug, title, domain, violation, parties, paragraphs, evidence, timeline,
# basis [(citation, note)], band (code, level) or None, decision, fine, outcome,
# teaching points, questions, tags, annotations [(paragraph index, quote, kind, comment)].
CASES = [
    dict(slug="netbar-minors-2025", title="某网络会所接纳未成年人上网案", domain="internet_cafe",
         violation="接纳未成年人进入营业场所",
         parties=[("当事人", "江州市某网络会所有限公司", "网络文化经营许可证持证单位"),
                  ("负责人", "王某", "店长")],
         paragraphs=[
             "2025年3月8日晚20时10分，执法人员根据群众举报，对江州市某网络会所进行检查，在场内发现三名学生模样的人员正在上网。",
             "经核对身份信息，三人分别为15岁、16岁和16岁，均系未成年人。吧台登记系统显示，三人均使用同一名成年人的身份证登记上网，收银员未核对本人身份。",
             "执法人员制作了现场检查笔录，对监控录像和上网登记记录进行了证据先行登记保存，并对店长王某进行了询问。",
             "当事人系一年内第二次因接纳未成年人被查处，不具有从轻情节。"],
         evidence=[("书证", "网络文化经营许可证、营业执照复印件"),
                   ("视听资料", "场内监控录像（20时至20时30分）"),
                   ("电子数据", "上网登记系统记录"), ("当事人陈述", "店长王某询问笔录")],
         timeline=[("filing", "2025-03-09"), ("investigation", "2025-03-10"),
                   ("notice", "2025-03-20"), ("decision", "2025-04-02"), ("execution", "2025-04-10")],
         basis=[(f"{NET}第二十一条", "不得接纳未成年人"), (f"{NET}第三十一条", "罚则")],
         band=("WB-01", "general"), decision="给予警告，并处罚款8000元。", fine="8000",
         outcome="none",
         points=["“一人一证”核验是经营单位的法定义务，冒用他人证件不能免除责任。",
                 "一年内再次违法的，应当在裁量时作为考量因素并写明理由。"],
         questions=["本案能否认定三人次接纳？如何计算违法情节？",
                    "如果当事人主张未成年人使用了伪造证件，执法人员还应收集哪些证据？"],
         tags=["未成年人保护", "网吧"],
         notes=[(1, "收银员未核对本人身份", "key_point", "违法事实的核心：经营单位未履行身份核验义务。"),
                (2, "证据先行登记保存", "procedure_risk", "先行登记保存须经负责人批准，并在七日内作出处理决定。")]),
    dict(slug="netbar-overtime-2024", title="某网吧超时营业案", domain="internet_cafe",
         violation="在规定的营业时间以外营业",
         parties=[("当事人", "李某（个体工商户）", "某网吧经营者")],
         paragraphs=[
             "2024年11月2日凌晨0时40分，执法人员夜查时发现某网吧仍在营业，场内有上网人员12人。",
             "李某称当晚有顾客包夜，未及时清场。经查，该网吧此前未因同类行为受过处罚。",
             "执法人员当场责令停止营业，李某配合清场，次日主动提交了整改报告。"],
         evidence=[("现场检查笔录", "记载检查时间和在场人数"), ("视听资料", "执法记录仪录像")],
         timeline=[("filing", "2024-11-02"), ("investigation", "2024-11-04"),
                   ("notice", "2024-11-12"), ("decision", "2024-11-25")],
         basis=[(f"{NET}第三十一条", "营业时间以外营业")],
         band=("WB-02", "general"), decision="给予警告，并处罚款2000元。", fine="2000",
         outcome="none",
         points=["营业时间的认定以现场检查时点为准，执法记录仪录像应显示时间。",
                 "及时改正可以作为从轻情节，但不当然不予处罚。"],
         questions=["本案是否符合《行政处罚法》第三十三条不予处罚的条件？"],
         tags=["网吧", "夜查"],
         notes=[(0, "凌晨0时40分", "key_point", "时间点决定违法是否成立，应与录像时间相互印证。")]),
    dict(slug="ktv-prohibited-songs-2025", title="某KTV曲库含禁止内容曲目案", domain="entertainment",
         violation="播放的曲目含有禁止内容",
         parties=[("当事人", "江州某娱乐有限公司", "歌舞娱乐场所")],
         paragraphs=[
             "2025年5月16日，执法人员对江州某娱乐有限公司经营的KTV进行检查，在点歌系统中检索出6首含有宣扬暴力内容的曲目。",
             "当事人称曲库由设备供应商统一更新，自己不清楚曲目内容。执法人员调取了设备采购合同和曲库更新记录。",
             "经查，当事人未建立曲目审核制度，没有违法所得证据。"],
         evidence=[("现场检查笔录", "点歌系统检索过程记录"), ("电子数据", "曲目截图及曲库导出清单"),
                   ("书证", "设备采购合同")],
         timeline=[("filing", "2025-05-17"), ("investigation", "2025-05-20"),
                   ("notice", "2025-06-03"), ("hearing", "2025-06-15"), ("decision", "2025-06-28")],
         basis=[(f"{ENT}第十三条", "禁止内容"), (f"{ENT}第四十八条", "罚则")],
         band=("YL-02", "general"), decision="没收违法曲目，并处罚款2万元。", fine="20000",
         outcome="review_upheld",
         points=["“不知道曲目内容”不是免责理由，经营者负有审核义务。",
                 "拟处较大数额罚款的，应当告知听证权利。"],
         questions=["设备供应商是否应承担责任？由哪个部门处理？"],
         tags=["歌舞娱乐", "内容监管"],
         notes=[(1, "曲库由设备供应商统一更新", "discretion", "供应商更新不影响定性，但可在裁量时考虑主观过错程度。"),
                (2, "没有违法所得证据", "key_point", "无违法所得时适用固定数额罚款档次。")]),
    dict(slug="ktv-minors-2024", title="某歌舞厅接纳未成年人案", domain="entertainment",
         violation="歌舞娱乐场所接纳未成年人",
         parties=[("当事人", "某歌舞厅（个人独资企业）", "")],
         paragraphs=[
             "2024年7月20日晚，执法人员联合公安部门检查某歌舞厅，在一包厢内发现两名17岁的未成年人。",
             "当事人未在入口处设置未成年人禁入标志，服务员未询问顾客年龄。",
             "执法人员对两名未成年人进行了询问，其监护人到场并在询问笔录上签字。"],
         evidence=[("询问笔录", "未成年人及监护人询问笔录"), ("现场照片", "入口处未设置标志的照片")],
         timeline=[("filing", "2024-07-21"), ("investigation", "2024-07-22"),
                   ("notice", "2024-08-05"), ("decision", "2024-08-20")],
         basis=[(f"{ENT}第四十八条", "接纳未成年人"), (f"{ENT}第五十一条", "未悬挂禁入标志")],
         band=("YL-01", "general"), decision="处罚款2.5万元，并责令改正悬挂未成年人禁入标志。",
         fine="25000", outcome="none",
         points=["询问未成年人应当通知监护人到场。", "一案多个违法行为的，应当分别认定、合并处罚。"],
         questions=["本案的两个违法行为应如何分别适用罚则？"],
         tags=["未成年人保护", "歌舞娱乐"],
         notes=[(2, "其监护人到场", "procedure_risk", "询问未成年人时监护人不到场，笔录的证明力会受到质疑。")]),
    dict(slug="show-without-approval-2025", title="某文化传播公司未经批准举办营业性演出案",
         domain="performance", violation="未经批准举办营业性演出",
         parties=[("当事人", "江州某文化传播有限公司", "演出经纪机构")],
         paragraphs=[
             "2025年8月9日，执法人员在网络巡查中发现某文化传播公司在售票平台发布音乐会门票，经核查未取得演出批准文件。",
             "执法人员于演出当晚到达现场，演出已开始，观众约300人。执法人员当场责令停止演出。",
             "经查，售票收入已全部退还观众，当事人无违法所得。"],
         evidence=[("电子数据", "售票平台页面截图和售票记录"), ("现场检查笔录", "演出现场情况"),
                   ("书证", "退票记录")],
         timeline=[("filing", "2025-08-09"), ("investigation", "2025-08-12"),
                   ("notice", "2025-08-26"), ("hearing", "2025-09-05"), ("decision", "2025-09-18"),
                   ("execution", "2025-10-08")],
         basis=[(f"{SHOW}第四十四条", "未经批准举办营业性演出")],
         band=("YC-01", "general"), decision="责令停止演出，并处罚款8万元。", fine="80000",
         outcome="litigation_upheld",
         points=["网络巡查发现的线索，应及时固定电子证据。", "退还票款后无违法所得的，适用“没有违法所得”的罚款幅度。"],
         questions=["为未经批准的演出提供场地的场所经营单位应如何处理？"],
         tags=["营业性演出", "网络巡查"],
         notes=[(0, "未取得演出批准文件", "key_point", "应向审批机关书面核实并附核实函。"),
                (1, "当场责令停止演出", "procedure_risk", "当场责令应制作责令改正通知书并送达。")]),
    dict(slug="art-grading-2024", title="某培训机构擅自开展社会艺术水平考级案", domain="art",
         violation="未经批准开展艺术考级活动",
         parties=[("当事人", "江州某艺术培训学校", "")],
         paragraphs=[
             "2024年4月，执法人员接到家长投诉，称某艺术培训学校以“全国钢琴考级”名义组织考试并收取考级费用。",
             "经查，当事人并非经批准的考级机构或承办单位，考级证书系自行印制。",
             "当事人在调查期间主动退还全部考级费用，并公开致歉。"],
         evidence=[("书证", "考级报名表、收费凭证、自行印制的证书"), ("证人证言", "家长询问笔录")],
         timeline=[("filing", "2024-04-10"), ("investigation", "2024-04-15"),
                   ("notice", "2024-05-06"), ("decision", "2024-05-20")],
         basis=[(f"{PEN}第三十二条", "主动消除违法行为危害后果的从轻")],
         band=None, decision="责令停止违法行为，给予警告，并处罚款1万元。", fine="10000",
         outcome="none",
         points=["主动退费、消除危害后果属于法定从轻情节。"],
         questions=["本案从轻处罚的理由应如何在决定书中表述？"],
         tags=["艺术考级"],
         notes=[(2, "主动退还全部考级费用", "discretion", "属于主动消除违法行为危害后果，依法应当从轻。")]),
    dict(slug="online-game-2025", title="某网站提供未经审查网络游戏案（不予处罚）", domain="online_culture",
         violation="网络文化经营违法（情节轻微）",
         parties=[("当事人", "江州某网络科技有限公司", "")],
         paragraphs=[
             "2025年2月，执法人员在网络巡查中发现某网站上线一款小游戏，未标注相关审批信息。",
             "当事人在执法人员指出后当日即下架该游戏，游戏上线仅两天，访问量不足百次，无收费功能。",
             "当事人此前无违法记录。"],
         evidence=[("电子数据", "网页截图、后台访问统计"), ("书证", "下架情况说明")],
         timeline=[("filing", "2025-02-18"), ("investigation", "2025-02-19"),
                   ("decision", "2025-03-03")],
         basis=[(f"{PEN}第三十三条", "初次违法且危害后果轻微并及时改正")],
         band=("CF-02", "none"), decision="不予行政处罚，对当事人进行批评教育。", fine=None,
         outcome="none",
         points=["首违不罚须同时满足初次违法、危害后果轻微、及时改正三个条件。",
                 "不予处罚也应当制作不予行政处罚决定书。"],
         questions=["如果游戏设置了收费功能，结论是否不同？"],
         tags=["网络文化", "首违不罚"],
         notes=[(1, "上线仅两天，访问量不足百次，无收费功能", "key_point", "这是认定“危害后果轻微”的关键事实。")]),
    dict(slug="publications-unlicensed-2024", title="某书店无证发行出版物案", domain="publications",
         violation="擅自从事出版物发行业务",
         parties=[("当事人", "张某", "某书店经营者")],
         paragraphs=[
             "2024年9月，执法人员检查发现张某经营的书店未取得出版物经营许可证，店内陈列销售图书约800册。",
             "经查，违法经营额为6500元，张某未能提供图书进货来源的完整票据。",
             "执法人员依法对涉案图书实施了扣押。"],
         evidence=[("书证", "销售记录"), ("扣押决定书及清单", "扣押图书清单")],
         timeline=[("filing", "2024-09-05"), ("investigation", "2024-09-06"),
                   ("notice", "2024-10-08"), ("decision", "2024-10-22")],
         basis=[(f"{PUB}第六十一条", "擅自从事出版物发行业务"),
                ("《行政强制法》第二十四条", "扣押决定书")],
         band=("CB-01", "lighter"), decision="没收出版物和违法所得，并处罚款1.5万元。", fine="15000",
         outcome="none",
         points=["实施扣押应当制作并当场交付扣押决定书和清单。", "违法经营额不足1万元的，罚款上限为5万元。"],
         questions=["违法经营额应如何计算？是否包括库存图书？"],
         tags=["出版物", "行政强制"],
         notes=[(2, "实施了扣押", "procedure_risk", "扣押期限不得超过三十日，情况复杂的经批准可延长。")]),
    dict(slug="broadcast-satellite-2023", title="某酒店擅自以卫星方式转播境外电视节目案", domain="broadcasting",
         violation="擅自以卫星传输方式转播境外广播电视节目",
         parties=[("当事人", "江州某酒店管理有限公司", "")],
         paragraphs=[
             "2023年10月，执法人员检查发现某酒店楼顶安装卫星地面接收天线，向客房传送境外电视节目。",
             "当事人未经批准，擅自以卫星传输方式向客房转播境外广播电视节目。",
             "执法人员责令当事人拆除设施，当事人于三日内自行拆除。"],
         evidence=[("现场照片", "楼顶天线照片"), ("现场检查笔录", "客房电视信号检查")],
         timeline=[("filing", "2023-10-11"), ("investigation", "2023-10-12"),
                   ("notice", "2023-10-30"), ("decision", "2023-11-10")],
         basis=[(f"{TV}第五十一条", "未经批准以卫星方式转播境外节目")],
         band=None, decision="给予警告，没收违法所得，并处罚款1万元。", fine="10000",
         outcome="review_changed",
         points=["复议机关以事先告知书未写明具体项为由变更处罚，引用条文应具体到项。"],
         questions=["本案事先告知书存在什么问题？"],
         tags=["广播电视"],
         notes=[(1, "未经批准", "error", "应写明向审批部门核实的过程及结果，原案卷缺少该证据。")]),
    dict(slug="relics-trade-2025", title="某古玩店未经许可从事文物商业经营案", domain="relics",
         violation="未经许可擅自从事文物商业经营活动",
         parties=[("当事人", "赵某", "某古玩店经营者")],
         paragraphs=[
             "2025年6月，执法人员检查某古玩店，发现店内陈列销售瓷器、铜器等物品，经文物鉴定机构鉴定，其中5件为一般文物。",
             "当事人未取得文物销售许可，违法经营额经核定为2.4万元。",
             "执法人员对涉案文物依法予以扣押，并委托文物收藏单位保管。"],
         evidence=[("鉴定意见", "文物鉴定机构出具的鉴定意见"), ("书证", "销售账本")],
         timeline=[("filing", "2025-06-03"), ("investigation", "2025-06-10"),
                   ("notice", "2025-07-15"), ("hearing", "2025-07-28"), ("decision", "2025-08-12")],
         basis=[("《文物保护法》第八十九条", "未经许可擅自从事文物商业经营活动")],
         band=None, decision="没收违法所得、非法经营的文物，并处罚款。", fine="50000",
         outcome="none",
         points=["文物的认定必须依据鉴定意见，执法人员不得自行认定。"],
         questions=["鉴定意见应当告知当事人吗？当事人有异议时如何处理？"],
         tags=["文物"],
         notes=[(0, "经文物鉴定机构鉴定", "key_point", "鉴定意见是定案的关键证据，应审查鉴定机构资质。")]),
    dict(slug="tourism-unlicensed-guide-2024", title="某旅行社安排无证人员从事导游活动案",
         domain="tourism", violation="未取得导游证从事导游活动",
         parties=[("当事人", "孙某", "无导游证人员")],
         paragraphs=[
             "2024年8月，执法人员在某景区检查时发现孙某带领旅游团讲解，不能出示导游证。",
             "经查，孙某受某旅行社临时聘用，带团收入为600元。",
             "执法人员另案调查该旅行社的违法行为。"],
         evidence=[("询问笔录", "孙某询问笔录"), ("书证", "带团协议、收入凭证")],
         timeline=[("filing", "2024-08-18"), ("investigation", "2024-08-19"),
                   ("notice", "2024-09-02"), ("decision", "2024-09-12")],
         basis=[("《旅游法》第一百零二条", "未取得导游证从事导游活动")],
         band=None, decision="责令改正，没收违法所得600元，并处罚款2000元。", fine="2000",
         outcome="none",
         points=["对个人和旅行社的违法行为应当分别立案。"],
         questions=["旅行社安排无证人员从事导游活动，适用哪条罚则？"],
         tags=["旅游", "导游"],
         notes=[(1, "带团收入为600元", "key_point", "违法所得须有收入凭证佐证。")]),
    dict(slug="sports-venue-2025", title="某健身房未履行告知程序被撤销案（反面案例）", domain="sports",
         violation="高危险性体育项目经营违法",
         parties=[("当事人", "江州某健身服务有限公司", "")],
         paragraphs=[
             "2025年1月，执法人员检查某健身房开设的游泳项目，发现救生员配备不足。",
             "执法人员当日作出罚款决定，未事先告知当事人拟处罚的事实、理由和依据及其陈述、申辩权利。",
             "当事人申请行政复议，复议机关以违反法定程序为由撤销了处罚决定。"],
         evidence=[("现场检查笔录", "救生员在岗情况")],
         timeline=[("investigation", "2025-01-08"), ("decision", "2025-01-08")],
         basis=[(f"{PEN}第四十四条", "处罚前告知"), (f"{PEN}第六十二条", "未告知的后果")],
         band=None, decision="罚款5000元（已被复议机关撤销）。", fine="5000",
         outcome="review_changed",
         points=["未履行告知程序的处罚决定不能成立。", "立案、告知等程序不可省略，即使事实清楚。"],
         questions=["本案应当如何重新作出处理？"],
         tags=["反面案例", "程序"],
         notes=[(1, "未事先告知当事人", "error", "违反《行政处罚法》第四十四条，处罚决定不能成立。")]),
]


def _home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else Page.get_first_root_node()


def _band(code, level):
    return BenchmarkBand.objects.filter(item__code=code, level=level).first()


def seed():
    """Create the demo case library (idempotent); return a summary."""
    index = CaseIndexPage.objects.first()
    if index is None:
        index = CaseIndexPage(title="典型案例", slug="case-library",
                              intro="<p>文化市场综合执法典型案例，供学习研讨。</p>")
        _home().add_child(instance=index)
        index.save_revision().publish()
    setup_review(index)
    trainer = get_user_model().objects.filter(username="trainer").first()
    titles = LawTitles()
    created = 0
    for spec in CASES:
        if CasePage.objects.filter(slug=spec["slug"]).exists():
            continue
        case = CasePage(
            slug=spec["slug"], title=spec["title"], domain=spec["domain"],
            violation_type=spec["violation"],
            parties=[("party", {"role": r, "name": n, "note": note})
                     for r, n, note in spec["parties"]],
            body=[("paragraph", text) for text in spec["paragraphs"]],
            evidence=[("item", {"kind": k, "description": v}) for k, v in spec["evidence"]],
            timeline=[("step", {"stage": stage, "date": d(date), "note": ""})
                      for stage, date in spec["timeline"]],
            discretion_band=_band(*spec["band"]) if spec["band"] else None,
            decision=spec["decision"], decided_on=d(spec["timeline"][-1][1]),
            penalty_amount=Decimal(spec["fine"]) if spec["fine"] else None,
            outcome=spec["outcome"],
            teaching_points=[("point", text) for text in spec["points"]],
            discussion_questions=[("question", text) for text in spec["questions"]],
        )
        index.add_child(instance=case)
        for position, (citation, note) in enumerate(spec["basis"]):
            article = resolve(citation, titles)
            if article is not None:
                CaseLegalBasis.objects.create(case=case, article=article, note=note,
                                              sort_order=position)
        case.tags.add(*spec["tags"])
        case.save_revision(user=trainer).publish(user=None)
        case = CasePage.objects.get(pk=case.pk)
        blocks = [child for child in case.body]
        for paragraph, quote, kind, comment in spec["notes"]:
            text = str(blocks[paragraph].value)
            start = text.find(quote)
            if start < 0:
                continue
            prefix, suffix = context_of(text, start, start + len(quote))
            Annotation.objects.create(case=case, block_id=blocks[paragraph].id, quote=quote,
                                      prefix=prefix, suffix=suffix, start=start,
                                      end=start + len(quote), kind=kind, comment=comment,
                                      author=trainer)
        created += 1
    seed_related_questions()
    return (f"{CasePage.objects.count()} cases ({created} new), "
            f"{Annotation.objects.count()} annotations, "
            f"{CaseQuestion.objects.count()} related questions")


def seed_related_questions():
    """Give each demo case a few questions of the demo bank on the articles it cites."""
    from content.demo import demo_bank, questions_citing, set_self_check

    if not demo_bank():
        return
    for spec in CASES:
        case = CasePage.objects.filter(slug=spec["slug"]).first()
        if case is not None:
            set_self_check(case, CaseQuestion, "case",
                           questions_citing([citation for citation, _note in spec["basis"]]))
