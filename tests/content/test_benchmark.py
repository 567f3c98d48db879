"""The discretion benchmark in Excel: template, checked import, export that imports back."""
import io
from decimal import Decimal

import pytest

from content import benchmark_workbook as bw
from content.models import BandLevel, DiscretionBenchmarkPage
from jobs.models import Job, JobStatus
from tests.conftest import make_xlsx

HEADER = ["编号*", "违法行为*", "法律依据*", "裁量等级*", "适用情形*", "处罚标准*",
          "罚款下限（元）", "罚款上限（元）"]
ROWS = [
    ["CF-01", "逾期不缴纳罚款", "《行政处罚法》第七十二条", "一般", "逾期不足30日",
     "每日按罚款数额的3%加处罚款", None, None],
    ["CF-01", "逾期不缴纳罚款", "《行政处罚法》第七十二条", "从重", "逾期30日以上",
     "申请人民法院强制执行", None, None],
    ["CF-02", "轻微违法及时改正", "《行政处罚法》第三十三条", "不予处罚", "初次违法且危害后果轻微",
     "不予行政处罚，进行教育", 0, 0],
    ["CF-03", "主动消除危害后果", "《行政处罚法》第三十二条", "从轻", "主动消除危害后果",
     "罚款", 1000, 5000.5],
]


def benchmark(shelf):
    page = DiscretionBenchmarkPage(title="文化市场行政处罚裁量基准", slug="benchmark")
    shelf.add_child(instance=page)
    page.save_revision().publish()
    return page


def parse(rows, header=HEADER):
    return bw.parse_benchmark(make_xlsx(rows, header=header, sheet="裁量基准"), "基准.xlsx")


def test_a_good_file_is_saved_and_exported_back_unchanged(study):
    page = benchmark(study["shelf"])
    parsed = parse(ROWS)
    assert parsed.ok, parsed.errors
    bw.apply_benchmark(page, parsed)
    item = page.items.get(code="CF-03")
    assert item.basis_articles.get().number == 32
    assert item.bands.get().fine_max == Decimal("5000.50")
    exported = bw.export_benchmark(page)
    again = bw.parse_benchmark(io.BytesIO(exported), "导出.xlsx")
    assert again.ok
    assert {code: (i.name, i.basis, i.bands) for code, i in again.items.items()} == \
           {code: (i.name, i.basis, i.bands) for code, i in parsed.items.items()}


def test_formula_like_text_is_exported_as_text(study):
    page = benchmark(study["shelf"])
    bw.apply_benchmark(page, parse(ROWS))
    page.items.filter(code="CF-03").update(name="=1+2")
    again = bw.parse_benchmark(io.BytesIO(bw.export_benchmark(page)), "导出.xlsx")
    assert again.items["CF-03"].name == "=1+2"


def test_reimporting_updates_bands_in_place(study):
    page = benchmark(study["shelf"])
    bw.apply_benchmark(page, parse(ROWS))
    band = page.items.get(code="CF-01").bands.get(level=BandLevel.HEAVIER)
    changed = [list(row) for row in ROWS[:2]]
    changed[1][4] = "逾期60日以上"
    bw.apply_benchmark(page, parse(changed))
    band.refresh_from_db()
    assert band.conditions == "逾期60日以上"
    assert list(page.items.values_list("code", flat=True)) == ["CF-01"]


def test_every_error_names_sheet_row_column_and_reason(study):
    bad = [
        ["CF-01", "逾期不缴纳罚款", "《行政处罚法》第七十二条", "特别重", "情形", "处罚", "x", None],
        ["CF-02", "某违法行为", "《某某条例》第一条", "一般", "情形", "处罚", 500, 100],
        ["CF-03", "", "《行政处罚法》第三十二条", "一般", "", "处罚", None, None],
    ]
    parsed = parse(bad)
    found = {(e.sheet, e.row, e.column, e.column_letter) for e in parsed.errors}
    assert ("裁量基准", 2, "裁量等级", "D") in found
    assert ("裁量基准", 2, "罚款下限（元）", "G") in found
    assert ("裁量基准", 3, "法律依据", "C") in found
    assert ("裁量基准", 3, "罚款上限（元）", "H") in found
    assert ("裁量基准", 4, "违法行为", "B") in found and ("裁量基准", 4, "适用情形", "E") in found
    assert all(e.message for e in parsed.errors)


def test_the_template_imports_cleanly_except_for_unknown_laws(study):
    parsed = bw.parse_benchmark(io.BytesIO(bw.build_template()), "template.xlsx")
    # The example cites the internet café regulation, which this test library lacks.
    assert [e.column for e in parsed.errors] == ["法律依据"]


@pytest.mark.django_db(transaction=True)
def test_the_import_job_checks_then_saves(people, run_worker, client_for):
    from tests.content import factories

    shelf = factories.shelf()
    factories.law(shelf, "行政处罚法", short_title="行政处罚法")
    page = benchmark(shelf)
    client = client_for(people["trainer"])
    upload = make_xlsx(ROWS, header=HEADER, sheet="裁量基准")
    upload.name = "基准.xlsx"
    response = client.post(f"/study/benchmarks/{page.pk}/import/", {"file": upload})
    assert response.status_code == 302
    run_worker()
    checked = Job.objects.get()
    assert checked.status == JobStatus.SUCCEEDED and checked.result["items"] == 3
    assert page.items.count() == 0
    client.post(checked.result["confirm_url"])
    run_worker()
    assert page.items.count() == 3 and page.items.get(code="CF-01").bands.count() == 2


def test_a_missing_file_is_refused_on_the_form(study, people, client_for):
    page = benchmark(study["shelf"])
    client = client_for(people["trainer"])
    url = f"/study/benchmarks/{page.pk}/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {})  # no file chosen: the form again, saying so
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_officers_cannot_import(study, people, client_for):
    page = benchmark(study["shelf"])
    client = client_for(people["officer"])
    assert client.get(f"/study/benchmarks/{page.pk}/import/").status_code == 403
    assert client.get(f"/study/benchmarks/{page.pk}/export/").status_code == 200
