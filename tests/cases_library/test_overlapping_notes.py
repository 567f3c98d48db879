"""Overlapping and nested annotations: every passage stays highlighted."""
import re
from types import SimpleNamespace

from cases_library.anchoring import Placed, RenderedBlock, annotated_blocks
from cases_library.annotating import annotate
from tests.content import factories

MARK_RE = re.compile(r'<mark class="([^"]+)"(?: id="mark-(\d+)")? data-note="\d+" '
                     r'data-notes="([^"]+)">(.*?)</mark>')


def note(pk, kind="key_point"):
    return SimpleNamespace(pk=pk, kind=kind)


def block(text, *spans):
    """A paragraph with notes: spans are (pk, start, end[, kind])."""
    return RenderedBlock(id="b", type="paragraph", text=text, notes=[
        Placed(note(pk, *rest), start, end) for pk, start, end, *rest in spans])


def marks(html):
    """Return [(classes, anchor pk, covering pks, text)] of the marks in `html`."""
    return [(set(classes.split()), int(anchor) if anchor else None, [int(p) for p in pks.split()], text)
            for classes, anchor, pks, text in MARK_RE.findall(html)]


def covered_text(html, pk):
    """Return the text of all marks that cover note `pk`, joined in order."""
    return "".join(text for _c, _a, pks, text in marks(html) if pk in pks)


def test_two_overlapping_passages_are_both_highlighted():
    text = "当事人未核对上网人员身份证件接纳未成年人"
    a = (1, text.index("未核对"), text.index("证件") + 2, "error")
    b = (2, text.index("身份证件"), len(text), "procedure_risk")
    html = str(block(text, a, b).html)
    assert covered_text(html, 1) == "未核对上网人员身份证件"
    assert covered_text(html, 2) == "身份证件接纳未成年人"
    found = marks(html)
    assert [m[3] for m in found] == ["未核对上网人员", "身份证件", "接纳未成年人"]
    assert found[0][0] == {"note-mark", "error"} and found[0][1] == 1
    assert found[1][0] == {"note-mark", "error", "procedure_risk", "overlap"}
    assert found[1][1] == 2 and found[1][2] == [1, 2]
    assert found[2][0] == {"note-mark", "procedure_risk"} and found[2][1] is None
    assert re.sub(r"<[^>]+>", "", html) == text  # the words themselves are unchanged


def test_a_nested_passage_is_highlighted_inside_the_outer_one():
    text = "甲乙丙丁戊己庚"
    html = str(block(text, (1, 0, 7), (2, 2, 4, "discretion")).html)
    assert [(m[3], m[2]) for m in marks(html)] == [("甲乙", [1]), ("丙丁", [1, 2]),
                                                   ("戊己庚", [1])]
    assert covered_text(html, 1) == text and covered_text(html, 2) == "丙丁"
    assert 'id="mark-1"' in html and 'id="mark-2"' in html


def test_the_same_passage_twice_gets_one_mark_and_both_anchors():
    html = str(block("罚款五千元", (1, 2, 5), (2, 2, 5, "error")).html)
    assert marks(html)[0][2:] == ([1, 2], "五千元")
    assert 'id="mark-1"' in html and '<span class="note-anchor" id="mark-2"></span>' in html


def test_touching_passages_and_text_are_escaped():
    html = str(block("<b>甲</b>乙丙", (1, 0, 8), (2, 8, 10)).html)
    assert "<b>" not in html and "&lt;b&gt;甲&lt;/b&gt;" in html
    assert [m[2] for m in marks(html)] == [[1], [2]]
    assert str(block("没有批注的段落").html) == "没有批注的段落"


def test_overlapping_notes_on_a_case_page_all_show(study, people, client_for):
    case = factories.case()
    second = [child.id for child in case.body][1]
    text = factories.PARAGRAPHS[1]
    outer_start = text.index("未核对")
    inner_start = text.index("身份证件")
    first = annotate(case, people["trainer"], second, outer_start, inner_start + 4, "error",
                     "未核验身份")
    other = annotate(case, people["trainer"], second, inner_start, text.index("进入"),
                     "procedure_risk", "接纳未成年人是处罚的事实基础")
    blocks, orphans = annotated_blocks(case, [first, other])
    assert orphans == []
    html = str(blocks[1].html)
    assert covered_text(html, first.pk) == "未核对上网人员身份证件"
    assert covered_text(html, other.pk) == "身份证件，接纳未成年人"
    page = client_for(people["officer"]).get(case.url).content.decode()
    assert f'id="mark-{first.pk}"' in page and f'id="mark-{other.pk}"' in page
    assert "overlap" in page
    assert "未核验身份" in page and "接纳未成年人是处罚的事实基础" in page
