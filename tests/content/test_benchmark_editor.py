"""The discretion benchmark's violation types and bands, edited in the page editor, and the
Excel round trip around such edits."""
import io

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cases_library.models import CasePage
from content import benchmark_workbook as bw
from content.models import BandLevel, BenchmarkBand, DiscretionBenchmarkPage

from . import factories
from .test_benchmark import ROWS, benchmark, parse


def edit_url(page):
    return f"/cms/pages/{page.pk}/edit/"


def band_data(band=None, **values):
    data = {"id": band.pk if band else "", "level": "", "conditions": "", "penalty": "",
            "fine_min": "", "fine_max": ""}
    if band:
        data.update(level=band.level, conditions=band.conditions, penalty=band.penalty,
                    fine_min="" if band.fine_min is None else str(band.fine_min),
                    fine_max="" if band.fine_max is None else str(band.fine_max))
    data.update(values)
    return data


def item_data(item, order, bands, **values):
    data = {"id": item.pk if item else "", "code": item.code if item else "",
            "name": item.name if item else "", "basis_text": item.basis_text if item else "",
            "ORDER": str(order), "bands": bands}
    data.update(values)
    return data


def page_data(page, items, action="action-publish"):
    return nested_form_data({
        "title": page.title, "slug": page.slug, "intro": rich_text(""), "issued_by": "",
        "effective_date": "", "items": inline_formset(items, initial=page.items.count()),
        "comments": inline_formset([]), action: action,
    })


def current_items(page):
    """The benchmark's rows as form data, unchanged."""
    return [item_data(item, order, inline_formset([band_data(b) for b in item.bands.all()],
                                                  initial=item.bands.count()))
            for order, item in enumerate(page.items.all(), start=1)]


@pytest.fixture
def imported(study):
    page = benchmark(study["shelf"])
    bw.apply_benchmark(page, parse(ROWS))
    return DiscretionBenchmarkPage.objects.get(pk=page.pk)


def test_an_import_is_saved_as_a_revision_the_editor_shows(imported, people, client_for):
    content = imported.get_latest_revision().content
    assert [item["code"] for item in content["items"]] == ["CF-01", "CF-02", "CF-03"]
    assert len(content["items"][0]["bands"]) == 2
    assert not imported.has_unpublished_changes
    html = client_for(people["admin"]).get(edit_url(imported)).content.decode()
    assert "逾期不缴纳罚款" in html and "逾期30日以上" in html
    assert 'name="items-0-bands-0-conditions"' in html


def test_bands_are_edited_in_the_page_editor_keeping_their_ids(imported, people, client_for):
    heavier = BenchmarkBand.objects.get(item__code="CF-01", level=BandLevel.HEAVIER)
    case = factories.case(discretion_band=heavier)
    items = current_items(imported)
    # Edit a band, add a band to CF-02, add a violation type, and delete CF-03.
    cf01_bands = items[0]["bands"]
    cf01_bands["1-conditions"] = "逾期60日以上仍不缴纳"
    cf02 = imported.items.get(code="CF-02")
    items[1]["bands"] = inline_formset(
        [band_data(b) for b in cf02.bands.all()]
        + [band_data(level="lighter", conditions="主动改正", penalty="警告", fine_max="500")],
        initial=1)
    items[2]["DELETE"] = "1"
    items.append(item_data(None, 4, inline_formset([band_data(
        level="general", conditions="首次违法", penalty="罚款", fine_min="2000",
        fine_max="10000")]), code="CF-04", name="未按规定悬挂标志",
        basis_text="《行政处罚法》第三十二条"))
    response = client_for(people["admin"]).post(edit_url(imported),
                                                page_data(imported, items))
    assert response.status_code == 302, response.context["form"].errors if response.context \
        else response
    heavier.refresh_from_db()
    assert heavier.conditions == "逾期60日以上仍不缴纳"  # same row: the case still links to it
    case.refresh_from_db()
    assert case.discretion_band_id == heavier.pk
    codes = list(imported.items.values_list("code", flat=True))
    assert codes == ["CF-01", "CF-02", "CF-04"]
    assert set(imported.items.get(code="CF-02").bands.values_list("level", flat=True)) == {
        "none", "lighter"}
    new = imported.items.get(code="CF-04")
    assert [a.number for a in new.basis_articles.all()] == [32]  # resolved from the text
    page = client_for(people["officer"]).get(imported.url).content.decode()
    assert "未按规定悬挂标志" in page and "逾期60日以上仍不缴纳" in page
    assert "主动消除危害后果" not in page


def test_editor_changes_export_and_import_back(imported, people, client_for):
    items = current_items(imported)
    items[0]["name"] = "逾期不缴纳罚款（修订）"
    items[0]["bands"]["0-penalty"] = "每日按罚款数额的3%加处罚款，加处罚款不超过罚款本数"
    response = client_for(people["admin"]).post(edit_url(imported), page_data(imported, items))
    assert response.status_code == 302
    exported = bw.parse_benchmark(io.BytesIO(bw.export_benchmark(imported)), "导出.xlsx")
    assert exported.ok, exported.errors
    assert exported.items["CF-01"].name == "逾期不缴纳罚款（修订）"
    assert exported.items["CF-01"].bands[BandLevel.GENERAL]["penalty"].endswith("不超过罚款本数")
    # Importing the export changes nothing.
    before = sorted(BenchmarkBand.objects.values_list("pk", "item__code", "level", "conditions",
                                                      "penalty", "fine_min", "fine_max"))
    bw.apply_benchmark(imported, exported)
    after = sorted(BenchmarkBand.objects.values_list("pk", "item__code", "level", "conditions",
                                                     "penalty", "fine_min", "fine_max"))
    assert before == after


def test_a_draft_edit_does_not_change_the_live_rows(imported, people, client_for):
    items = current_items(imported)
    items[0]["name"] = "草稿中的名称"
    response = client_for(people["admin"]).post(
        edit_url(imported), page_data(imported, items, action="action-draft"))
    assert response.status_code == 302
    assert imported.items.get(code="CF-01").name == "逾期不缴纳罚款"
    latest = DiscretionBenchmarkPage.objects.get(pk=imported.pk).get_latest_revision()
    assert latest.content["items"][0]["name"] == "草稿中的名称"


@pytest.mark.parametrize("change, field, text", [
    (lambda items: items[0].update(basis_text="《某某条例》第一条"), "basis_text", "《某某条例》第一条"),
    (lambda items: items[0].update(basis_text="没有引用"), "basis_text", "第三十二条"),
    (lambda items: items[1].update(code="CF-01"), "code", "CF-01"),
])
def test_the_editor_checks_violation_types_like_the_import(imported, people, client_for,
                                                            change, field, text):
    items = current_items(imported)
    change(items)
    response = client_for(people["admin"]).post(edit_url(imported), page_data(imported, items))
    assert response.status_code == 200
    form = response.context["form"]
    errors = [str(e) for f in form.formsets["items"].forms for e in f.errors.get(field, [])]
    assert errors and any(text in e for e in errors)
    assert imported.items.count() == 3


def test_the_editor_refuses_a_band_twice_and_fines_upside_down(imported, people, client_for):
    items = current_items(imported)
    items[0]["bands"]["1-level"] = "general"  # CF-01 now has 一般 twice
    items[2]["bands"]["0-fine_min"] = "9000"  # above its maximum of 5000.50
    response = client_for(people["admin"]).post(edit_url(imported), page_data(imported, items))
    assert response.status_code == 200
    item_forms = response.context["form"].formsets["items"].forms
    assert item_forms[0].formsets["bands"].forms[1].errors["level"]
    assert item_forms[2].formsets["bands"].forms[0].errors["fine_max"]
    assert CasePage.objects.count() == 0
    assert BenchmarkBand.objects.get(item__code="CF-03").fine_min == 1000
