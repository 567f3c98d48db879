"""The roster import: a good file, every kind of bad file, and all-or-nothing saving."""
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from people import roster
from people.models import Officer
from people.scopes import visible_units
from tests.conftest import make_xlsx
from workbooks.reading import WorkbookError

GOOD_ROWS = [
    ("张伟", "JZ-1001", "东区第一大队（T-E-1）", "执法队员", dt.date(2020, 5, 6), "在职", "13900000001"),
    ("李娜", "jz-1002", "T-E-2", "中队长", "2018年7月1日", "", ""),
    ("赵强", "JZ-1003", "东区支队", "", "2019/01/02", "离职", ""),
]


def check(file, user, name="roster.xlsx"):
    return roster.parse_roster(file, name, visible_units(user))


def messages(parsed):
    return [(e.row, e.column, e.message) for e in parsed.errors]


def test_a_good_file_is_read_completely(people):
    parsed = check(make_xlsx(GOOD_ROWS), people["manager"])
    assert parsed.ok, messages(parsed)
    rows = {row.badge_number: row for row in parsed.rows}
    assert set(rows) == {"JZ-1001", "JZ-1002", "JZ-1003"}  # badge numbers upper-cased
    assert rows["JZ-1001"].unit.code == "T-E-1"
    assert rows["JZ-1002"].hire_date == dt.date(2018, 7, 1)
    assert rows["JZ-1003"].status == "left"
    assert rows["JZ-1003"].unit.code == "T-E"


def test_applying_a_good_file_creates_officers_with_accounts(people):
    parsed = check(make_xlsx(GOOD_ROWS), people["manager"])
    created, updated = roster.apply_roster(parsed, roster.plan_roster(parsed))
    assert (created, updated) == (3, 0)
    officer = Officer.objects.get(badge_number="JZ-1001")
    assert officer.user.username == "JZ-1001"
    assert officer.user.groups.filter(name="officer").exists()
    assert not officer.user.has_usable_password()
    assert not Officer.objects.get(badge_number="JZ-1003").user.is_active


def test_a_file_cannot_change_officers_or_take_accounts_outside_the_importers_units(people,
                                                                                    org):
    from django.contrib.auth import get_user_model

    from people.scopes import visible_officers

    west = people["other_manager"].officer  # a manager of the west detachment
    get_user_model().objects.create_user("JZ-9999")  # an account that is no officer's
    org.person("JZ-8888", org.west)  # an officer whose user name is not their badge number
    rows = [("改名", west.badge_number, "T-E-1", "", "", "离职", ""),
            ("新人", "JZ-9999", "T-E-1", "", "", "在职", ""),
            ("又一新人", "JZ-8888", "T-E-1", "", "", "在职", ""),
            GOOD_ROWS[0]]
    parsed = check(make_xlsx(rows), people["manager"])
    assert parsed.ok
    plan = roster.plan_roster(parsed, may_change=visible_officers(people["manager"]))
    assert [(row, column) for row, column, _message in messages(parsed)] == [
        (2, "执法证号"), (3, "执法证号"), (4, "执法证号")]
    assert "B2" in parsed.errors[0].location
    assert "管辖范围以外" in parsed.errors[0].message
    assert "已是其他账号的用户名" in parsed.errors[1].message
    assert not parsed.ok and plan == {} and [r.badge_number for r in parsed.rows] == ["JZ-1001"]
    west.refresh_from_db()
    assert west.name != "改名" and west.unit.code.startswith("T-W")


def test_an_existing_badge_number_updates_that_officer(people):
    existing = people["officer"].officer
    rows = [("王小兵（改）", existing.badge_number, "T-E-2", "副中队长", "", "在职", "")]
    parsed = check(make_xlsx(rows), people["manager"])
    plan = roster.plan_roster(parsed)
    assert roster.summarize(parsed, plan)["updated"] == 1
    assert roster.apply_roster(parsed, plan) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.unit.code, existing.position) == ("王小兵（改）", "T-E-2", "副中队长")


@pytest.mark.parametrize(
    "row, column, fragment",
    [
        (("", "JZ-2001", "T-E-1", "", "", "", ""), "姓名", "姓名为空"),
        (("张三", "", "T-E-1", "", "", "", ""), "执法证号", "执法证号为空"),
        (("张三", "JZ 2001!", "T-E-1", "", "", "", ""), "执法证号", "只能由"),
        (("张三", "JZ-2001", "", "", "", "", ""), "所属单位", "所属单位为空"),
        (("张三", "JZ-2001", "不存在的大队", "", "", "", ""), "所属单位", "不存在"),
        (("张三", "JZ-2001", "T-W-1", "", "", "", ""), "所属单位", "管辖范围"),
        (("张三", "JZ-2001", "T-E-1", "", "2021-13-45", "", ""), "入职日期", "不是有效日期"),
        (("张三", "JZ-2001", "T-E-1", "", "去年", "", ""), "入职日期", "不是有效日期"),
        (("张三", "JZ-2001", "T-E-1", "", dt.date(2099, 1, 1), "", ""), "入职日期", "晚于今天"),
        (("张三", "JZ-2001", "T-E-1", "", "", "退休", ""), "状态", "在职"),
        (("张三", "JZ-2001", "T-E-1", "", "", "", "abc"), "手机号", "电话号码"),
    ],
)
def test_each_bad_cell_is_reported_with_row_column_and_reason(people, row, column, fragment):
    parsed = check(make_xlsx([GOOD_ROWS[0], row]), people["manager"])
    assert not parsed.ok
    [error] = parsed.errors
    assert (error.sheet, error.row, error.column) == ("花名册", 3, column)
    assert fragment in error.message
    assert error.location.startswith("花名册!") and error.location.endswith("3")


def test_duplicate_badge_numbers_in_the_file_name_both_rows(people):
    rows = [GOOD_ROWS[0], ("李四", "jz-1001", "T-E-1", "", "", "", "")]
    parsed = check(make_xlsx(rows), people["manager"])
    [error] = parsed.errors
    assert error.row == 3 and "JZ-1001" in error.message and "第 2 行" in error.message


def test_every_bad_row_is_reported_not_just_the_first(people):
    rows = [("", f"JZ-3{i:03d}", "T-E-1", "", "", "", "") for i in range(30)]
    parsed = check(make_xlsx(rows), people["manager"])
    assert parsed.error_count == 30
    assert [e.row for e in parsed.errors] == list(range(2, 32))


def test_a_missing_required_column_is_reported_on_the_header_row(people):
    parsed = check(make_xlsx([("张三", "JZ-1")], header=["姓名", "证号"]), people["manager"])
    assert {e.column for e in parsed.errors} == {"执法证号", "所属单位"}
    assert {e.row for e in parsed.errors} == {1}


def test_english_headers_are_accepted(people):
    header = ["Name*", "Badge number*", "Unit*", "Position", "Hire date", "Status", "Phone"]
    parsed = check(make_xlsx([GOOD_ROWS[0]], header=header), people["manager"])
    assert parsed.ok, messages(parsed)


def test_a_file_with_one_bad_row_saves_nothing(people):
    before = Officer.objects.count()
    rows = list(GOOD_ROWS) + [("", "JZ-9999", "T-E-1", "", "", "", "")]
    parsed = check(make_xlsx(rows), people["manager"])
    assert parsed.error_count == 1
    with pytest.raises(ValueError):
        roster.apply_roster(parsed, roster.plan_roster(parsed))
    assert Officer.objects.count() == before


def test_a_failure_while_saving_rolls_everything_back(people, monkeypatch):
    """Accounts created before the failure are rolled back with everything else."""
    from django.contrib.auth import get_user_model

    users_before, officers_before = get_user_model().objects.count(), Officer.objects.count()
    parsed = check(make_xlsx(GOOD_ROWS), people["manager"])

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Officer.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        roster.apply_roster(parsed, roster.plan_roster(parsed))
    assert get_user_model().objects.count() == users_before
    assert Officer.objects.count() == officers_before


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("roster.csv", b"name,badge\n", "不是 Excel .xlsx 文件"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不是 Excel .xlsx 文件"),
        ("roster.xlsx", b"", "空文件"),
        ("roster.xlsx", "姓名,执法证号\n张三,1\n".encode("gbk"), "不是 Excel 工作簿"),
        ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "设有密码"),
        ("roster.xlsx", b"PK\x03\x04garbage" * 10, "已损坏"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_by_name(people, name, content, fragment):
    with pytest.raises(WorkbookError) as caught:
        check(io.BytesIO(content), people["manager"], name=name)
    assert name in str(caught.value) and fragment in str(caught.value)


def test_a_plain_zip_renamed_to_xlsx_is_refused(people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookError, match="压缩包"):
        check(buffer, people["manager"])


def test_a_zip_bomb_is_refused_before_parsing(people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(WorkbookError, match="压缩炸弹"):
        check(buffer, people["manager"])


def test_formulas_are_read_as_their_cached_value_never_evaluated(people):
    file = make_xlsx([("=HYPERLINK(\"http://x\",\"张三\")", "JZ-4001", "T-E-1", "", "", "", "")])
    parsed = check(file, people["manager"])
    # openpyxl wrote no cached value, so the name cell reads as empty: reported, not run.
    assert [e.column for e in parsed.errors] == ["姓名"]


def test_an_empty_sheet_is_reported(people):
    parsed = check(make_xlsx([]), people["manager"])
    assert [e.message for e in parsed.errors] == ["文件中没有人员数据。"]


def test_too_many_rows_is_reported_without_reading_them(people, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 5)
    parsed = check(make_xlsx([GOOD_ROWS[0]] * 7), people["manager"])
    assert "最多导入 5 行" in parsed.errors[0].message


def test_the_template_round_trips_through_the_import(people):
    data = roster.build_template(visible_units(people["manager"]))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["姓名*", "执法证号*", "所属单位*", "职务", "入职日期", "状态", "手机号"]
    assert ws["A1"].comment is not None
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert "C2:C100001" in validations and validations["C2:C100001"].type == "list"
    units_sheet = wb["单位列表"]
    assert units_sheet.sheet_state == "hidden"
    assert [row[0] for row in units_sheet.iter_rows(min_row=2, values_only=True)] == [
        "东区支队（T-E）", "东区第一大队（T-E-1）", "东区第二大队（T-E-2）"]
    parsed = check(io.BytesIO(data), people["manager"], name="template.xlsx")
    assert parsed.ok, messages(parsed)
    assert [row.name for row in parsed.rows] == ["张三", "李四"]


def test_export_writes_the_scope_and_reads_back(people):
    buffer = io.BytesIO()
    officers = Officer.objects.filter(unit__path__startswith=people["manager"].officer.unit.path)
    officers.filter(user__username="officer").update(name="=cmd|'/c calc'!A1")
    roster.write_roster(officers.select_related("unit"), buffer)
    buffer.seek(0)
    ws = openpyxl.load_workbook(buffer).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert sorted(v[1] for v in values) == sorted(officers.values_list("badge_number", flat=True))
    formula_cell = next(row for row in ws.iter_rows(min_row=2) if row[0].value.startswith("="))
    assert formula_cell[0].data_type == "s"
