"""A case page's labels end with the language's colon (English "Violation type: ", Chinese
"案由："), never a full-width colon after English text."""
import pytest

from cases_library.models import Outcome
from content import benchmark_workbook as bw
from content.models import BenchmarkBand
from tests.content import factories
from tests.content.test_benchmark import ROWS, benchmark, parse

pytestmark = pytest.mark.django_db



@pytest.fixture
def case_page(study):
    bench = benchmark(study["shelf"])
    bw.apply_benchmark(bench, parse(ROWS))
    band = BenchmarkBand.objects.filter(item__code="CF-03").first()
    return factories.case(violation_type="接纳未成年人", discretion_band=band,
                          outcome=Outcome.REVIEW_UPHELD, outcome_note="复议维持原处罚决定")


def test_english_labels_end_with_an_ascii_colon_and_a_space(case_page, people, client_for):
    client = client_for(people["trainer"])   # trainers annotate: the passage label shows
    html = client.get(case_page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Violation type: 接纳未成年人" in html
    assert "Discretion applied: <a href=" in html
    assert "Passage: <q" in html
    assert "Administrative review: upheld: 复议维持原处罚决定" in html
    assert "：" not in html.split('<p class="lead">')[1].split("</p>")[0]
    for label in ("Violation type", "Discretion applied", "Passage"):
        assert f"{label}：" not in html


def test_chinese_labels_end_with_a_full_width_colon(case_page, people, client_for):
    html = client_for(people["trainer"]).get(case_page.url).content.decode()
    assert "案由：接纳未成年人" in html
    assert "适用裁量：<a href=" in html
    assert "所选文字：<q" in html
    assert "：复议维持原处罚决定" in html and ": 复议维持" not in html
