"""What Lianbing writes in Moodle XML and GIFT reads back as the same questions."""
from decimal import Decimal

from exams.formats import parse, with_option_values, write
from exams.formats.base import ParsedBlank, ParsedOption, ParsedQuestion
from exams.formats.xlsx import example_questions


def test_moodlexml_export_reads_back_equal_for_every_type():
    questions = example_questions() + [
        ParsedQuestion(
            qtype="multiple", stem="<p>选出正确项</p>", stem_format="html", name="部分得分",
            category=["通用法律", "a/b 路径"], points=Decimal("2.5"),
            options=[ParsedOption("甲", True, 1 / 3, "好"), ParsedOption("乙", True, 1 / 3),
                     ParsedOption("丙", True, 1 / 3), ParsedOption("丁", False, -0.5, "错")]),
        ParsedQuestion(qtype="fill_blank", stem="____和____。", order_insensitive=True,
                       blanks=[ParsedBlank(["甲}~#", "a"]), ParsedBlank(["乙"])]),
    ]
    data = write(questions, "moodlexml")
    result = parse(data, "导出.xml", "moodlexml")
    assert result.ok and result.warnings == []
    # Moodle gives every option a value: the defaults where a question had none.
    assert result.questions == with_option_values(questions)


def test_gift_export_reads_back_equal_for_what_gift_can_express():
    questions = [
        ParsedQuestion(qtype="single", stem="含特殊字符 ~ = # { } : \\ 的题干", name="名::称",
                       category=["通用法律", "行政处罚法"], tags=["程序"],
                       explanation="解析\n第二行",
                       options=[ParsedOption("甲", True, 1.0, "对#"), ParsedOption("乙~", False, 0.0),
                                ParsedOption("丙", False, 0.5)]),
        ParsedQuestion(qtype="multiple", stem="多选", category=["通用法律"],
                       options=[ParsedOption("甲", True, 0.5), ParsedOption("乙", True, 0.5),
                                ParsedOption("丙", False, -1.0)]),
        ParsedQuestion(qtype="true_false", stem="判断", answer_bool=False, explanation="因为"),
        ParsedQuestion(qtype="fill_blank", stem="行政处罚包括____等。",
                       blanks=[ParsedBlank(["警告", "罚款"])]),
        ParsedQuestion(qtype="fill_blank", stem="结尾是空____",
                       blanks=[ParsedBlank(["甲"])]),
        ParsedQuestion(qtype="short_answer", stem="简述", stem_format="html"),
    ]
    result = parse(write(questions, "gift"), "导出.gift", "gift")
    assert result.ok and result.warnings == []
    assert result.questions == questions


def test_gift_writes_a_case_analysis_as_its_sub_questions():
    case = example_questions()[-1]
    result = parse(write([case], "gift"), "案例.gift", "gift")
    assert [q.qtype for q in result.questions] == ["single", "short_answer"]
    assert all(q.stem.startswith(case.case_text) for q in result.questions)
