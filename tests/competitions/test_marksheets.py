"""The offline mark sheet: download, fill in, import back — validated and all or nothing."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from competitions import judging, marksheets
from competitions.models import JudgeAssignment, Mark, MarkChange, MarkStatus

from .judging_setup import SECRETS, marking  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _assignment(marking, judge=None):
    return JudgeAssignment.objects.select_related("event__rubric", "event__contest").get(
        event=marking.drafting, judge=judge or marking.judge)


def _sheet(marking, judge=None):
    assignment = _assignment(marking, judge)
    subs = list(judging.visible_submissions(assignment).select_related("entry"))
    return openpyxl.load_workbook(io.BytesIO(marksheets.write_mark_sheet(assignment, subs)))


def _column(ws, code):
    for cell in ws[1]:
        if str(cell.value).startswith(f"[{code}]"):
            return cell.column
    raise KeyError(code)


def _row(ws, blind_code):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == blind_code:
            return row[0].row
    raise KeyError(blind_code)


def _fill(ws, blind_code, quality, typo=None, layout=None, basis=1, veto=None):
    r = _row(ws, blind_code)
    ws.cell(r, _column(ws, "quality"), quality)
    ws.cell(r, _column(ws, "m_parties"), 1)
    ws.cell(r, _column(ws, "m_basis"), basis)
    ws.cell(r, _column(ws, "d_typo"), typo)
    ws.cell(r, _column(ws, "d_layout"), layout)
    ws.cell(r, _column(ws, "v_plagiarism"), veto)


def _bytes(wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def _parse(marking, wb, submit=False, judge=None):
    return marksheets.parse_mark_sheet(_bytes(wb), "sheet.xlsx", _assignment(marking, judge),
                                       submit)


@pytest.mark.django_db
def test_a_filled_sheet_round_trips_into_marks(marking):
    wb = _sheet(marking)
    ws = wb[marksheets.MARKS_SHEET]
    _fill(ws, marking.code(0), 35, typo=2, layout=10)          # 81
    _fill(ws, marking.code(1), 30, veto=1)                    # vetoed: 0
    ws.cell(_row(ws, marking.code(1)), ws.max_column - 1, "雷同")
    parsed = _parse(marking, wb, submit=True)
    assert parsed.ok, parsed.errors
    assert len(parsed.rows) == 2 and parsed.skipped == 1      # the empty third row
    assert marksheets.apply_mark_sheet(parsed, _assignment(marking), True, marking.judge) == 2
    first = Mark.objects.get(submission=marking.drafts[0], judge=marking.judge)
    second = Mark.objects.get(submission=marking.drafts[1], judge=marking.judge)
    assert (first.points, first.status) == (Decimal("81.00"), MarkStatus.SUBMITTED)
    assert (second.points, second.grade, second.comment) == (Decimal("0.00"), "不合格", "雷同")
    assert first.changes.get().action == MarkChange.Action.IMPORT

    # Exported again, the sheet shows the marks; imported again, locked rows are refused.
    again = _sheet(marking)
    ws = again[marksheets.MARKS_SHEET]
    assert ws.cell(_row(ws, marking.code(0)), _column(ws, "d_typo")).value == 2
    assert ws.cell(_row(ws, marking.code(0)), _column(ws, "quality")).value == 35
    parsed = _parse(marking, again)
    assert any("locked" in e.message for e in parsed.errors)


@pytest.mark.django_db
def test_imported_drafts_stay_drafts(marking):
    wb = _sheet(marking)
    _fill(wb[marksheets.MARKS_SHEET], marking.code(2), 20)
    parsed = _parse(marking, wb, submit=False)
    marksheets.apply_mark_sheet(parsed, _assignment(marking), False, marking.judge)
    mark = Mark.objects.get(submission=marking.drafts[2])
    assert (mark.status, mark.points) == (MarkStatus.DRAFT, Decimal("80.00"))
    assert mark.changes.get().action == MarkChange.Action.IMPORT


@pytest.mark.django_db
def test_bad_sheets_are_rejected_naming_sheet_row_and_column(marking, org):
    wb = _sheet(marking)
    ws = wb[marksheets.MARKS_SHEET]
    _fill(ws, marking.code(0), 45)                     # above the criterion's 40
    _fill(ws, marking.code(1), 30, layout=20)           # ranged deduction 5–15
    _fill(ws, marking.code(2), 30, typo="x", veto=2)
    extra = ws.max_row + 1
    ws.cell(extra, 1, "QQQQQQ")
    ws.cell(extra, _column(ws, "quality"), 30)
    parsed = _parse(marking, wb, submit=True)
    found = {(e.sheet, e.row, e.column_letter, e.message) for e in parsed.errors}
    assert len(parsed.errors) == 5
    assert all(e.sheet == marksheets.MARKS_SHEET for e in parsed.errors)
    messages = " | ".join(e.message for e in parsed.errors)
    assert "between 0 and 40" in messages and "between 5 and 15" in messages
    assert "not a number" in messages and "Enter 1" in messages
    assert "Unknown blind code “QQQQQQ”" in messages
    assert any(row == _row(ws, marking.code(1)) for _s, row, _c, _m in found)

    # Another judge's sheet, or another event's, is refused as a whole.
    other = _sheet(marking, marking.judge2)
    parsed = _parse(marking, other)
    assert parsed.errors[0].message == "This mark sheet belongs to another judge."
    assert not Mark.objects.exists()


@pytest.mark.django_db
def test_a_sheet_without_a_column_is_refused(marking):
    wb = _sheet(marking)
    ws = wb[marksheets.MARKS_SHEET]
    ws.cell(1, _column(ws, "d_layout"), "版式")
    parsed = _parse(marking, wb)
    assert [e.message for e in parsed.errors] == ["This column is missing."]


@pytest.mark.django_db(transaction=True)
def test_the_import_job_checks_then_saves_atomically(org, client_for, run_worker):
    from .judging_setup import Marking

    m = Marking(org)
    client = client_for(m.judge)
    sheet = client.get(reverse("competitions:judge_sheet", args=[m.drafting.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(sheet.content))
    ws = wb[marksheets.MARKS_SHEET]
    _fill(ws, m.code(0), 35)
    _fill(ws, m.code(1), 41)                     # one bad row: nothing is saved
    upload = _bytes(wb)
    upload.name = "marks.xlsx"
    response = client.post(reverse("competitions:judge_sheet_import", args=[m.drafting.pk]),
                           {"file": upload, "submit_marks": "1"})
    assert response.status_code == 302
    run_worker()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "import-errors" in page.content.decode()
    assert not Mark.objects.exists()
    # The judge's job pages (result and list) name entries by blind code only.
    for content in (page.content, client.get(reverse("jobs:list")).content):
        leaked = [secret for secret in SECRETS if secret in content.decode()]
        assert not leaked, leaked

    ws.cell(_row(ws, m.code(1)), _column(ws, "quality"), 40)
    upload = _bytes(wb)
    upload.name = "marks.xlsx"
    response = client.post(reverse("competitions:judge_sheet_import", args=[m.drafting.pk]),
                           {"file": upload, "submit_marks": "1"})
    run_worker()
    job_url = response["Location"]
    job_id = job_url.rstrip("/").split("/")[-1]
    assert not Mark.objects.exists()             # checked only
    client.post(reverse("competitions:judge_sheet_confirm", args=[job_id]))
    run_worker()
    assert Mark.objects.filter(status=MarkStatus.SUBMITTED).count() == 2
    confirmed = client.get(reverse("jobs:list")).content.decode()
    assert not [secret for secret in SECRETS if secret in confirmed]
    # Another judge cannot confirm this judge's checked import.
    assert client_for(m.judge2).post(
        reverse("competitions:judge_sheet_confirm", args=[job_id])).status_code == 404


def _correction_sheet(marking):
    assignment = JudgeAssignment.objects.select_related("event__contest").get(
        event=marking.correction, judge=marking.judge)
    subs = list(judging.visible_submissions(assignment).select_related("entry"))
    return assignment, openpyxl.load_workbook(io.BytesIO(
        marksheets.write_mark_sheet(assignment, subs)))


@pytest.mark.django_db
def test_a_correction_sheet_round_trips_verdicts(marking):
    assignment, wb = _correction_sheet(marking)
    ws = wb[marksheets.MARKS_SHEET]
    rows = {(r[0].value, r[1].value): r[0].row for r in ws.iter_rows(min_row=2)}
    code = marking.code(0)
    assert ws.cell(rows[(code, 1)], 6).value.startswith("A ")   # planted at 询问笔录第2页
    ws.cell(rows[(code, 1)], 7, 1)                               # reason right
    ws.cell(rows[(code, 2)], 7, 0)
    parsed = marksheets.parse_mark_sheet(_bytes(wb), "c.xlsx", assignment, True)
    assert parsed.ok, parsed.errors
    assert parsed.skipped == 2                                   # the other two entries
    marksheets.apply_mark_sheet(parsed, assignment, True, marking.judge)
    mark = Mark.objects.get(submission=marking.findings[0], judge=marking.judge)
    assert mark.points == Decimal("10.00") and mark.status == MarkStatus.SUBMITTED
    assert mark.raw["verdicts"][0] == {"finding": 0, "reason_ok": True, "confirmed_key": None}


@pytest.mark.django_db
def test_a_bad_correction_sheet_is_refused(marking):
    assignment, wb = _correction_sheet(marking)
    ws = wb[marksheets.MARKS_SHEET]
    rows = {(r[0].value, r[1].value): r[0].row for r in ws.iter_rows(min_row=2)}
    ws.cell(rows[(marking.code(0), 1)], 7, 2)                    # not 0/1
    ws.cell(rows[(marking.code(1), 1)], 8, "Z")                  # no such planted error
    ws.cell(rows[(marking.code(2), 2)], 2, 9)                    # no finding 9
    parsed = marksheets.parse_mark_sheet(_bytes(wb), "c.xlsx", assignment, True)
    assert sorted(e.column_letter for e in parsed.errors) == ["B", "G", "H"]
    assert not parsed.ok
