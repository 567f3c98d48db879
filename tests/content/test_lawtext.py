"""The law-text import: every statute file splits into the articles its README lists."""
import re

import pytest

from content.chinese_numbers import to_chinese, to_int
from content.law_import import import_law_text
from content.lawtext import LawTextError, parse_law
from content.models import Article

from .factories import LAWS, law_file

EXPECTED = dict(re.findall(r"^\| (\S+\.md) \| (\d+) \|$",
                           (LAWS / "README.md").read_text(encoding="utf-8"), re.M))


def test_the_readme_lists_every_law_file():
    files = {path.name for path in LAWS.glob("*.md")} - {"README.md"}
    assert files == set(EXPECTED) and len(files) >= 9


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_law_file_splits_into_the_listed_number_of_articles(name):
    parsed = parse_law((LAWS / name).read_text(encoding="utf-8"))
    assert len(parsed.articles) == int(EXPECTED[name])
    assert [a.number for a in parsed.articles] == list(range(1, int(EXPECTED[name]) + 1))
    assert all(a.chapter.startswith("第") and "章" in a.chapter for a in parsed.articles)
    assert all(a.text and not a.text.startswith("第") for a in parsed.articles)
    assert parsed.preamble and parsed.title


def test_chapters_sections_and_paragraphs_of_the_administrative_penalty_law():
    parsed = parse_law(law_file("行政处罚法").read_text(encoding="utf-8"))
    assert parsed.title == "中华人民共和国行政处罚法"
    chapters = [title for title, _sections in parsed.chapters]
    assert chapters[0] == "第一章 总则" and chapters[4] == "第五章 行政处罚的决定"
    assert len(chapters) == 8
    assert parsed.chapters[4][1] == ["第一节 一般规定", "第二节 简易程序", "第三节 普通程序",
                                     "第四节 听证程序"]
    by_number = {a.number: a for a in parsed.articles}
    assert by_number[63].section == "第四节 听证程序"
    assert by_number[1].section == ""
    # 第五条 has three paragraphs (款).
    assert len(by_number[5].paragraphs) == 3
    assert by_number[32].label == "第三十二条"


def test_plain_text_layout_with_article_suffixes():
    text = """某某管理条例

第一章 总 则

第一条 为了规范管理，制定本条例。

第二条 本条例适用于全市。
第二条之一 本条例所称场所，是指：
（一）网吧；
（二）歌舞厅。

第二章 罚 则

第一节 一般规定

第三条 违反本条例的，责令改正。
"""
    parsed = parse_law(text)
    assert [a.label for a in parsed.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert parsed.articles[2].suffix == 1 and parsed.articles[2].paragraphs == [
        "本条例所称场所，是指：", "（一）网吧；", "（二）歌舞厅。"]
    assert parsed.chapters == [("第一章 总则", []), ("第二章 罚则", ["第一节 一般规定"])]
    assert parsed.articles[3].section == "第一节 一般规定"


def test_text_without_articles_is_refused():
    with pytest.raises(LawTextError):
        parse_law("这是一段普通文字。\n没有条文。")


def test_chinese_numerals_round_trip():
    for number in (1, 10, 11, 20, 32, 100, 101, 105, 110, 112, 1000):
        assert to_int(to_chinese(number)) == number
    assert to_int("一百零五") == 105 and to_int("十") == 10


def test_reimporting_a_law_updates_articles_in_place(study):
    law = study["law"]
    article = law.articles.get(number=32)
    assert law.articles.count() == 86
    text = law_file("行政处罚法").read_text(encoding="utf-8")
    edited = text.replace("第八十六条 本法自2021年7月15日起施行。", "").replace(
        "\n第三十三条 ", "\n第三十二条之一 （测试）新增条文。\n\n第三十三条 ", 1)
    created, updated, deleted = import_law_text(law, edited)
    assert (created, updated, deleted) == (1, 85, 1)
    assert law.articles.get(number=32, suffix=0).pk == article.pk
    assert Article.objects.get(law=law, number=32, suffix=1).label == "第三十二条之一"
