"""GIFT and Aiken: Chinese files in any common encoding, syntax errors with their line."""
import pytest

from exams.formats import FormatError, parse
from exams.formats.encoding import decode_text

from .conftest import DATA, locations, read


@pytest.mark.parametrize("name, encoding", [
    ("aiken_utf8.txt", "utf-8"), ("aiken_utf8_bom.txt", "utf-8-sig"),
    ("gift_gb18030.txt", "gb18030"), ("gift_utf16.txt", "utf-16")])
def test_the_encoding_is_detected(name, encoding):
    text, used = decode_text(read(DATA / name), name)
    assert used == encoding
    assert "行政处罚" in text and not text.startswith("\ufeff")


def test_undecodable_bytes_are_a_format_error_naming_the_file():
    with pytest.raises(FormatError, match="bad.txt"):
        decode_text(b"\xff\xfe\xfd\x80\x81" * 3 + b"\x00\xff", "bad.txt")


@pytest.mark.parametrize("name", ["aiken_utf8.txt", "aiken_utf8_bom.txt"])
def test_chinese_aiken_with_chinese_punctuation(name):
    result = parse(read(DATA / name), name, "aiken")
    assert result.ok
    first, second = result.questions
    assert first.stem == "《中华人民共和国行政处罚法》自何时起施行？"
    assert first.correct_letters == "B" and first.options[1].text == "2021年7月15日"
    assert second.options[1].text == "通报批评" and second.correct_letters == "B"
    assert second.location == "line 8"


def test_aiken_answer_naming_no_option_is_an_error():
    result = parse("题干\nA. 甲\nB. 乙\nANSWER: E\n".encode(), "a.txt", "aiken")
    assert locations(result.errors) == ["line 4"]
    assert "E" in result.errors[0].message and result.questions == []


@pytest.mark.parametrize("name", ["gift_gb18030.txt", "gift_utf16.txt"])
def test_chinese_gift_in_gb18030_and_utf16(name):
    result = parse(read(DATA / name), name, "gift")
    assert result.ok
    by_name = {q.name: q for q in result.questions}
    assert by_name["当场处罚"].answer_bool is True
    assert by_name["当场处罚"].category == ["通用法律", "行政处罚法"]
    assert by_name["处罚种类"].stem == "行政处罚的种类包括警告、通报批评和____等。"
    assert by_name["处罚种类"].blanks[0].answers == ["罚款", "罚金"]
    assert [o.fraction for o in by_name["多选"].options] == [0.5, 0.5, -1.0]
    assert by_name["多选"].location == "line 8"


@pytest.mark.parametrize("source, line, words", [
    ("\n\n::标题 没有结束{T}\n", "line 3", "::"),
    ("第一题{T}\n\n第二题\n没有结束 {\n=甲\n", "line 4", "}"),
    ("题干 } 多余 {=甲}\n", "line 1", "{"),
    ("题干\n{=甲} 又一个 {=乙}\n", "line 2", "one"),
    ("题干 {\n~%33%甲\n=乙\n}\n", "line 2", "33"),
])
def test_gift_syntax_errors_name_their_line(source, line, words):
    result = parse(source.encode(), "bad.gift", "gift")
    assert locations(result.errors) == [line]
    assert words in result.errors[0].message


def test_gift_choice_with_one_option_and_duplicates_are_errors():
    source = "只有一个选项 {~甲 =甲}\n\n一个选项 {~%100%甲}\n"
    result = parse(source.encode(), "bad.gift", "gift")
    assert locations(result.errors) == ["line 1", "line 3"]
    assert "twice" in result.errors[0].message and "two options" in result.errors[1].message


def test_gift_comments_and_tags_do_not_shift_line_numbers():
    source = "// 说明\n// [tag:程序]\n::甲::题干{T}\n"
    (question,) = parse(source.encode(), "t.gift", "gift").questions
    assert question.location == "line 3" and question.tags == ["程序"]


def test_gift_description_without_answers_is_skipped_with_a_warning():
    result = parse("这只是一段说明文字。\n".encode(), "d.gift", "gift")
    assert result.questions == [] and result.skipped == 1
    assert locations(result.warnings) == ["line 1"]


def test_messages_are_in_chinese_by_default():
    from django.utils import translation
    with translation.override("zh-hans"):
        result = parse("题干 {=甲} 又 {=乙}\n".encode(), "bad.gift", "gift")
    assert result.errors[0].location == "第 1 行"
    assert "答案" in result.errors[0].message
