"""Trainer annotations: anchored to a paragraph and its text, shown beside the passage."""
from cases_library.anchoring import annotated_blocks, locate
from cases_library.annotating import annotate
from cases_library.models import Annotation
from tests.content import factories


def paragraph_ids(case):
    return [child.id for child in case.body]


def test_an_annotation_survives_an_edit_of_another_paragraph(study, people):
    case = factories.case()
    first, second, _third = paragraph_ids(case)
    text = factories.PARAGRAPHS[1]
    start = text.index("未核对上网人员身份证件")
    note = annotate(case, people["trainer"], second, start, start + 11, "error", "未核验身份")
    # Edit the first paragraph (longer now, so raw page offsets would all shift), as the
    # admin does: block ids are kept.
    body = [{"type": child.block_type, "value": child.value, "id": child.id}
            for child in case.body]
    body[0] = {"type": "paragraph", "id": first,
               "value": "2025年3月5日晚21时许，江州市文化市场综合执法总队执法人员根据群众举报，"
                        "对某网吧进行检查，发现两名未成年人在上网。"}
    case.body = body
    case.save_revision().publish()
    case.refresh_from_db()
    blocks, orphans = annotated_blocks(case, [note])
    assert orphans == []
    placed = blocks[1].notes[0]
    assert blocks[1].text[placed.start:placed.end] == "未核对上网人员身份证件"
    assert '<mark class="note-mark error"' in blocks[1].html


def test_an_annotation_follows_its_passage_within_an_edited_paragraph():
    text = "经查，该网吧未核对上网人员身份证件。"
    quote = "未核对上网人员身份证件"
    start = text.index(quote)
    edited = "经现场检查并调取监控录像查明，该网吧未核对上网人员身份证件。"
    assert locate(edited, quote, "该网吧", "。", start, start + len(quote)) == (
        edited.index(quote), edited.index(quote) + len(quote))
    # Repeated passages: the context picks the right one.
    repeated = "甲未登记。乙未登记。"
    assert locate(repeated, "未登记", "乙", "。", 0, 3) == (6, 9)
    assert locate("全部改写了", quote, "", "", start, start + len(quote)) is None


def test_a_rewritten_passage_is_shown_as_detached(study, people):
    case = factories.case()
    second = paragraph_ids(case)[1]
    note = annotate(case, people["trainer"], second, 0, 2, "key_point", "注意")
    case.body = [{"type": c.block_type, "id": c.id,
                  "value": "全新的段落内容" if c.id == second else c.value} for c in case.body]
    case.save()
    blocks, orphans = annotated_blocks(case, [note])
    assert orphans == [note] and not any(block.notes for block in blocks)


def test_a_trainer_annotates_and_an_officer_sees_the_note(study, people, client_for):
    case = factories.case()
    second = paragraph_ids(case)[1]
    client = client_for(people["trainer"])
    response = client.post(f"/cases/{case.pk}/annotations/", {
        "block_id": second, "start": 6, "end": 17, "kind": "procedure_risk",
        "comment": "应当核验有效身份证件并登记"})
    assert response.status_code == 302
    note = Annotation.objects.get()
    assert note.quote == "未核对上网人员身份证件" and note.prefix == "经查，该网吧"
    officer = client_for(people["officer"])
    page = officer.get(case.url).content.decode()
    assert "应当核验有效身份证件并登记" in page
    assert f'id="mark-{note.pk}"' in page
    assert 'id="annotate-form"' not in page  # officers do not get the annotation form


def test_officers_may_not_annotate_and_bad_selections_are_refused(study, people, client_for):
    case = factories.case()
    second = paragraph_ids(case)[1]
    data = {"block_id": second, "start": 0, "end": 2, "kind": "error", "comment": "x"}
    assert client_for(people["officer"]).post(
        f"/cases/{case.pk}/annotations/", data).status_code == 403
    trainer = client_for(people["trainer"])
    for bad in ({"block_id": "nope"}, {"end": 999}, {"kind": "other"}, {"comment": " "}):
        trainer.post(f"/cases/{case.pk}/annotations/", {**data, **bad})
    assert Annotation.objects.count() == 0
